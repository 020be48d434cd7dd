# replaces: experiment_decision_solution
# fails: decision_follows_the_rule
# mistake: flips the boundary inequalities (>= for a breach, < for within tolerance, <= for futility)
def experiment_decision(result, guardrails):
    if result["ci_low"] > result["ci_high"] or result["mde"] <= 0:
        raise ValueError("bad result")
    if any(g["ci_low"] >= g["max_increase"] for g in guardrails.values()) or result["ci_high"] <= result["mde"]:
        return "stop"
    if result["ci_low"] > 0 and all(g["ci_high"] < g["max_increase"] for g in guardrails.values()):
        return "ship"
    return "iterate"
