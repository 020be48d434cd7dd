# replaces: experiment_decision_solution
# fails: decision_follows_the_rule
# mistake: checks "significantly positive" first, so a lift too small to matter (ci_high < mde) still ships
def experiment_decision(result, guardrails):
    if result["ci_low"] > result["ci_high"] or result["mde"] <= 0:
        raise ValueError("bad result")
    if result["ci_low"] > 0 and all(g["ci_high"] <= g["max_increase"] for g in guardrails.values()):
        return "ship"
    if any(g["ci_low"] > g["max_increase"] for g in guardrails.values()) or result["ci_high"] < result["mde"]:
        return "stop"
    return "iterate"
