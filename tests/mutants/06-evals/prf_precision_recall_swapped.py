# replaces: precision_recall_f1_solution
# fails: precision_recall_f1_example, precision_recall_f1_reference
# mistake: divides TP by the true positives for precision and by the predicted positives for recall (swapped)
def precision_recall_f1(y_true, y_pred, positive):
    y_true, y_pred = np.asarray(list(y_true), dtype=object), np.asarray(list(y_pred), dtype=object)
    if len(y_true) != len(y_pred) or len(y_true) == 0:
        raise ValueError("bad input")
    tp = np.sum((y_true == positive) & (y_pred == positive))
    n_true, n_pred = np.sum(y_true == positive), np.sum(y_pred == positive)
    precision = float(tp / n_true) if n_true else 0.0
    recall = float(tp / n_pred) if n_pred else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, float(f1)
