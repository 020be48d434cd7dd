# replaces: psi_band_solution
# fails: psi_band_boundaries
# mistake: calls 0.25 itself 'major' (>= instead of >) and never checks the type of its input
def psi_band(value):
    if value < 0:
        raise ValueError("PSI is non-negative")
    if value < 0.1:
        return "stable"
    if value < 0.25:
        return "moderate"
    return "major"
