# replaces: prioritize_failures_solution
# fails: prioritize_failures_order
# mistake: breaks priority ties by name only, ignoring the rule that the more severe mode comes first
def prioritize_failures(counts, severity):
    out = counts[["failure_mode", "count"]].copy()
    missing = [m for m in out["failure_mode"] if m not in severity]
    if missing or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 for v in severity.values()):
        raise ValueError("every failure mode needs a positive severity")
    out["severity"] = out["failure_mode"].map(severity)
    out["priority"] = out["count"] * out["severity"]
    return out.sort_values(["priority", "failure_mode"], ascending=[False, True]).reset_index(drop=True)
