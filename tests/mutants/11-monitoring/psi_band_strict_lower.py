# replaces: psi_band_solution
# fails: psi_band_boundaries
# mistake: uses <= 0.1 for 'stable', so a PSI of exactly 0.1 is called stable
def psi_band(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError("number expected")
    if math.isnan(value) or value < 0:
        raise ValueError("PSI is non-negative")
    if value <= 0.1:
        return "stable"
    if value <= 0.25:
        return "moderate"
    return "major"
