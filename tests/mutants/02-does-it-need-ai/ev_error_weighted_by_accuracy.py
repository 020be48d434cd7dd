# replaces: expected_value_per_ticket_solution
# fails: expected_value_per_ticket_value
# mistake: weights the error cost by the accuracy instead of by the error rate (1 - accuracy)
def expected_value_per_ticket(accuracy, value_correct, cost_error, cost_per_call):
    for value in (accuracy, value_correct, cost_error, cost_per_call):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError("numbers only")
        if not np.isfinite(value) or value < 0:
            raise ValueError("finite and >= 0")
    if accuracy > 1:
        raise ValueError("accuracy is a fraction")
    return float((1 - accuracy) * value_correct - accuracy * cost_error - cost_per_call)
