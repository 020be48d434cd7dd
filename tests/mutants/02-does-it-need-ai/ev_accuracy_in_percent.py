# replaces: expected_value_per_ticket_solution
# fails: expected_value_per_ticket_bad_input
# mistake: accepts accuracy in percent and silently divides values above 1 by 100
def expected_value_per_ticket(accuracy, value_correct, cost_error, cost_per_call):
    if accuracy > 1:
        accuracy = accuracy / 100
    if min(accuracy, value_correct, cost_error, cost_per_call) < 0:
        raise ValueError("negative input")
    return float(accuracy * value_correct - (1 - accuracy) * cost_error - cost_per_call)
