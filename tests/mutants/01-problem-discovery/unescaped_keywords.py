# replaces: theme_counts_solution
# fails: theme_counts_phrases_and_bad_input
# mistake: joins keywords into a regex without re.escape, so "12.99" also matches "12899"
def theme_counts(comments, themes):
    if isinstance(comments, str):
        raise TypeError("comments must be a list")
    if not isinstance(themes, dict):
        raise TypeError("themes must be a dict")
    texts = [c for c in comments if isinstance(c, str)]
    out = {}
    for theme, kws in themes.items():
        pattern = re.compile(r"\b(?:" + "|".join(kws) + r")\b", flags=re.IGNORECASE)
        out[theme] = int(sum(1 for t in texts if pattern.search(t)))
    return out
