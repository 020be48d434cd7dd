# replaces: keyword_baseline_solution
# fails: keyword_baseline_example
# mistake: forgets to break at the first match, so a later matching rule overwrites the first
def keyword_baseline(rules, texts):
    if not isinstance(rules, dict) or isinstance(texts, str):
        raise TypeError("bad input")
    predictions = []
    for text in texts:
        low = str(text).lower()
        label = "other"
        for intent, keywords in rules.items():
            if any(k.lower() in low for k in keywords):
                label = intent
        predictions.append(label)
    return predictions
