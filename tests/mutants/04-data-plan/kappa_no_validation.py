# replaces: cohen_kappa_solution
# fails: cohen_kappa_bad_input
# mistake: zips the labels without checking lengths or missing values, so a NaN becomes a label of its own
def cohen_kappa(a, b):
    pairs = list(zip(list(a), list(b)))
    n = len(pairs)
    a = [str(x) for x, _ in pairs]
    b = [str(y) for _, y in pairs]
    p_o = sum(x == y for x, y in zip(a, b)) / n
    p_e = sum(a.count(k) * b.count(k) for k in set(a) | set(b)) / n ** 2
    if p_e == 1:
        return float("nan")
    return float((p_o - p_e) / (1 - p_e))
