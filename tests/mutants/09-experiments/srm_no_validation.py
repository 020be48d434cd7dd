# replaces: srm_check_solution
# fails: srm_bad_input
# mistake: passes anything straight to scipy, so negative counts or an empty test give a number or NaN instead of an error
def srm_check(n_a, n_b, expected_share=0.5):
    total = n_a + n_b
    if total == 0:
        return float("nan")
    return float(stats.chisquare([n_a, n_b], f_exp=[total * expected_share, total * (1 - expected_share)]).pvalue)
