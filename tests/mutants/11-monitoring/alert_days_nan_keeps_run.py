# replaces: alert_days_solution
# fails: alert_days_consecutive_runs
# mistake: drops the days without data first, so a gap no longer breaks a run
def alert_days(series, rule):
    if not isinstance(series, pd.Series):
        raise TypeError("series must be a Series")
    if "threshold" not in rule or rule.get("direction") not in ("above", "below"):
        raise ValueError("bad rule")
    k = rule.get("consecutive", 1)
    if not isinstance(k, int) or k < 1:
        raise ValueError("bad rule")
    fired, run = [], 0
    for day, value in series.sort_index().dropna().items():
        breach = value > rule["threshold"] if rule["direction"] == "above" else value < rule["threshold"]
        run = run + 1 if breach else 0
        if run == k:
            fired.append(day)
    return fired
