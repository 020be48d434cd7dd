# replaces: prioritize_failures_solution
# fails: prioritize_failures_bad_input
# mistake: treats a failure mode with no severity (or a silly one) as if it were fine, instead of refusing to rank it
def prioritize_failures(counts, severity):
    out = counts[["failure_mode", "count"]].copy()
    out["severity"] = out["failure_mode"].map(lambda m: severity.get(m, 0))
    out["priority"] = out["count"] * out["severity"]
    out = out.sort_values(["priority", "severity", "failure_mode"], ascending=[False, False, True])
    return out.reset_index(drop=True)
