# replaces: invariance_rate_solution
# fails: invariance_rate_example
# mistake: returns the share of predictions that changed (the flip rate) instead of the share that stayed
def invariance_rate(predict, texts, perturb):
    texts = list(texts)
    if not texts:
        raise ValueError("empty")
    before = list(predict(texts))
    after = list(predict([perturb(t) for t in texts]))
    if len(before) != len(texts) or len(after) != len(texts):
        raise ValueError("length")
    return float(np.mean([a != b for a, b in zip(before, after)]))
