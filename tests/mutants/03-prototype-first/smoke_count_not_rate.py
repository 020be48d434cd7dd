# replaces: smoke_test_solution
# fails: smoke_test_pass_rate, smoke_test_robust
# mistake: returns how many cases passed instead of the share of cases
def smoke_test(predict, cases):
    if not callable(predict):
        raise TypeError("predict must be callable")
    if not isinstance(cases, (list, tuple)) or not cases:
        raise ValueError("no cases")
    for case in cases:
        if not isinstance(case, (tuple, list)) or len(case) != 2:
            raise ValueError("bad case")
    passed = 0
    for text, expected in cases:
        try:
            passed += predict(text) == expected
        except Exception:
            pass
    return float(passed)
