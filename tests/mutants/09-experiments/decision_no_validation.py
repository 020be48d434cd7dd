# replaces: experiment_decision_solution
# fails: decision_bad_input
# mistake: applies the rule to whatever it is given, so a reversed interval or a missing tolerance still gets a verdict
def experiment_decision(result, guardrails):
    items = guardrails.values() if isinstance(guardrails, dict) else []
    if any(g.get("ci_low", 0) > g.get("max_increase", 0) for g in items):
        return "stop"
    if result.get("ci_high", 0) < result.get("mde", 0):
        return "stop"
    if result.get("ci_low", 0) > 0 and all(g.get("ci_high", 0) <= g.get("max_increase", 0) for g in items):
        return "ship"
    return "iterate"
