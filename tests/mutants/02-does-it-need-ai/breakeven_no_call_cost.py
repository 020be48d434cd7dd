# replaces: breakeven_accuracy_solution
# fails: breakeven_accuracy_value, breakeven_accuracy_consistent_and_bad_input
# mistake: solves for the break-even without the cost per call, cost_error / (value_correct + cost_error)
def breakeven_accuracy(value_correct, cost_error, cost_per_call):
    for value in (value_correct, cost_error, cost_per_call):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError("numbers only")
        if not np.isfinite(value) or value < 0:
            raise ValueError("finite and >= 0")
    if value_correct + cost_error == 0:
        raise ValueError("no break-even")
    return float(cost_error / (value_correct + cost_error))
