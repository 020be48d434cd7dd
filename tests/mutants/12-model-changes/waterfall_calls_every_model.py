# replaces: waterfall_solution
# fails: waterfall_first_accepted
# mistake: asks every model up front and only then picks the first acceptable answer, paying for calls it never uses
def waterfall(request, models, validators):
    names = [m[0] for m in models if isinstance(m, tuple) and len(m) == 2 and isinstance(m[0], str) and callable(m[1])]
    if len(names) != len(models) or len(set(names)) != len(names) or "human" in names or not all(callable(v) for v in validators):
        raise ValueError("bad models or validators")
    results = []
    for name, model in models:
        try:
            results.append((name, model(request), None))
        except Exception as exc:
            results.append((name, None, f"error: {type(exc).__name__}"))
    skipped = []
    for name, answer, error in results:
        if error:
            skipped.append({"model": name, "reason": error})
            continue
        problems = [p for p in (v(request, answer) for v in validators) if p is not None]
        if not problems:
            return {"answer": answer, "answered_by": name, "skipped": skipped}
        skipped.append({"model": name, "reason": problems[0]})
    return {"answer": None, "answered_by": "human", "skipped": skipped}
