# replaces: psi_solution
# fails: psi_rejects_bad_input
# mistake: trusts its input, so a negative count gives NaN instead of an error
def psi(reference_counts, current_counts, eps=1e-4):
    r = np.asarray(reference_counts, dtype=float)
    c = np.asarray(current_counts, dtype=float)
    r, c = r / r.sum(), c / c.sum()
    r = np.where(r == 0, eps, r)
    c = np.where(c == 0, eps, c)
    return float(np.sum((c - r) * np.log(c / r)))
