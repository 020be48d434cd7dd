# replaces: mvq_gate_solution
# fails: mvq_gate_example, mvq_gate_lower_bound
# mistake: judges each gate on the point estimate instead of the lower bound
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
        if estimate < bar:
            failures.append(metric)
    return len(failures) == 0, failures
