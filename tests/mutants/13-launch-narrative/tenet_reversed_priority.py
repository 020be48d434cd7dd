# replaces: tenet_tiebreak_solution
# fails: tenet_tiebreak_priority
# mistake: treats the last tenet in the list as the most important one
def tenet_tiebreak(options, tenets):
    if not options or not tenets or len(set(tenets)) != len(tenets):
        raise ValueError("bad options or tenets")
    if any(t not in scores for scores in options.values() for t in tenets):
        raise ValueError("missing score")
    alive = list(options)
    for tenet in reversed(tenets):
        best = max(options[o][tenet] for o in alive)
        alive = [o for o in alive if options[o][tenet] == best]
        if len(alive) == 1:
            return alive[0]
    return None
