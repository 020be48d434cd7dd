# replaces: slice_metrics_solution
# fails: slice_metrics_example
# mistake: no input checks, so an unknown column raises KeyError and an empty table returns an empty result
def slice_metrics(df, by):
    hits = df.assign(correct=(df["expected_intent"] == df["predicted_intent"]).astype(int))
    table = hits.groupby(by)["correct"].agg(n="size", correct="sum")
    table["accuracy"] = table["correct"] / table["n"]
    table["low"] = [wilson_interval(int(k), int(n))[0] for k, n in zip(table["correct"], table["n"])]
    table["high"] = [wilson_interval(int(k), int(n))[1] for k, n in zip(table["correct"], table["n"])]
    return table
