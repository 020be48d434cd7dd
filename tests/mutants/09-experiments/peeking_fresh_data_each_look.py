# replaces: simulate_peeking_fpr_solution
# fails: peeking_behaves_like_theory, peeking_follows_the_spec
# mistake: tests each look's new batch on its own instead of the cumulative data, as if every look were a new test
def simulate_peeking_fpr(looks, n_per_look=1000, p=0.10, alpha=0.05, n_sims=2000, seed=0):
    if looks < 1 or n_sims < 1 or int(looks) != looks or not 0 < p < 1 or not 0 < alpha < 1:
        raise ValueError("bad input")
    rng = np.random.default_rng(seed)
    successes = rng.binomial(n_per_look, p, size=(looks, 2, n_sims))
    pooled = (successes[:, 0] + successes[:, 1]) / (2 * n_per_look)
    se = np.sqrt(pooled * (1 - pooled) * 2 / n_per_look)
    diff = (successes[:, 1] - successes[:, 0]) / n_per_look
    z = np.divide(diff, se, out=np.zeros_like(diff), where=se > 0)
    return float(((2 * stats.norm.sf(np.abs(z)) < alpha) & (se > 0)).any(axis=0).mean())
