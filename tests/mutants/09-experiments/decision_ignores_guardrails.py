# replaces: experiment_decision_solution
# fails: decision_follows_the_rule
# mistake: decides on the primary metric alone and never looks at the guardrails
def experiment_decision(result, guardrails):
    if result["ci_low"] > result["ci_high"] or result["mde"] <= 0:
        raise ValueError("bad result")
    if result["ci_high"] < result["mde"]:
        return "stop"
    if result["ci_low"] > 0:
        return "ship"
    return "iterate"
