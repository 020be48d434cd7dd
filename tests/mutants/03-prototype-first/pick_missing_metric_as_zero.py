# replaces: pick_winner_solution
# fails: pick_winner_refuses
# mistake: treats a bet with no measured value as scoring 0 (dict.get) and never validates the criterion
def pick_winner(results, criterion):
    metric, bar, prefer = criterion.get("metric"), criterion.get("at_least", 0), criterion.get("prefer")
    qualifying = [n for n, m in results.items() if m.get(metric, 0) >= bar]
    if not qualifying:
        return None
    return min(qualifying, key=lambda n: (results[n].get(prefer, 0), -results[n].get(metric, 0), n))
