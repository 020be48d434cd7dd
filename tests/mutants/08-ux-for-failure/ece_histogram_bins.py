# replaces: expected_calibration_error_solution
# fails: ece_worked_example
# mistake: bins with np.histogram, whose bins are [lo, hi), so confidences exactly on an edge land one bin too high
def expected_calibration_error(confidences, correct, n_bins=10):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)
    if len(conf) == 0 or len(conf) != len(right) or np.isnan(conf).any() or conf.min() < 0 or conf.max() > 1:
        raise ValueError("bad confidences")
    if isinstance(n_bins, bool) or not isinstance(n_bins, int) or n_bins < 1 or not np.isin(right, [0, 1]).all():
        raise ValueError("bad input")
    edges = np.linspace(0, 1, n_bins + 1)
    counts, _ = np.histogram(conf, bins=edges)
    sum_conf, _ = np.histogram(conf, bins=edges, weights=conf)
    sum_right, _ = np.histogram(conf, bins=edges, weights=right)
    nonempty = counts > 0
    gaps = np.abs(sum_right[nonempty] / counts[nonempty] - sum_conf[nonempty] / counts[nonempty])
    return float(np.sum(counts[nonempty] / len(conf) * gaps))
