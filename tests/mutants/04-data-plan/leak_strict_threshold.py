# replaces: find_leakage_solution
# fails: find_leakage_pairs
# mistake: uses > instead of >=, so a pair exactly at the threshold is not reported
def find_leakage(train, test, threshold=0.8):
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ValueError("bad threshold")
    train, test = list(train), list(test)
    for t in train + test:
        if type(t) is not str:
            raise TypeError("not a str")
    A = [set(re.findall(r"\w+", t.lower())) for t in train]
    B = [set(re.findall(r"\w+", t.lower())) for t in test]
    return sorted((i, j) for i, a in enumerate(A) for j, b in enumerate(B)
                  if a and b and len(a & b) / len(a | b) > threshold)
