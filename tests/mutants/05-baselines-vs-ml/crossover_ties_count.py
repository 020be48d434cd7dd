# replaces: crossover_size_solution
# fails: crossover_size_edge_cases
# mistake: uses >= so a tie with the rules counts as a win
def crossover_size(curve):
    if len(curve) == 0 or not {"n_train", "model_f1", "rules_f1"} <= set(curve.columns):
        raise ValueError("bad curve")
    ordered = curve.sort_values("n_train")
    answer = None
    for n, model, rules in zip(ordered["n_train"].iloc[::-1], ordered["model_f1"].iloc[::-1],
                               ordered["rules_f1"].iloc[::-1]):
        if model >= rules:
            answer = int(n)
        else:
            break
    return answer
