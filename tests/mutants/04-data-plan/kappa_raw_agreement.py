# replaces: cohen_kappa_solution
# fails: cohen_kappa_value
# mistake: returns raw agreement p_o and forgets to correct for the agreement expected by chance
def cohen_kappa(a, b):
    a, b = list(a), list(b)
    if len(a) != len(b) or not a:
        raise ValueError("bad lengths")
    if any(pd.isna(x) for x in a + b):
        raise ValueError("missing label")
    return float(sum(x == y for x, y in zip(a, b)) / len(a))
