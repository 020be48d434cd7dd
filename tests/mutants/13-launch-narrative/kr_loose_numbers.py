# replaces: is_measurable_kr_solution
# fails: is_measurable_kr_parts
# mistake: accepts booleans, NaN and a target equal to the baseline as numbers that commit to something
def is_measurable_kr(kr):
    if not isinstance(kr, dict):
        raise TypeError("a key result is a dict")
    metric, baseline, target, date = (kr.get(k) for k in ("metric", "baseline", "target", "date"))
    numbers = isinstance(baseline, (int, float, np.integer, np.floating)) and isinstance(target, (int, float, np.integer, np.floating))
    if isinstance(date, dt.date):
        real = True
    else:
        try:
            dt.date.fromisoformat(str(date))
            real = isinstance(date, str) and len(date) == 10
        except ValueError:
            real = False
    return bool(isinstance(metric, str) and metric.strip() and numbers and real)
