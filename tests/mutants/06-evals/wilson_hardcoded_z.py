# replaces: wilson_interval_solution
# fails: wilson_interval_statsmodels
# mistake: hard-codes 1.96 inside the formula, so the z argument (90% or 99% intervals) is ignored
def wilson_interval(successes, n, z=1.96):
    if n <= 0 or successes < 0 or successes > n:
        raise ValueError("bad input")
    p = successes / n
    denominator = 1 + 1.96**2 / n
    centre = (p + 1.96**2 / (2 * n)) / denominator
    half = 1.96 / denominator * np.sqrt(p * (1 - p) / n + 1.96**2 / (4 * n**2))
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))
