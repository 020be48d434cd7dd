# replaces: wilson_interval_solution
# fails: wilson_interval_example, wilson_interval_statsmodels
# mistake: uses the normal (Wald) interval p +/- z*sqrt(p(1-p)/n) instead of Wilson's
def wilson_interval(successes, n, z=1.96):
    if n <= 0 or successes < 0 or successes > n:
        raise ValueError("bad input")
    p = successes / n
    half = z * np.sqrt(p * (1 - p) / n)
    return float(max(0.0, p - half)), float(min(1.0, p + half))
