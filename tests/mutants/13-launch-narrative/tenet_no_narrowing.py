# replaces: tenet_tiebreak_solution
# fails: tenet_tiebreak_ties
# mistake: compares every option again at each tenet, letting back in options an earlier tenet had already eliminated
def tenet_tiebreak(options, tenets):
    if not options or not tenets or len(set(tenets)) != len(tenets):
        raise ValueError("bad options or tenets")
    if any(t not in scores for scores in options.values() for t in tenets):
        raise ValueError("missing score")
    for tenet in tenets:
        best = max(options[o][tenet] for o in options)
        winners = [o for o in options if options[o][tenet] == best]
        if len(winners) == 1:
            return winners[0]
    return None
