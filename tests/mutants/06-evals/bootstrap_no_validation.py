# replaces: bootstrap_ci_solution
# fails: bootstrap_ci_bad_input
# mistake: no input checks: alpha = 0 or 1.5 and n_boot = 0 are accepted or crash with an unclear error
def bootstrap_ci(values, stat, n_boot, alpha, seed):
    values = np.asarray(values)
    idx = np.random.default_rng(seed).integers(0, max(len(values), 1), size=(n_boot, len(values)))
    stats = [float(stat(values[row])) for row in idx] or [0.0]
    low, high = np.quantile(stats, [min(max(alpha / 2, 0), 1), min(max(1 - alpha / 2, 0), 1)])
    return float(low), float(high)
