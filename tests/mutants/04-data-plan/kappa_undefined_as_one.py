# replaces: cohen_kappa_solution
# fails: cohen_kappa_edge_cases
# mistake: when both annotators used one label everywhere, returns 1.0 ("they agree!") instead of the undefined nan
def cohen_kappa(a, b):
    a, b = list(a), list(b)
    if len(a) != len(b) or not a:
        raise ValueError("bad lengths")
    if any(pd.isna(x) for x in a + b):
        raise ValueError("missing label")
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b)) / n
    p_e = sum(a.count(k) * b.count(k) for k in set(a) | set(b)) / n ** 2
    if p_e == 1:
        return 1.0
    return float((p_o - p_e) / (1 - p_e))
