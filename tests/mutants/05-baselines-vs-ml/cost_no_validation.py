# replaces: cost_per_ticket_solution
# fails: cost_per_ticket_reference
# mistake: never checks its input: zip() silently drops the extra ticket and a missing cost raises KeyError
def cost_per_ticket(y_true, y_pred, wrong_queue_cost, general_queue_cost):
    y_true = list(y_true)
    total = 0.0
    for truth, pred in zip(y_true, y_pred):
        if truth != pred:
            total += general_queue_cost if pred == "other" else wrong_queue_cost[truth]
    return total / max(len(y_true), 1)
