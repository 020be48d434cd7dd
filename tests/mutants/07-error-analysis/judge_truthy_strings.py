# replaces: judge_alignment_solution
# fails: judge_alignment_bad_input
# mistake: converts with dtype=bool, so the strings 'pass' and 'fail' are both True, and one-sided human labels divide by zero
def judge_alignment(judge, human):
    j, h = np.asarray(judge, dtype=bool), np.asarray(human, dtype=bool)
    agreement = float((j == h).mean())
    p_e = h.mean() * j.mean() + (1 - h.mean()) * (1 - j.mean())
    return {"tpr": float(j[h].mean()), "tnr": float((~j[~h]).mean()), "agreement": agreement,
            "kappa": float((agreement - p_e) / (1 - p_e))}
