# replaces: bootstrap_ci_solution
# fails: bootstrap_ci_reproducible, bootstrap_ci_matches_scipy
# mistake: shuffles the data (sampling without replacement), so every resample has the same mean
def bootstrap_ci(values, stat, n_boot, alpha, seed):
    values = np.asarray(values)
    if len(values) == 0 or n_boot < 1 or not 0 < alpha < 1:
        raise ValueError("bad input")
    rng = np.random.default_rng(seed)
    stats = [float(stat(values[rng.permutation(len(values))])) for _ in range(n_boot)]
    low, high = np.quantile(stats, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)
