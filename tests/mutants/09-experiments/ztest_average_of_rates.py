# replaces: two_proportion_ztest_solution
# fails: ztest_matches_statsmodels
# mistake: "pools" by averaging the two rates, which is wrong when the arms have different sizes
def two_proportion_ztest(x_a, n_a, x_b, n_b):
    if n_a < 1 or n_b < 1 or not (0 <= x_a <= n_a and 0 <= x_b <= n_b):
        raise ValueError("bad counts")
    p_a, p_b = x_a / n_a, x_b / n_b
    pooled = (p_a + p_b) / 2
    if pooled in (0.0, 1.0):
        raise ValueError("no variation")
    z = (p_b - p_a) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return float(z), float(2 * stats.norm.sf(abs(z)))
