# replaces: majority_baseline_solution
# fails: majority_baseline_examples
# mistake: takes the most common label from y_test, peeking at the answers it is scored on
def majority_baseline(y_train, y_test):
    y_train, y_test = list(y_train), list(y_test)
    if not y_train or not y_test:
        raise ValueError("empty")
    counts = pd.Series(y_test, dtype=object).value_counts()
    label = min(counts[counts == counts.max()].index)
    return float(np.mean(np.asarray(y_test, dtype=object) == label))
