# replaces: two_proportion_ztest_solution
# fails: ztest_matches_statsmodels
# mistake: computes A minus B, so a treatment that converts more gets a negative z
def two_proportion_ztest(x_a, n_a, x_b, n_b):
    if n_a < 1 or n_b < 1 or not (0 <= x_a <= n_a and 0 <= x_b <= n_b):
        raise ValueError("bad counts")
    pooled = (x_a + x_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        raise ValueError("no variation")
    z = (x_a / n_a - x_b / n_b) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return float(z), float(2 * stats.norm.sf(abs(z)))
