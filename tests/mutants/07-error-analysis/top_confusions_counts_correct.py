# replaces: top_confusions_solution
# fails: top_confusions_small_cases, top_confusions_on_basketly
# mistake: counts every (expected, predicted) pair, so correct predictions (the diagonal) crowd out the real confusions
def top_confusions(expected, predicted, k=5):
    if len(expected) != len(predicted) or k < 1 or int(k) != k:
        raise ValueError("bad input")
    pairs = pd.DataFrame({"expected": [str(x) for x in expected], "predicted": [str(x) for x in predicted]})
    counts = pairs.groupby(["expected", "predicted"]).size().reset_index(name="count")
    counts = counts.sort_values(["count", "expected", "predicted"], ascending=[False, True, True])
    return counts.head(k).reset_index(drop=True)
