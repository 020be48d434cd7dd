# replaces: corrected_pass_rate_solution
# fails: corrected_pass_rate_values
# mistake: forgets to clip, so sampling noise can give a pass rate below 0 or above 1
def corrected_pass_rate(observed_pass_rate, tpr, tnr):
    for v in (observed_pass_rate, tpr, tnr):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ValueError("rates must be numbers in [0, 1]")
    if tpr + tnr - 1 <= 0:
        raise ValueError("uninformative judge")
    return float((observed_pass_rate + tnr - 1) / (tpr + tnr - 1))
