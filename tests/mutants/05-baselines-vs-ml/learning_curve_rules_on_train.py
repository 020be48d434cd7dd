# replaces: learning_curve_solution
# fails: learning_curve_values
# mistake: scores the rules on the training tickets instead of the test tickets
def learning_curve(train, test, sizes, seed=0):
    sizes = list(sizes)
    if not sizes:
        raise ValueError("no sizes")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(train):
            raise ValueError("bad size")
    rules_score = f1_score(train["intent"], keyword_baseline(RULES, train["text"]), average="macro", zero_division=0)
    rows = []
    for n in sizes:
        sample = train.sample(n=n, random_state=seed)
        model = train_text_classifier(sample["text"], sample["intent"], seed=seed)
        score = f1_score(test["intent"], model.predict(test["text"]), average="macro", zero_division=0)
        rows.append({"n_train": n, "model_f1": score, "rules_f1": rules_score})
    return pd.DataFrame(rows)
