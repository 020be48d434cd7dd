# replaces: labeling_budget_solution
# fails: labeling_budget_value
# mistake: divides seconds by 60 and calls the result hours
def labeling_budget(n_items, seconds_per_item, overlap, hourly_rate):
    for v in (n_items, seconds_per_item, overlap, hourly_rate):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ValueError("not a number")
    if n_items < 0 or int(n_items) != n_items or seconds_per_item <= 0 or not 0 <= overlap <= 1 or hourly_rate < 0:
        raise ValueError("out of range")
    hours = n_items * (1 + overlap) * seconds_per_item / 60
    return {"hours": float(hours), "cost": float(hours * hourly_rate)}
