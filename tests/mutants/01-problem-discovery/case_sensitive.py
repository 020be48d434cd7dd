# replaces: theme_counts_solution
# fails: theme_counts_whole_words, theme_counts_on_basketly
# mistake: forgets re.IGNORECASE, so "LATE" and "Driver" are missed
def theme_counts(comments, themes):
    if isinstance(comments, str):
        raise TypeError("comments must be a list")
    if not isinstance(themes, dict):
        raise TypeError("themes must be a dict")
    texts = [c for c in comments if isinstance(c, str)]
    out = {}
    for theme, kws in themes.items():
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in kws) + r")\b")
        out[theme] = int(sum(1 for t in texts if pattern.search(t)))
    return out
