# replaces: smoke_test_solution
# fails: smoke_test_robust
# mistake: computes the rate correctly but never checks its inputs: a string as predict, or an empty list, slips through
def smoke_test(predict, cases):
    passed = 0
    for text, expected in cases:
        try:
            passed += predict(text) == expected
        except Exception:
            pass
    return passed / len(cases) if cases else 0.0
