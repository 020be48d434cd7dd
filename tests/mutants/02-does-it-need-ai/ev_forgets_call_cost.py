# replaces: expected_value_per_ticket_solution
# fails: expected_value_per_ticket_value
# mistake: forgets to subtract the cost of the call, so every answer looks a little better than it is
def expected_value_per_ticket(accuracy, value_correct, cost_error, cost_per_call):
    for value in (accuracy, value_correct, cost_error, cost_per_call):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError("numbers only")
        if not np.isfinite(value) or value < 0:
            raise ValueError("finite and >= 0")
    if accuracy > 1:
        raise ValueError("accuracy is a fraction")
    return float(accuracy * value_correct - (1 - accuracy) * cost_error)
