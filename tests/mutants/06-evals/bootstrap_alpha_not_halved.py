# replaces: bootstrap_ci_solution
# fails: bootstrap_ci_reproducible, bootstrap_ci_matches_scipy
# mistake: cuts at the alpha and 1 - alpha quantiles, a 90% interval when 95% was asked for
def bootstrap_ci(values, stat, n_boot, alpha, seed):
    values = np.asarray(values)
    if len(values) == 0 or n_boot < 1 or not 0 < alpha < 1:
        raise ValueError("bad input")
    idx = np.random.default_rng(seed).integers(0, len(values), size=(n_boot, len(values)))
    stats = [float(stat(values[row])) for row in idx]
    low, high = np.quantile(stats, [alpha, 1 - alpha])
    return float(low), float(high)
