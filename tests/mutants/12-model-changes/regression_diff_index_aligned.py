# replaces: regression_diff_solution
# fails: regression_diff_small_cases
# mistake: compares pandas Series, which aligns them by index instead of by position
def regression_diff(y_true, old_pred, new_pred, ids):
    t, o, n, i = pd.Series(y_true), pd.Series(old_pred), pd.Series(new_pred), pd.Series(ids)
    if not len(t) == len(o) == len(n) == len(i) or i.duplicated().any():
        raise ValueError("inputs do not line up")
    fixed = i[(o != t) & (n == t)]
    broken = i[(o == t) & (n != t)]
    return {"fixed": fixed.tolist(), "broken": broken.tolist()}
