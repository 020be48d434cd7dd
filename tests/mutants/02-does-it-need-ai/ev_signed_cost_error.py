# replaces: expected_value_per_ticket_solution
# fails: expected_value_per_ticket_bad_input
# mistake: lets cost_error be negative (a "signed" loss), so a sign slip upstream turns errors into profit
def expected_value_per_ticket(accuracy, value_correct, cost_error, cost_per_call):
    if not 0 <= accuracy <= 1:
        raise ValueError("accuracy must be between 0 and 1")
    return float(accuracy * value_correct - (1 - accuracy) * abs(cost_error) - cost_per_call)
