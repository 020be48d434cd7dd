# replaces: mvq_gate_solution
# fails: mvq_gate_missing_and_bad_input
# mistake: looks every gated metric up directly, so a metric missing from the report crashes with KeyError
def mvq_gate(report, gates):
    failures = [metric for metric, bar in gates.items() if report[metric][1] < bar]
    return len(failures) == 0, failures
