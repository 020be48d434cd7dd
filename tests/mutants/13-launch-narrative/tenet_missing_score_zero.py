# replaces: tenet_tiebreak_solution
# fails: tenet_tiebreak_reference
# mistake: treats a missing score as 0 instead of refusing an incomplete table
def tenet_tiebreak(options, tenets):
    if not options or not tenets:
        raise ValueError("bad options or tenets")
    alive = list(options)
    for tenet in tenets:
        best = max(options[o].get(tenet, 0) for o in alive)
        alive = [o for o in alive if options[o].get(tenet, 0) == best]
        if len(alive) == 1:
            return alive[0]
    return None
