# replaces: days_needed_solution
# fails: days_needed_bad_input
# mistake: never checks its inputs, so zero traffic crashes with ZeroDivisionError and one arm is accepted
def days_needed(n_per_arm, units_per_day, arms=2):
    return int(math.ceil(n_per_arm * arms / units_per_day))
