# replaces: quiet_window_solution
# fails: quiet_window_choice
# mistake: reads the median column, so the window is quiet only on a typical day, not on 95% of days
quiet_window_days = int(noise.loc[noise["median_psi"] < 0.1, "window_days"].min())
