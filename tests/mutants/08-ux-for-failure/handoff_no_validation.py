# replaces: handoff_cost_solution
# fails: handoff_cost_bad_input
# mistake: prices anything that is not 'auto' or 'suggest' as a human handoff, so typos like 'robot' or 'Auto' are never caught
def handoff_cost(routes, correct, human_minutes=2.0, review_minutes=0.5, misroute_minutes=12.0):
    costs = []
    for route, right in zip(routes, correct):
        if route == "auto":
            costs.append(0.0 if right else misroute_minutes)
        elif route == "suggest":
            costs.append(review_minutes + (0.0 if right else human_minutes))
        else:
            costs.append(human_minutes)
    return float(np.mean(costs)) if costs else 0.0
