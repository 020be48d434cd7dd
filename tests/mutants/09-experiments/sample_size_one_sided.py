# replaces: sample_size_per_arm_solution
# fails: sample_size_matches_formula
# mistake: uses a one-sided critical value norm.ppf(1 - alpha) for a two-sided test
def sample_size_per_arm(p_baseline, mde_abs, alpha=0.05, power=0.8):
    if not 0 < p_baseline < 1 or mde_abs == 0 or not 0 < p_baseline + mde_abs < 1:
        raise ValueError("bad input")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("bad alpha or power")
    p_2 = p_baseline + mde_abs
    p_bar = (p_baseline + p_2) / 2
    root = (stats.norm.ppf(1 - alpha) * math.sqrt(2 * p_bar * (1 - p_bar))
            + stats.norm.ppf(power) * math.sqrt(p_baseline * (1 - p_baseline) + p_2 * (1 - p_2)))
    return int(math.ceil(root ** 2 / mde_abs ** 2))
