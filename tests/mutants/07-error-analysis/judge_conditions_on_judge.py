# replaces: judge_alignment_solution
# fails: judge_alignment_example, judge_alignment_on_basketly
# mistake: conditions on the judge's verdict (how often a judge 'pass' is a human pass), which is precision, not TPR
def judge_alignment(judge, human):
    j, h = np.asarray(judge), np.asarray(human)
    if len(j) != len(h) or len(h) == 0 or h.all() or not h.any():
        raise ValueError("bad input")
    if j.dtype != bool or h.dtype != bool:
        raise TypeError("booleans only")
    tpr = float(h[j].mean())
    tnr = float((~h[~j]).mean())
    agreement = float((j == h).mean())
    p_e = h.mean() * j.mean() + (1 - h.mean()) * (1 - j.mean())
    return {"tpr": tpr, "tnr": tnr, "agreement": agreement, "kappa": float((agreement - p_e) / (1 - p_e))}
