# replaces: labeling_budget_solution
# fails: labeling_budget_bad_input
# mistake: checks that overlap is at most 1 but accepts negative items, zero seconds, strings and bools
def labeling_budget(n_items, seconds_per_item, overlap, hourly_rate):
    if overlap > 1:
        raise ValueError("overlap must be at most 1")
    hours = n_items * (1 + overlap) * seconds_per_item / 3600
    return {"hours": float(hours), "cost": float(hours * hourly_rate)}
