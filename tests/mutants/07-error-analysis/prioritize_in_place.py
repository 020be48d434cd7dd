# replaces: prioritize_failures_solution
# fails: prioritize_failures_order
# mistake: adds the new columns to the caller's DataFrame and sorts it in place instead of working on a copy
def prioritize_failures(counts, severity):
    missing = [m for m in counts["failure_mode"] if m not in severity]
    if missing or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 for v in severity.values()):
        raise ValueError("every failure mode needs a positive severity")
    counts["severity"] = counts["failure_mode"].map(severity)
    counts["priority"] = counts["count"] * counts["severity"]
    counts.sort_values(["priority", "severity", "failure_mode"], ascending=[False, False, True], inplace=True)
    counts.reset_index(drop=True, inplace=True)
    return counts[["failure_mode", "count", "severity", "priority"]]
