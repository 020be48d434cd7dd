# replaces: okr_score_solution
# fails: okr_score_bad_input
# mistake: scores an OKR without key results as 0 instead of refusing it
def okr_score(krs):
    if not krs:
        return 0.0
    progress = []
    for kr in krs:
        span = kr["target"] - kr["baseline"]
        progress.append(min(max((kr["current"] - kr["baseline"]) / span, 0.0), 1.0) if span else 0.0)
    return float(np.mean(progress))
