# replaces: breakeven_accuracy_solution
# fails: breakeven_accuracy_value
# mistake: clips the break-even to 1.0, claiming a perfect system pays back when no accuracy does
def breakeven_accuracy(value_correct, cost_error, cost_per_call):
    for value in (value_correct, cost_error, cost_per_call):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError("numbers only")
        if not np.isfinite(value) or value < 0:
            raise ValueError("finite and >= 0")
    if value_correct + cost_error == 0:
        raise ValueError("no break-even")
    return float(min(1.0, (cost_error + cost_per_call) / (value_correct + cost_error)))
