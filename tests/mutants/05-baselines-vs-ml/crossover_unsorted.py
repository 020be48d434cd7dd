# replaces: crossover_size_solution
# fails: crossover_size_edge_cases
# mistake: assumes the rows are already sorted by n_train and walks them in the order given
def crossover_size(curve):
    if len(curve) == 0 or not {"n_train", "model_f1", "rules_f1"} <= set(curve.columns):
        raise ValueError("bad curve")
    answer = None
    for n, model, rules in zip(curve["n_train"].iloc[::-1], curve["model_f1"].iloc[::-1],
                               curve["rules_f1"].iloc[::-1]):
        if model > rules:
            answer = int(n)
        else:
            break
    return answer
