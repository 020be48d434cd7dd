# replaces: choose_approach_solution
# fails: choose_approach_boundaries_and_bad_input
# mistake: skips input checks, so negative volumes and fractional label counts are accepted
def choose_approach(requests_per_month, value_correct, cost_error, labelled_examples, rules_accuracy,
                    has_documents, max_latency_ms, profiles=APPROACH_PROFILES):
    """Pick rules, ml, retrieval, llm or no-ai by net monthly value; return (approach, reason)."""
    net = {}
    for name in ("rules", "ml", "retrieval", "llm"):
        p = profiles[name]
        if labelled_examples < p["min_labels"] or (p["needs_documents"] and not has_documents):
            continue
        if p["latency_ms"] > max_latency_ms:
            continue
        accuracy = rules_accuracy if name == "rules" else p["accuracy"]
        ev = expected_value_per_ticket(accuracy, value_correct, cost_error, p["cost_per_call"])
        net[name] = requests_per_month * ev - p["fixed_per_month"]
    if not net:
        return "no-ai", "no-ai: no approach is possible with this data and latency budget."
    best = max(net, key=net.get)
    summary = ", ".join(f"{name} €{value:,.0f}" for name, value in net.items())
    if net[best] <= 0:
        return "no-ai", f"no-ai: even the best option, {best}, would not pay (net per month: {summary})."
    return best, f"{best}: the highest net monthly value (net per month: {summary})."
