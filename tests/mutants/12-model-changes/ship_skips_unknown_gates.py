# replaces: ship_new_version_solution
# fails: ship_new_version_bad_input
# mistake: silently skips a gate whose metric is missing from the reports instead of raising
def ship_new_version(report_old, report_new, must_pass, gates):
    reasons = []
    for metric, gate in gates.items():
        if metric not in report_old.get("metrics", {}) or metric not in report_new.get("metrics", {}):
            continue
        old, new = report_old["metrics"][metric], report_new["metrics"][metric]
        if "min" in gate and new < gate["min"]:
            reasons.append(f"{metric}: below minimum")
        if "max_drop" in gate and old - new > gate["max_drop"]:
            reasons.append(f"{metric}: dropped too much")
    reasons += [f"must_pass: {c}" for c in sorted(set(must_pass) - set(report_new.get("passed", set())))]
    return (not reasons, reasons)
