# replaces: coverage_table_solution
# fails: coverage_table_small
# mistake: reports a precision of 0 when nothing is covered, inventing a value for an undefined ratio
def coverage_table(confidences, correct, thresholds):
    conf, right = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=bool)
    if len(conf) == 0 or len(conf) != len(right) or len(thresholds) == 0 or min(thresholds) < 0 or max(thresholds) > 1:
        raise ValueError("bad input")
    rows = []
    for t in thresholds:
        covered = conf >= t
        n = int(covered.sum())
        rows.append({"threshold": float(t), "n_covered": n, "coverage": n / len(conf),
                     "precision": float(right[covered].sum() / max(n, 1))})
    return pd.DataFrame(rows)
