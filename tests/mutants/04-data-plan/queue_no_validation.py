# replaces: adjudication_queue_solution
# fails: adjudication_queue_missing_and_bad_input
# mistake: zips the three inputs without checking their lengths or that ids are unique
def adjudication_queue(a, b, ids):
    rows = [(i, x, y) for i, x, y in zip(ids, a, b) if not pd.isna(x) and not pd.isna(y) and x != y]
    return pd.DataFrame(rows, columns=["id", "label_a", "label_b"])
