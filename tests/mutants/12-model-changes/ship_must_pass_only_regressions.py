# replaces: ship_new_version_solution
# fails: ship_new_version_must_pass
# mistake: only checks must-pass cases the old version passed, so a must-pass case both versions fail slips through
def ship_new_version(report_old, report_new, must_pass, gates):
    for r in (report_old, report_new):
        if "metrics" not in r or "passed" not in r:
            raise ValueError("bad report")
    reasons = []
    for metric, gate in gates.items():
        if metric not in report_old["metrics"] or metric not in report_new["metrics"] or not gate or set(gate) - {"min", "max_drop"}:
            raise ValueError("bad gate")
        old, new = report_old["metrics"][metric], report_new["metrics"][metric]
        if "min" in gate and new < gate["min"]:
            reasons.append(f"{metric}: below minimum")
        if "max_drop" in gate and old - new > gate["max_drop"]:
            reasons.append(f"{metric}: dropped too much")
    regressed = (set(must_pass) & set(report_old["passed"])) - set(report_new["passed"])
    reasons += [f"must_pass: {c}" for c in sorted(regressed)]
    return (not reasons, reasons)
