# replaces: okr_score_solution
# fails: okr_score_progress
# mistake: averages raw progress, so overshooting one key result hides going backwards on another
def okr_score(krs):
    if not krs:
        raise ValueError("no key results")
    progress = []
    for kr in krs:
        if kr["target"] == kr["baseline"]:
            raise ValueError("target equals baseline")
        progress.append((kr["current"] - kr["baseline"]) / (kr["target"] - kr["baseline"]))
    return float(np.mean(progress))
