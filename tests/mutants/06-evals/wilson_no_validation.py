# replaces: wilson_interval_solution
# fails: wilson_interval_bad_input
# mistake: never validates n and successes, so n = 0 crashes with ZeroDivisionError and 11 of 10 returns an interval
def wilson_interval(successes, n, z=1.96):
    p = successes / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z / denominator * np.sqrt(abs(p * (1 - p)) / n + z**2 / (4 * n**2))
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))
