# replaces: regression_diff_solution
# fails: regression_diff_small_cases
# mistake: counts every case whose answer changed to a wrong one as broken, even when the old answer was wrong too
def regression_diff(y_true, old_pred, new_pred, ids):
    y_true, old_pred, new_pred, ids = list(y_true), list(old_pred), list(new_pred), list(ids)
    if not len(y_true) == len(old_pred) == len(new_pred) == len(ids) or len(set(ids)) != len(ids):
        raise ValueError("inputs do not line up")
    fixed = [i for t, o, n, i in zip(y_true, old_pred, new_pred, ids) if o != t and n == t]
    broken = [i for t, o, n, i in zip(y_true, old_pred, new_pred, ids) if n != o and n != t]
    return {"fixed": fixed, "broken": broken}
