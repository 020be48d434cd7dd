# replaces: corrected_pass_rate_solution
# fails: corrected_pass_rate_bad_input
# mistake: checks the denominator but not the inputs, so rates above 1, negative rates, strings and None get through or crash with TypeError
def corrected_pass_rate(observed_pass_rate, tpr, tnr):
    if tpr + tnr - 1 <= 0:
        raise ValueError("uninformative judge")
    return float(min(1.0, max(0.0, (observed_pass_rate + tnr - 1) / (tpr + tnr - 1))))
