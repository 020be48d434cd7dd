# replaces: corrected_pass_rate_solution
# fails: corrected_pass_rate_values
# mistake: corrects only for the judge's sensitivity (observed / TPR) and ignores the bad outputs it lets through
def corrected_pass_rate(observed_pass_rate, tpr, tnr):
    for v in (observed_pass_rate, tpr, tnr):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ValueError("rates must be numbers in [0, 1]")
    if tpr + tnr - 1 <= 0:
        raise ValueError("uninformative judge")
    return float(min(1.0, max(0.0, observed_pass_rate / tpr)))
