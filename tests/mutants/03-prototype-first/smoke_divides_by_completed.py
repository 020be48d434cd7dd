# replaces: smoke_test_solution
# fails: smoke_test_robust
# mistake: skips crashing cases and divides by the cases that ran, so crashes silently raise the pass rate
def smoke_test(predict, cases):
    if not callable(predict):
        raise TypeError("predict must be callable")
    if not isinstance(cases, (list, tuple)) or not cases:
        raise ValueError("no cases")
    for case in cases:
        if not isinstance(case, (tuple, list)) or len(case) != 2:
            raise ValueError("bad case")
    passed = ran = 0
    for text, expected in cases:
        try:
            got = predict(text)
        except Exception:
            continue
        ran += 1
        passed += got == expected
    return passed / ran if ran else 0.0
