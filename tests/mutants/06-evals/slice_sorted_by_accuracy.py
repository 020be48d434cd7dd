# replaces: slice_metrics_solution
# fails: slice_metrics_reference
# mistake: sorts the slices by accuracy (worst first) instead of by slice value as asked
def slice_metrics(df, by):
    if by not in df.columns or len(df) == 0:
        raise ValueError("bad input")
    hits = df.assign(correct=(df["expected_intent"] == df["predicted_intent"]).astype(int))
    table = hits.groupby(by)["correct"].agg(n="size", correct="sum")
    table["accuracy"] = table["correct"] / table["n"]
    table["low"] = [wilson_interval(int(k), int(n))[0] for k, n in zip(table["correct"], table["n"])]
    table["high"] = [wilson_interval(int(k), int(n))[1] for k, n in zip(table["correct"], table["n"])]
    return table.sort_values("accuracy", kind="stable")
