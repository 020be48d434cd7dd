# replaces: smoke_test_proves_solution
# fails: smoke_test_proves_answer
# mistake: reads a 100% smoke pass rate as proof that the router is accurate enough to launch
smoke_test_proves = "a"
