# replaces: pick_threshold_solution
# fails: pick_threshold_scans_all, pick_threshold_on_basketly
# mistake: scans a fixed grid of thresholds (0.00, 0.01, ...) instead of the observed confidences
def pick_threshold(confidences, correct, min_precision):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=bool)
    if len(conf) == 0 or len(conf) != len(right) or not 0 <= min_precision <= 1:
        raise ValueError("bad input")
    for t in np.round(np.arange(0, 1.0001, 0.01), 2):
        covered = conf >= t
        if covered.any() and right[covered].mean() >= min_precision:
            return float(t)
    return None
