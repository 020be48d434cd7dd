# replaces: add_failure_cases_solution
# fails: add_failure_cases_dedup
# mistake: de-duplicates on the raw text, so the same message with other casing or spacing is added again
def add_failure_cases(golden, new_cases):
    if "source" not in new_cases.columns or new_cases["source"].isna().any() or (new_cases["source"] == "").any():
        raise ValueError("every case needs a source")
    if not set(new_cases["case_type"]) <= {"typical", "hard", "edge", "adversarial"}:
        raise ValueError("bad case_type")
    cols = ["case_id", "text", "expected_intent", "case_type", "note"]
    old = golden[cols].astype(object).assign(source=golden["source"] if "source" in golden else "original")
    fresh = new_cases[~new_cases["text"].isin(set(golden["text"]))].drop_duplicates("text")
    start = max(int(c.split("-")[1]) for c in golden["case_id"]) + 1
    fresh = fresh.assign(case_id=[f"G-{start + i:04d}" for i in range(len(fresh))])
    return pd.concat([old, fresh[cols + ["source"]]], ignore_index=True)
