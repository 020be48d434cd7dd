# replaces: sample_size_per_arm_solution
# fails: sample_size_matches_formula
# mistake: uses each arm's own variance in both terms ((z_a + z_b)^2 * (p1q1 + p2q2) / d^2), not the pooled variance under H0
def sample_size_per_arm(p_baseline, mde_abs, alpha=0.05, power=0.8):
    if not 0 < p_baseline < 1 or mde_abs == 0 or not 0 < p_baseline + mde_abs < 1:
        raise ValueError("bad input")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("bad alpha or power")
    p_2 = p_baseline + mde_abs
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return int(math.ceil(z ** 2 * (p_baseline * (1 - p_baseline) + p_2 * (1 - p_2)) / mde_abs ** 2))
