# replaces: waterfall_solution
# fails: waterfall_first_accepted
# mistake: accepts an answer as soon as one validator is happy, instead of requiring all of them
def waterfall(request, models, validators):
    names = [m[0] for m in models if isinstance(m, tuple) and len(m) == 2 and isinstance(m[0], str) and callable(m[1])]
    if len(names) != len(models) or len(set(names)) != len(names) or "human" in names or not all(callable(v) for v in validators):
        raise ValueError("bad models or validators")
    skipped = []
    for name, model in models:
        try:
            answer = model(request)
        except Exception as exc:
            skipped.append({"model": name, "reason": f"error: {type(exc).__name__}"})
            continue
        verdicts = [v(request, answer) for v in validators]
        if not verdicts or any(p is None for p in verdicts):
            return {"answer": answer, "answered_by": name, "skipped": skipped}
        skipped.append({"model": name, "reason": verdicts[0]})
    return {"answer": None, "answered_by": "human", "skipped": skipped}
