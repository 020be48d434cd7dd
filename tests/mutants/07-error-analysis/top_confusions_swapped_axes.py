# replaces: top_confusions_solution
# fails: top_confusions_small_cases, top_confusions_on_basketly
# mistake: reads the confusion matrix the wrong way round, reporting (predicted, expected) under the column names expected, predicted
def top_confusions(expected, predicted, k=5):
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError("k must be a positive integer")
    expected, predicted = list(expected), list(predicted)
    if len(expected) != len(predicted):
        raise ValueError("length mismatch")
    pairs = pd.DataFrame({"expected": [str(x) for x in predicted], "predicted": [str(x) for x in expected]})
    wrong = pairs[pairs["expected"] != pairs["predicted"]]
    counts = wrong.groupby(["expected", "predicted"]).size().reset_index(name="count")
    counts = counts.sort_values(["count", "expected", "predicted"], ascending=[False, True, True])
    return counts.head(k).reset_index(drop=True)
