# replaces: adjudication_queue_solution
# fails: adjudication_queue_rows, adjudication_queue_missing_and_bad_input
# mistake: treats a missing second label as a disagreement, flooding the queue with items nobody double-labelled
def adjudication_queue(a, b, ids):
    a, b, ids = list(a), list(b), list(ids)
    if not len(a) == len(b) == len(ids) or len(set(ids)) != len(ids):
        raise ValueError("bad input")
    rows = [(i, x, y) for i, x, y in zip(ids, a, b) if x != y]
    return pd.DataFrame(rows, columns=["id", "label_a", "label_b"])
