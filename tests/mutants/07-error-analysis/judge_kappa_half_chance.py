# replaces: judge_alignment_solution
# fails: judge_alignment_example, judge_alignment_on_basketly
# mistake: assumes chance agreement is always 0.5 instead of computing it from how often each side says pass
def judge_alignment(judge, human):
    j, h = np.asarray(judge), np.asarray(human)
    if len(j) != len(h) or len(h) == 0 or h.all() or not h.any():
        raise ValueError("bad input")
    if j.dtype != bool or h.dtype != bool:
        raise TypeError("booleans only")
    agreement = float((j == h).mean())
    return {"tpr": float(j[h].mean()), "tnr": float((~j[~h]).mean()), "agreement": agreement,
            "kappa": float((agreement - 0.5) / 0.5)}
