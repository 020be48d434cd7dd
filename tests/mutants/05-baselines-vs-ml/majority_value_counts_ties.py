# replaces: majority_baseline_solution
# fails: majority_baseline_examples
# mistake: value_counts().idxmax() keeps whichever tied label it met first instead of the alphabetically first
def majority_baseline(y_train, y_test):
    y_train, y_test = list(y_train), list(y_test)
    if not y_train or not y_test:
        raise ValueError("empty")
    label = pd.Series(y_train, dtype=object).value_counts().idxmax()
    return float(np.mean(np.asarray(y_test, dtype=object) == label))
