# replaces: smoke_test_solution
# fails: smoke_test_robust
# mistake: calls predict without try/except, so one crashing case crashes the whole smoke test
def smoke_test(predict, cases):
    if not callable(predict):
        raise TypeError("predict must be callable")
    if not isinstance(cases, (list, tuple)) or not cases:
        raise ValueError("no cases")
    for case in cases:
        if not isinstance(case, (tuple, list)) or len(case) != 2:
            raise ValueError("bad case")
    passed = sum(predict(text) == expected for text, expected in cases)
    return passed / len(cases)
