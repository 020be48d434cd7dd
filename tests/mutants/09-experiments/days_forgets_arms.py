# replaces: days_needed_solution
# fails: days_needed_value
# mistake: divides one arm's sample by the daily traffic, forgetting that every arm shares that traffic
def days_needed(n_per_arm, units_per_day, arms=2):
    if n_per_arm < 1 or units_per_day <= 0 or arms < 2 or int(arms) != arms:
        raise ValueError("bad input")
    return int(math.ceil(n_per_arm / units_per_day))
