# replaces: okr_score_solution
# fails: okr_score_progress
# mistake: divides by the absolute gap, so progress on a lower-is-better metric comes out negative
def okr_score(krs):
    if not krs:
        raise ValueError("no key results")
    progress = []
    for kr in krs:
        gap = abs(kr["target"] - kr["baseline"])
        if gap == 0:
            raise ValueError("target equals baseline")
        progress.append(min(max((kr["current"] - kr["baseline"]) / gap, 0.0), 1.0))
    return float(np.mean(progress))
