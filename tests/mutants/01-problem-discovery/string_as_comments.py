# replaces: theme_counts_solution
# fails: theme_counts_phrases_and_bad_input
# mistake: never checks its inputs, so a single string is silently read character by character
def theme_counts(comments, themes):
    out = {}
    for theme, kws in dict(themes).items():
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in kws) + r")\b", flags=re.IGNORECASE)
        out[theme] = int(sum(1 for t in comments if isinstance(t, str) and pattern.search(t)))
    return out
