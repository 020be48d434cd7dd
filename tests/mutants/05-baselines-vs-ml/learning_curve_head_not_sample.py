# replaces: learning_curve_solution
# fails: learning_curve_values
# mistake: takes train.head(n), the oldest n tickets, instead of a random sample
def learning_curve(train, test, sizes, seed=0):
    sizes = list(sizes)
    if not sizes:
        raise ValueError("no sizes")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(train):
            raise ValueError("bad size")
    rules_score = f1_score(test["intent"], keyword_baseline(RULES, test["text"]), average="macro", zero_division=0)
    rows = []
    for n in sizes:
        sample = train.head(n)
        model = train_text_classifier(sample["text"], sample["intent"], seed=seed)
        score = f1_score(test["intent"], model.predict(test["text"]), average="macro", zero_division=0)
        rows.append({"n_train": n, "model_f1": score, "rules_f1": rules_score})
    return pd.DataFrame(rows)
