# replaces: learning_curve_solution
# fails: learning_curve_shape
# mistake: sorts the sizes (so rows no longer follow the order given) and never validates them
def learning_curve(train, test, sizes, seed=0):
    rules_score = f1_score(test["intent"], keyword_baseline(RULES, test["text"]), average="macro", zero_division=0)
    rows = []
    for n in sorted(sizes):
        sample = train.sample(n=n, random_state=seed)
        model = train_text_classifier(sample["text"], sample["intent"], seed=seed)
        score = f1_score(test["intent"], model.predict(test["text"]), average="macro", zero_division=0)
        rows.append({"n_train": n, "model_f1": score, "rules_f1": rules_score})
    return pd.DataFrame(rows, columns=["n_train", "model_f1", "rules_f1"])
