# replaces: crossover_size_solution
# fails: crossover_size_examples
# mistake: returns the first size where the model is ahead, even if it falls behind again later
def crossover_size(curve):
    if len(curve) == 0 or not {"n_train", "model_f1", "rules_f1"} <= set(curve.columns):
        raise ValueError("bad curve")
    ordered = curve.sort_values("n_train")
    for n, model, rules in zip(ordered["n_train"], ordered["model_f1"], ordered["rules_f1"]):
        if model > rules:
            return int(n)
    return None
