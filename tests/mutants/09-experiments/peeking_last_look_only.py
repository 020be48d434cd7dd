# replaces: simulate_peeking_fpr_solution
# fails: peeking_behaves_like_theory, peeking_follows_the_spec
# mistake: tests only the final look, which is the no-peeking rate whatever the number of looks
def simulate_peeking_fpr(looks, n_per_look=1000, p=0.10, alpha=0.05, n_sims=2000, seed=0):
    if looks < 1 or n_sims < 1 or int(looks) != looks or not 0 < p < 1 or not 0 < alpha < 1:
        raise ValueError("bad input")
    rng = np.random.default_rng(seed)
    successes = rng.binomial(n_per_look, p, size=(looks, 2, n_sims))
    total = successes.sum(axis=0)
    n = n_per_look * looks
    pooled = (total[0] + total[1]) / (2 * n)
    z = (total[1] - total[0]) / n / np.sqrt(pooled * (1 - pooled) * 2 / n)
    return float((2 * stats.norm.sf(np.abs(z)) < alpha).mean())
