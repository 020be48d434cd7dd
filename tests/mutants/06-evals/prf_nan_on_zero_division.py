# replaces: precision_recall_f1_solution
# fails: precision_recall_f1_zero_division
# mistake: divides without guarding the denominators, so a class never predicted gives NaN instead of 0.0
def precision_recall_f1(y_true, y_pred, positive):
    y_true, y_pred = np.asarray(list(y_true), dtype=object), np.asarray(list(y_pred), dtype=object)
    tp = float(np.sum((y_true == positive) & (y_pred == positive)))
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = float(np.float64(tp) / np.sum(y_pred == positive))
        recall = float(np.float64(tp) / np.sum(y_true == positive))
        f1 = float(np.float64(2 * precision * recall) / (precision + recall))
    return precision, recall, f1
