# replaces: expected_calibration_error_solution
# fails: ece_worked_example
# mistake: builds every bin as lo < c <= hi, so a confidence of exactly 0 falls in no bin and is ignored
def expected_calibration_error(confidences, correct, n_bins=10):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)
    if len(conf) == 0 or len(conf) != len(right) or np.isnan(conf).any() or conf.min() < 0 or conf.max() > 1:
        raise ValueError("bad confidences")
    if isinstance(n_bins, bool) or not isinstance(n_bins, int) or n_bins < 1 or not np.isin(right, [0, 1]).all():
        raise ValueError("bad input")
    edges = np.linspace(0, 1, n_bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.sum() / len(conf) * abs(right[mask].mean() - conf[mask].mean())
    return float(ece)
