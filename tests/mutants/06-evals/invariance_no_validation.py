# replaces: invariance_rate_solution
# fails: invariance_rate_on_stand_in
# mistake: no checks: an empty list divides by zero and a short prediction list is silently truncated by zip
def invariance_rate(predict, texts, perturb):
    texts = list(texts)
    before = list(predict(texts))
    after = list(predict([perturb(t) for t in texts]))
    same = sum(a == b for a, b in zip(before, after))
    return float(same / len(texts))
