# replaces: expected_calibration_error_solution
# fails: ece_bad_input
# mistake: computes the ECE without checking the inputs, so impossible confidences are clipped into a bin and scored
def expected_calibration_error(confidences, correct, n_bins=10):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)
    n_bins = max(int(n_bins), 1)
    bins = np.clip(np.digitize(conf, np.linspace(0, 1, n_bins + 1)[1:-1], right=True), 0, n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            ece += mask.mean() * abs(right[mask].mean() - conf[mask].mean())
    return float(ece)
