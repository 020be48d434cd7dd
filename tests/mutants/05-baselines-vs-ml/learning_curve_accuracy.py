# replaces: learning_curve_solution
# fails: learning_curve_values
# mistake: scores accuracy instead of macro-F1, which lets the big intents hide the small ones
def learning_curve(train, test, sizes, seed=0):
    sizes = list(sizes)
    if not sizes:
        raise ValueError("no sizes")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(train):
            raise ValueError("bad size")
    rules_score = accuracy_score(test["intent"], keyword_baseline(RULES, test["text"]))
    rows = []
    for n in sizes:
        sample = train.sample(n=n, random_state=seed)
        model = train_text_classifier(sample["text"], sample["intent"], seed=seed)
        rows.append({"n_train": n, "model_f1": accuracy_score(test["intent"], model.predict(test["text"])),
                     "rules_f1": rules_score})
    return pd.DataFrame(rows)
