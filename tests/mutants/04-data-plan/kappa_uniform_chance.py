# replaces: cohen_kappa_solution
# fails: cohen_kappa_value
# mistake: takes chance agreement as 1/k for k labels, instead of from each annotator's own label frequencies
def cohen_kappa(a, b):
    a, b = list(a), list(b)
    if len(a) != len(b) or not a:
        raise ValueError("bad lengths")
    if any(pd.isna(x) for x in a + b):
        raise ValueError("missing label")
    p_o = sum(x == y for x, y in zip(a, b)) / len(a)
    p_e = 1 / len(set(a) | set(b))
    if p_e == 1:
        return float("nan")
    return float((p_o - p_e) / (1 - p_e))
