# replaces: top_confusions_solution
# fails: top_confusions_small_cases
# mistake: trusts value_counts() to order tied pairs, which keeps them in order of first appearance instead of alphabetically
def top_confusions(expected, predicted, k=5):
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError("k must be a positive integer")
    expected, predicted = list(expected), list(predicted)
    if len(expected) != len(predicted):
        raise ValueError("length mismatch")
    wrong = [(str(e), str(p)) for e, p in zip(expected, predicted) if str(e) != str(p)]
    counts = pd.Series(wrong, dtype=object).value_counts()
    rows = [{"expected": e, "predicted": p, "count": int(c)} for (e, p), c in counts.items()]
    return pd.DataFrame(rows, columns=["expected", "predicted", "count"]).head(k)
