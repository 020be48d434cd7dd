# replaces: handoff_cost_solution
# fails: handoff_cost_example
# mistake: charges a wrong suggestion only the review, forgetting that the agent then triages the ticket by hand
def handoff_cost(routes, correct, human_minutes=2.0, review_minutes=0.5, misroute_minutes=12.0):
    routes, correct = list(routes), list(correct)
    if not routes or len(routes) != len(correct) or set(routes) - {"auto", "suggest", "human"}:
        raise ValueError("bad routes")
    if min(human_minutes, review_minutes, misroute_minutes) < 0:
        raise ValueError("negative minutes")
    per_route = {"human": lambda ok: human_minutes, "suggest": lambda ok: review_minutes,
                 "auto": lambda ok: 0.0 if ok else misroute_minutes}
    return float(np.mean([per_route[r](ok) for r, ok in zip(routes, correct)]))
