# replaces: pick_threshold_solution
# fails: pick_threshold_scans_all
# mistake: lowers the threshold from the top and stops at the first one that misses the target, assuming precision only rises with the threshold
def pick_threshold(confidences, correct, min_precision):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=bool)
    if len(conf) == 0 or len(conf) != len(right) or not 0 <= min_precision <= 1:
        raise ValueError("bad input")
    best = None
    for t in np.unique(conf)[::-1]:
        if right[conf >= t].mean() >= min_precision:
            best = float(t)
        else:
            break
    return best
