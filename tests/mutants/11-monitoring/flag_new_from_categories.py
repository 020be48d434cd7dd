# replaces: flag_new_intents_solution
# fails: flag_new_intents_basics, flag_new_intents_on_basketly
# mistake: reads the reference labels from value_counts().index, which on a categorical column lists every category, even unused ones
def flag_new_intents(reference, current, min_count=1):
    ref = pd.Series(reference)
    if ref.dropna().empty:
        raise ValueError("empty reference")
    known = set(ref.value_counts().index)
    counts = pd.Series(current).value_counts()
    return {str(k) for k, v in counts.items() if v >= min_count and k not in known}
