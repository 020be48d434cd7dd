# replaces: waterfall_solution
# fails: waterfall_errors_and_human
# mistake: records the exception's message rather than its class name, so logs cannot be grouped by kind of failure
def waterfall(request, models, validators):
    names = [m[0] for m in models if isinstance(m, tuple) and len(m) == 2 and isinstance(m[0], str) and callable(m[1])]
    if len(names) != len(models) or len(set(names)) != len(names) or "human" in names or not all(callable(v) for v in validators):
        raise ValueError("bad models or validators")
    skipped = []
    for name, model in models:
        try:
            answer = model(request)
        except Exception as exc:
            skipped.append({"model": name, "reason": f"error: {exc}"})
            continue
        problems = [p for p in (v(request, answer) for v in validators) if p is not None]
        if not problems:
            return {"answer": answer, "answered_by": name, "skipped": skipped}
        skipped.append({"model": name, "reason": problems[0]})
    return {"answer": None, "answered_by": "human", "skipped": skipped}
