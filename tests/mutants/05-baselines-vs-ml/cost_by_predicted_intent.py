# replaces: cost_per_ticket_solution
# fails: cost_per_ticket_example
# mistake: charges the cost of the queue the ticket went to, not the cost of what the customer needed
def cost_per_ticket(y_true, y_pred, wrong_queue_cost, general_queue_cost):
    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred) or not y_true:
        raise ValueError("bad input")
    total = 0.0
    for truth, pred in zip(y_true, y_pred):
        if truth != pred:
            total += general_queue_cost if pred == "other" else wrong_queue_cost[pred]
    return total / len(y_true)
