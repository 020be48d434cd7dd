# replaces: sample_size_per_arm_solution
# fails: sample_size_rejects_impossible_effects
# mistake: rejects a zero MDE but never checks that the rates, alpha and power are possible
def sample_size_per_arm(p_baseline, mde_abs, alpha=0.05, power=0.8):
    if mde_abs == 0:
        raise ValueError("mde_abs must not be 0")
    p_2 = p_baseline + mde_abs
    p_bar = (p_baseline + p_2) / 2
    root = (stats.norm.ppf(1 - alpha / 2) * math.sqrt(abs(2 * p_bar * (1 - p_bar)))
            + stats.norm.ppf(power) * math.sqrt(abs(p_baseline * (1 - p_baseline) + p_2 * (1 - p_2))))
    return int(math.ceil(root ** 2 / mde_abs ** 2))
