# replaces: psi_solution
# fails: psi_handles_empty_bins
# mistake: silently drops the bins where a share is zero, which hides a brand-new intent
def psi(reference_counts, current_counts, eps=1e-4):
    r = np.asarray(reference_counts, dtype=float)
    c = np.asarray(current_counts, dtype=float)
    if len(r) != len(c) or len(r) == 0 or (r < 0).any() or (c < 0).any() or r.sum() == 0 or c.sum() == 0:
        raise ValueError("bad counts")
    if not (np.isfinite(r).all() and np.isfinite(c).all()):
        raise ValueError("bad counts")
    r, c = r / r.sum(), c / c.sum()
    keep = (r > 0) & (c > 0)
    return float(np.sum((c[keep] - r[keep]) * np.log(c[keep] / r[keep])))
