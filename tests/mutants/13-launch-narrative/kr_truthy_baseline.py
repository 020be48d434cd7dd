# replaces: is_measurable_kr_solution
# fails: is_measurable_kr_vague
# mistake: tests the baseline for truthiness, so a real baseline of 0 counts as missing
def is_measurable_kr(kr):
    if not isinstance(kr, dict):
        raise TypeError("a key result is a dict")
    if not kr.get("metric") or not kr.get("baseline") or not kr.get("target") or not kr.get("date"):
        return False
    baseline, target, date = kr["baseline"], kr["target"], kr["date"]
    if isinstance(baseline, bool) or not isinstance(baseline, (int, float, np.integer, np.floating)) or math.isnan(baseline):
        return False
    if isinstance(target, bool) or not isinstance(target, (int, float, np.integer, np.floating)) or math.isnan(target):
        return False
    if not str(kr["metric"]).strip() or baseline == target:
        return False
    if isinstance(date, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(date))
        return len(str(date)) == 10
    except ValueError:
        return False
