# replaces: invariance_rate_solution
# fails: invariance_rate_example, invariance_rate_on_stand_in
# mistake: builds the perturbed texts but predicts the original texts again, so the rate is always 1.0
def invariance_rate(predict, texts, perturb):
    texts = list(texts)
    if not texts:
        raise ValueError("empty")
    perturbed = [perturb(t) for t in texts]
    before = list(predict(texts))
    after = list(predict(texts))
    if len(before) != len(perturbed):
        raise ValueError("length")
    return float(np.mean([a == b for a, b in zip(before, after)]))
