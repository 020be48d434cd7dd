# replaces: pick_threshold_solution
# fails: pick_threshold_scans_all
# mistake: requires precision strictly above the target, so a threshold that meets it exactly is rejected
def pick_threshold(confidences, correct, min_precision):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=bool)
    if len(conf) == 0 or len(conf) != len(right) or not 0 <= min_precision <= 1:
        raise ValueError("bad input")
    for t in np.unique(conf):
        if right[conf >= t].mean() > min_precision:
            return float(t)
    return None
