# replaces: find_leakage_solution
# fails: find_leakage_words
# mistake: treats two texts with no words as identical (0/0 read as similarity 1), so empty tickets "leak"
def find_leakage(train, test, threshold=0.8):
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ValueError("bad threshold")
    train, test = list(train), list(test)
    for t in train + test:
        if type(t) is not str:
            raise TypeError("not a str")
    A = [set(re.findall(r"\w+", t.lower())) for t in train]
    B = [set(re.findall(r"\w+", t.lower())) for t in test]
    pairs = []
    for i, a in enumerate(A):
        for j, b in enumerate(B):
            union = len(a | b)
            similarity = len(a & b) / union if union else 1.0
            if similarity >= threshold:
                pairs.append((i, j))
    return pairs
