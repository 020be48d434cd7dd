# replaces: prioritize_failures_solution
# fails: prioritize_failures_order
# mistake: ranks by frequency alone, so many mild failures outrank a few severe ones
def prioritize_failures(counts, severity):
    out = counts[["failure_mode", "count"]].copy()
    missing = [m for m in out["failure_mode"] if m not in severity]
    if missing or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 for v in severity.values()):
        raise ValueError("every failure mode needs a positive severity")
    out["severity"] = out["failure_mode"].map(severity)
    out["priority"] = out["count"] * out["severity"]
    return out.sort_values(["count", "failure_mode"], ascending=[False, True]).reset_index(drop=True)
