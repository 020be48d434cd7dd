# replaces: add_failure_cases_solution
# fails: add_failure_cases_provenance
# mistake: appends the cases but throws their provenance away (only the golden columns are kept)
def add_failure_cases(golden, new_cases):
    cols = ["case_id", "text", "expected_intent", "case_type", "note"]
    norm = lambda t: " ".join(str(t).lower().split())
    seen = {norm(t) for t in golden["text"]}
    rows = []
    for case in new_cases.to_dict("records"):
        if norm(case["text"]) not in seen:
            seen.add(norm(case["text"]))
            rows.append(case)
    fresh = pd.DataFrame(rows, columns=list(new_cases.columns))
    start = max(int(c.split("-")[1]) for c in golden["case_id"]) + 1
    fresh["case_id"] = [f"G-{start + i:04d}" for i in range(len(fresh))]
    return pd.concat([golden[cols], fresh[cols]], ignore_index=True)
