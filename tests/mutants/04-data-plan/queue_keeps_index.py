# replaces: adjudication_queue_solution
# fails: adjudication_queue_rows
# mistake: filters a DataFrame with a boolean mask and forgets to reset the index, so the queue is numbered 1, 3, ...
def adjudication_queue(a, b, ids):
    a, b, ids = list(a), list(b), list(ids)
    if not len(a) == len(b) == len(ids) or len(set(ids)) != len(ids):
        raise ValueError("bad input")
    df = pd.DataFrame({"id": ids, "label_a": a, "label_b": b}, dtype=object)
    both = df["label_a"].notna() & df["label_b"].notna()
    return df[both & (df["label_a"] != df["label_b"])]
