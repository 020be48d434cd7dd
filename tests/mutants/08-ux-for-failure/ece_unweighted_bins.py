# replaces: expected_calibration_error_solution
# fails: ece_worked_example, ece_matches_reference
# mistake: averages the bins' gaps without weighting each bin by its share of the predictions
def expected_calibration_error(confidences, correct, n_bins=10):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)
    if len(conf) == 0 or len(conf) != len(right) or np.isnan(conf).any() or conf.min() < 0 or conf.max() > 1:
        raise ValueError("bad confidences")
    if isinstance(n_bins, bool) or not isinstance(n_bins, int) or n_bins < 1 or not np.isin(right, [0, 1]).all():
        raise ValueError("bad input")
    bins = np.digitize(conf, np.linspace(0, 1, n_bins + 1)[1:-1], right=True)
    gaps = [abs(right[bins == b].mean() - conf[bins == b].mean()) for b in range(n_bins) if (bins == b).any()]
    return float(np.mean(gaps))
