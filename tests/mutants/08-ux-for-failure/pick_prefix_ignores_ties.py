# replaces: pick_threshold_solution
# fails: pick_threshold_none_and_ties
# mistake: sorts and uses cumsum over positions, so a threshold is credited with only part of a group of tied confidences
def pick_threshold(confidences, correct, min_precision):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=bool)
    if len(conf) == 0 or len(conf) != len(right) or not 0 <= min_precision <= 1:
        raise ValueError("bad input")
    order = np.argsort(-conf, kind="stable")
    precision = np.cumsum(right[order]) / np.arange(1, len(conf) + 1)
    ok = np.flatnonzero(precision >= min_precision)
    return float(conf[order][ok.max()]) if len(ok) else None
