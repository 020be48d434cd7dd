# replaces: psi_solution
# fails: psi_matches_formula
# mistake: computes the KL divergence sum(c * ln(c / r)) instead of sum((c - r) * ln(c / r))
def psi(reference_counts, current_counts, eps=1e-4):
    r = np.asarray(reference_counts, dtype=float)
    c = np.asarray(current_counts, dtype=float)
    if len(r) != len(c) or len(r) == 0 or (r < 0).any() or (c < 0).any() or r.sum() == 0 or c.sum() == 0:
        raise ValueError("bad counts")
    if not (np.isfinite(r).all() and np.isfinite(c).all()):
        raise ValueError("bad counts")
    r, c = r / r.sum(), c / c.sum()
    r = np.where(r == 0, eps, r)
    c = np.where(c == 0, eps, c)
    return float(np.sum(c * np.log(c / r)))
