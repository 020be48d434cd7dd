# replaces: cohen_kappa_solution
# fails: cohen_kappa_edge_cases
# mistake: reads agreement off the diagonal of pd.crosstab, which is not square or aligned when a label is used by only one annotator
def cohen_kappa(a, b):
    a, b = list(a), list(b)
    if len(a) != len(b) or not a:
        raise ValueError("bad lengths")
    if any(pd.isna(x) for x in a + b):
        raise ValueError("missing label")
    table = pd.crosstab(pd.Series(a, name="a"), pd.Series(b, name="b")).to_numpy()
    n = table.sum()
    p_o = np.trace(table) / n
    rows, cols = table.sum(axis=1) / n, table.sum(axis=0) / n
    k = min(len(rows), len(cols))
    p_e = float((rows[:k] * cols[:k]).sum())
    if p_e == 1:
        return float("nan")
    return float((p_o - p_e) / (1 - p_e))
