# replaces: breakeven_accuracy_solution
# fails: breakeven_accuracy_consistent_and_bad_input
# mistake: no input checks, so zero value and cost hit ZeroDivisionError and negative amounts pass
def breakeven_accuracy(value_correct, cost_error, cost_per_call):
    return float((cost_error + cost_per_call) / (value_correct + cost_error))
