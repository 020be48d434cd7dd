# replaces: choose_approach_solution
# fails: choose_approach_scenarios, choose_approach_agrees_with_reference
# mistake: compares expected value per request times volume but forgets the fixed monthly cost of each approach
def choose_approach(requests_per_month, value_correct, cost_error, labelled_examples, rules_accuracy,
                    has_documents, max_latency_ms, profiles=APPROACH_PROFILES):
    """Pick rules, ml, retrieval, llm or no-ai by net monthly value; return (approach, reason)."""
    numbers = {"requests_per_month": requests_per_month, "value_correct": value_correct, "cost_error": cost_error,
               "rules_accuracy": rules_accuracy, "max_latency_ms": max_latency_ms}
    for name, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{name} must be a number; got {value!r}.")
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number, 0 or more; got {value!r}.")
    if rules_accuracy > 1:
        raise ValueError(f"rules_accuracy is a fraction from 0 to 1; got {rules_accuracy!r}.")
    if max_latency_ms <= 0:
        raise ValueError(f"max_latency_ms must be greater than 0; got {max_latency_ms!r}.")
    if isinstance(labelled_examples, bool) or not isinstance(labelled_examples, (int, np.integer)) or labelled_examples < 0:
        raise ValueError(f"labelled_examples must be a whole number, 0 or more; got {labelled_examples!r}.")
    if not isinstance(has_documents, (bool, np.bool_)):
        raise ValueError(f"has_documents must be True or False; got {has_documents!r}.")

    net = {}
    for name in ("rules", "ml", "retrieval", "llm"):
        p = profiles[name]
        if labelled_examples < p["min_labels"] or (p["needs_documents"] and not has_documents):
            continue
        if p["latency_ms"] > max_latency_ms:
            continue
        accuracy = rules_accuracy if name == "rules" else p["accuracy"]
        ev = expected_value_per_ticket(accuracy, value_correct, cost_error, p["cost_per_call"])
        net[name] = requests_per_month * ev
    if not net:
        return "no-ai", "no-ai: no approach is possible with this data and latency budget."
    best = max(net, key=net.get)
    summary = ", ".join(f"{name} €{value:,.0f}" for name, value in net.items())
    if net[best] <= 0:
        return "no-ai", f"no-ai: even the best option, {best}, would not pay (net per month: {summary})."
    return best, f"{best}: the highest net monthly value (net per month: {summary})."
