# replaces: wilson_interval_solution
# fails: wilson_interval_example, wilson_interval_statsmodels
# mistake: keeps Wilson's half-width but centres it on p instead of shifting the centre toward 0.5
def wilson_interval(successes, n, z=1.96):
    if n <= 0 or successes < 0 or successes > n:
        raise ValueError("bad input")
    p = successes / n
    denominator = 1 + z**2 / n
    half = z / denominator * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return float(max(0.0, p - half)), float(min(1.0, p + half))
