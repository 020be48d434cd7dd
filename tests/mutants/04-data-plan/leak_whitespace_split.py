# replaces: find_leakage_solution
# fails: find_leakage_words, find_leakage_on_basketly
# mistake: splits on whitespace with str.split(), so "order?" and "order" count as different words
def find_leakage(train, test, threshold=0.8):
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ValueError("bad threshold")
    train, test = list(train), list(test)
    for t in train + test:
        if type(t) is not str:
            raise TypeError("not a str")
    A = [set(t.lower().split()) for t in train]
    B = [set(t.lower().split()) for t in test]
    return sorted((i, j) for i, a in enumerate(A) for j, b in enumerate(B)
                  if a and b and len(a & b) / len(a | b) >= threshold)
