# replaces: okr_score_solution
# fails: okr_score_progress
# mistake: caps overshoot at 1 but lets a step backwards count as negative progress
def okr_score(krs):
    if not krs:
        raise ValueError("no key results")
    progress = []
    for kr in krs:
        if kr["target"] == kr["baseline"]:
            raise ValueError("target equals baseline")
        progress.append(min((kr["current"] - kr["baseline"]) / (kr["target"] - kr["baseline"]), 1.0))
    return float(np.mean(progress))
