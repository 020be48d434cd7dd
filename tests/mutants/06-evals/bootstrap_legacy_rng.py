# replaces: bootstrap_ci_solution
# fails: bootstrap_ci_reproducible
# mistake: seeds NumPy's legacy global generator (np.random.seed + randint) instead of default_rng(seed)
def bootstrap_ci(values, stat, n_boot, alpha, seed):
    values = np.asarray(values)
    if len(values) == 0 or n_boot < 1 or not 0 < alpha < 1:
        raise ValueError("bad input")
    np.random.seed(seed)
    idx = np.random.randint(0, len(values), size=(n_boot, len(values)))
    stats = [float(stat(values[row])) for row in idx]
    low, high = np.quantile(stats, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)
