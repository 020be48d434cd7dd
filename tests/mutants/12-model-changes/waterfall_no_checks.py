# replaces: waterfall_solution
# fails: waterfall_bad_input
# mistake: never checks the list of models, so duplicate names, a model called "human" or a non-callable slip through
def waterfall(request, models, validators):
    skipped = []
    for name, model in models:
        try:
            answer = model(request)
        except Exception as exc:
            skipped.append({"model": name, "reason": f"error: {type(exc).__name__}"})
            continue
        problems = [p for p in (v(request, answer) for v in validators) if p is not None]
        if not problems:
            return {"answer": answer, "answered_by": name, "skipped": skipped}
        skipped.append({"model": name, "reason": problems[0]})
    return {"answer": None, "answered_by": "human", "skipped": skipped}
