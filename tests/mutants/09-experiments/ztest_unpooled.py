# replaces: two_proportion_ztest_solution
# fails: ztest_matches_statsmodels
# mistake: uses the unpooled (Wald) standard error sqrt(pa(1-pa)/na + pb(1-pb)/nb) instead of the pooled one
def two_proportion_ztest(x_a, n_a, x_b, n_b):
    if n_a < 1 or n_b < 1 or not (0 <= x_a <= n_a and 0 <= x_b <= n_b):
        raise ValueError("bad counts")
    p_a, p_b = x_a / n_a, x_b / n_b
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    if se == 0:
        raise ValueError("no variation")
    z = (p_b - p_a) / se
    return float(z), float(2 * stats.norm.sf(abs(z)))
