# replaces: slice_metrics_solution
# fails: slice_metrics_example, slice_metrics_reference
# mistake: divides each slice's correct cases by the size of the whole table, not the slice
def slice_metrics(df, by):
    if by not in df.columns or len(df) == 0:
        raise ValueError("bad input")
    hits = df.assign(correct=(df["expected_intent"] == df["predicted_intent"]).astype(int))
    table = hits.groupby(by)["correct"].agg(n="size", correct="sum")
    table["accuracy"] = table["correct"] / len(df)
    table["low"] = [wilson_interval(int(k), len(df))[0] for k in table["correct"]]
    table["high"] = [wilson_interval(int(k), len(df))[1] for k in table["correct"]]
    return table
