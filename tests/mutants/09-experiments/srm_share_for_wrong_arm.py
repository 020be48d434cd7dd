# replaces: srm_check_solution
# fails: srm_matches_scipy
# mistake: gives the expected share to arm B instead of arm A, which only shows when the planned split is not 50/50
def srm_check(n_a, n_b, expected_share=0.5):
    if n_a < 0 or n_b < 0 or n_a + n_b == 0 or not 0 < expected_share < 1:
        raise ValueError("bad input")
    total = n_a + n_b
    return float(stats.chisquare([n_a, n_b], f_exp=[total * (1 - expected_share), total * expected_share]).pvalue)
