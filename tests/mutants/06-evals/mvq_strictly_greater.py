# replaces: mvq_gate_solution
# fails: mvq_gate_lower_bound
# mistake: requires the lower bound to be strictly above the bar (>), so a bound exactly at the bar fails
def mvq_gate(report, gates):
    if not gates:
        raise ValueError("no gates")
    failures = []
    for metric, bar in gates.items():
        if metric not in report:
            failures.append(metric)
            continue
        estimate, low, high = report[metric]
        if low > high:
            raise ValueError("low above high")
        if not low > bar:
            failures.append(metric)
    return len(failures) == 0, failures
