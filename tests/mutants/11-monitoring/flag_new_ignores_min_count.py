# replaces: flag_new_intents_solution
# fails: flag_new_intents_basics
# mistake: a plain set difference that ignores min_count, so a single stray label raises a flag
def flag_new_intents(reference, current, min_count=1):
    ref = set(pd.Series(reference, dtype=object).dropna())
    if not ref:
        raise ValueError("empty reference")
    return {str(x) for x in pd.Series(current, dtype=object).dropna()} - ref
