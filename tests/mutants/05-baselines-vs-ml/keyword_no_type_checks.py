# replaces: keyword_baseline_solution
# fails: keyword_baseline_on_basketly
# mistake: no input checks, so a single string is classified letter by letter instead of raising TypeError
def keyword_baseline(rules, texts):
    predictions = []
    for text in texts:
        low = str(text).lower()
        label = "other"
        for intent, keywords in dict(rules).items():
            if any(k.lower() in low for k in keywords):
                label = intent
                break
        predictions.append(label)
    return predictions
