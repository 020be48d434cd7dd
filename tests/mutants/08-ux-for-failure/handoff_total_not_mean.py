# replaces: handoff_cost_solution
# fails: handoff_cost_example
# mistake: returns the total minutes for the batch instead of the average per ticket
def handoff_cost(routes, correct, human_minutes=2.0, review_minutes=0.5, misroute_minutes=12.0):
    routes, correct = list(routes), list(correct)
    if not routes or len(routes) != len(correct) or set(routes) - {"auto", "suggest", "human"}:
        raise ValueError("bad routes")
    if min(human_minutes, review_minutes, misroute_minutes) < 0:
        raise ValueError("negative minutes")
    total = 0.0
    for route, right in zip(routes, correct):
        if route == "human":
            total += human_minutes
        elif route == "suggest":
            total += review_minutes + (0 if right else human_minutes)
        elif not right:
            total += misroute_minutes
    return float(total)
