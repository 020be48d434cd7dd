# replaces: cohen_kappa_solution
# fails: cohen_kappa_edge_cases
# mistake: works on pandas Series directly, so labels are paired by index label rather than by position
def cohen_kappa(a, b):
    a, b = pd.Series(a), pd.Series(b)
    if len(a) != len(b) or len(a) == 0:
        raise ValueError("bad lengths")
    if a.isna().any() or b.isna().any():
        raise ValueError("missing label")
    a, b = a.sort_index(), b.sort_index()
    n = len(a)
    p_o = float((a.to_numpy() == b.to_numpy()).mean())
    ca, cb = a.value_counts(), b.value_counts()
    p_e = sum(ca.get(k, 0) * cb.get(k, 0) for k in set(ca.index) | set(cb.index)) / n ** 2
    if p_e == 1:
        return float("nan")
    return float((p_o - p_e) / (1 - p_e))
