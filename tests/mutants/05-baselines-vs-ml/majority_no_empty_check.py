# replaces: majority_baseline_solution
# fails: majority_baseline_reference
# mistake: never checks for empty input, so an empty y_test silently returns NaN
def majority_baseline(y_train, y_test):
    counts = pd.Series(list(y_train), dtype=object).value_counts()
    label = min(counts[counts == counts.max()].index)
    return float(np.mean(np.asarray(list(y_test), dtype=object) == label))
