# replaces: is_measurable_kr_solution
# fails: is_measurable_kr_parts, is_measurable_kr_vague
# mistake: accepts any non-empty date, so "Q3", "soon" or 30 February pass
def is_measurable_kr(kr):
    if not isinstance(kr, dict):
        raise TypeError("a key result is a dict")
    def number(x):
        return not isinstance(x, bool) and isinstance(x, (int, float, np.integer, np.floating)) and not math.isnan(x)
    metric, baseline, target, date = (kr.get(k) for k in ("metric", "baseline", "target", "date"))
    return bool(isinstance(metric, str) and metric.strip() and number(baseline) and number(target)
                and baseline != target and date)
