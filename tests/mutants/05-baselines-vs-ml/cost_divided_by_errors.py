# replaces: cost_per_ticket_solution
# fails: cost_per_ticket_example
# mistake: divides by the number of mistakes (cost per error) instead of the number of tickets
def cost_per_ticket(y_true, y_pred, wrong_queue_cost, general_queue_cost):
    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred) or not y_true:
        raise ValueError("bad input")
    costs = [general_queue_cost if p == "other" else wrong_queue_cost[t] for t, p in zip(y_true, y_pred) if t != p]
    return float(sum(costs) / len(costs)) if costs else 0.0
