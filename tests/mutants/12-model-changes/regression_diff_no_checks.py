# replaces: regression_diff_solution
# fails: regression_diff_bad_input
# mistake: zips the inputs without checking their lengths or the ids, so mismatched inputs are silently truncated
def regression_diff(y_true, old_pred, new_pred, ids):
    fixed, broken = [], []
    for t, o, n, i in zip(y_true, old_pred, new_pred, ids):
        if o != t and n == t:
            fixed.append(i)
        elif o == t and n != t:
            broken.append(i)
    return {"fixed": fixed, "broken": broken}
