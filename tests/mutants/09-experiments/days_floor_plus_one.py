# replaces: days_needed_solution
# fails: days_needed_value
# mistake: rounds up as floor + 1, which adds a needless day when the division is exact
def days_needed(n_per_arm, units_per_day, arms=2):
    if n_per_arm < 1 or units_per_day <= 0 or arms < 2 or int(arms) != arms:
        raise ValueError("bad input")
    return int(n_per_arm * arms // units_per_day) + 1
