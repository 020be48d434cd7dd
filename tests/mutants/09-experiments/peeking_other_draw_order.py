# replaces: simulate_peeking_fpr_solution
# fails: peeking_follows_the_spec
# mistake: draws the arms in a different shape, (n_sims, looks, 2), so the numbers do not match the recipe everyone follows
def simulate_peeking_fpr(looks, n_per_look=1000, p=0.10, alpha=0.05, n_sims=2000, seed=0):
    if looks < 1 or n_sims < 1 or int(looks) != looks or not 0 < p < 1 or not 0 < alpha < 1:
        raise ValueError("bad input")
    rng = np.random.default_rng(seed)
    successes = rng.binomial(n_per_look, p, size=(n_sims, looks, 2)).transpose(1, 2, 0)
    cum = successes.cumsum(axis=0)
    n = n_per_look * np.arange(1, looks + 1)[:, None]
    pooled = (cum[:, 0] + cum[:, 1]) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * 2 / n)
    diff = cum[:, 1] / n - cum[:, 0] / n
    z = np.divide(diff, se, out=np.zeros_like(diff), where=se > 0)
    return float(((2 * stats.norm.sf(np.abs(z)) < alpha) & (se > 0)).any(axis=0).mean())
