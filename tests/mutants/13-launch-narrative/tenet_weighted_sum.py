# replaces: tenet_tiebreak_solution
# fails: tenet_tiebreak_priority
# mistake: adds up the scores across tenets, so a big score on a low-priority tenet outweighs the top tenet
def tenet_tiebreak(options, tenets):
    if not options or not tenets or len(set(tenets)) != len(tenets):
        raise ValueError("bad options or tenets")
    if any(t not in scores for scores in options.values() for t in tenets):
        raise ValueError("missing score")
    totals = {o: sum(options[o][t] for t in tenets) for o in options}
    best = max(totals.values())
    winners = [o for o in options if totals[o] == best]
    return winners[0] if len(winners) == 1 else None
