# replaces: two_proportion_ztest_solution
# fails: ztest_bad_input
# mistake: computes the test without checking the counts, so 1,200 successes out of 1,000 gives a z-score
def two_proportion_ztest(x_a, n_a, x_b, n_b):
    pooled = (x_a + x_b) / (n_a + n_b)
    se = math.sqrt(abs(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))) or 1.0
    z = (x_b / n_b - x_a / n_a) / se
    return float(z), float(2 * stats.norm.sf(abs(z)))
