# replaces: pick_winner_solution
# fails: pick_winner_choice, pick_winner_ties
# mistake: among bets that clear the bar, picks the best-scoring one instead of the cheapest, ignoring 'prefer'
def pick_winner(results, criterion):
    if not isinstance(results, dict) or not results:
        raise ValueError("no results")
    if not {"metric", "at_least", "prefer"} <= set(criterion):
        raise ValueError("incomplete criterion")
    metric, bar, prefer = criterion["metric"], criterion["at_least"], criterion["prefer"]
    for name, metrics in results.items():
        if metric not in metrics or prefer not in metrics:
            raise ValueError(f"{name} not measured")
    qualifying = [n for n, m in results.items() if m[metric] >= bar]
    if not qualifying:
        return None
    return max(qualifying, key=lambda n: results[n][metric])
