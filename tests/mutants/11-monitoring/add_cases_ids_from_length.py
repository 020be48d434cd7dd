# replaces: add_failure_cases_solution
# fails: add_failure_cases_provenance
# mistake: numbers new cases from the row count (len(golden) + 1), which collides with existing ids when the set has gaps
def add_failure_cases(golden, new_cases):
    if "source" not in new_cases.columns or new_cases["source"].isna().any() or (new_cases["source"] == "").any():
        raise ValueError("every case needs a source")
    if not set(new_cases["case_type"]) <= {"typical", "hard", "edge", "adversarial"}:
        raise ValueError("bad case_type")
    cols = ["case_id", "text", "expected_intent", "case_type", "note"]
    old = golden[cols].astype(object).assign(source=golden["source"] if "source" in golden else "original")
    norm = lambda t: " ".join(str(t).lower().split())
    seen = {norm(t) for t in golden["text"]}
    rows = []
    for case in new_cases.to_dict("records"):
        if norm(case["text"]) not in seen:
            seen.add(norm(case["text"]))
            rows.append(case)
    fresh = pd.DataFrame(rows, columns=list(new_cases.columns))
    fresh["case_id"] = [f"G-{len(golden) + 1 + i:04d}" for i in range(len(fresh))]
    return pd.concat([old, fresh[cols + ["source"]]], ignore_index=True)
