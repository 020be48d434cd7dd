# replaces: keyword_baseline_solution
# fails: keyword_baseline_example, keyword_baseline_matching
# mistake: compares keywords with the raw text, so "REFUND" or "Can't LOG IN" match nothing
def keyword_baseline(rules, texts):
    if not isinstance(rules, dict) or isinstance(texts, str):
        raise TypeError("bad input")
    predictions = []
    for text in texts:
        label = "other"
        for intent, keywords in rules.items():
            if any(k in text for k in keywords):
                label = intent
                break
        predictions.append(label)
    return predictions
