# replaces: keyword_baseline_solution
# fails: keyword_baseline_matching, keyword_baseline_on_basketly
# mistake: matches whole words only, so "refund" misses "refunded" and multi-word keywords never match
def keyword_baseline(rules, texts):
    if not isinstance(rules, dict) or isinstance(texts, str):
        raise TypeError("bad input")
    predictions = []
    for text in texts:
        words = set(str(text).lower().replace("?", " ").replace("!", " ").replace(".", " ").replace(",", " ").split())
        label = "other"
        for intent, keywords in rules.items():
            if any(k.lower() in words for k in keywords):
                label = intent
                break
        predictions.append(label)
    return predictions
