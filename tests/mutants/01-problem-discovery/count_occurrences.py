# replaces: theme_counts_solution
# fails: theme_counts_whole_words, theme_counts_on_basketly
# mistake: counts every keyword occurrence instead of each comment once per theme
def theme_counts(comments, themes):
    if isinstance(comments, str):
        raise TypeError("comments must be a list")
    if not isinstance(themes, dict):
        raise TypeError("themes must be a dict")
    texts = [c for c in comments if isinstance(c, str)]
    out = {}
    for theme, kws in themes.items():
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in kws) + r")\b", flags=re.IGNORECASE)
        out[theme] = int(sum(len(pattern.findall(t)) for t in texts))
    return out
