# replaces: theme_counts_solution
# fails: theme_counts_whole_words, theme_counts_on_basketly
# mistake: uses `keyword in text`, so "late" matches "chocolate" and "app" matches "happy"
def theme_counts(comments, themes):
    if isinstance(comments, str):
        raise TypeError("comments must be a list")
    if not isinstance(themes, dict):
        raise TypeError("themes must be a dict")
    texts = [c.lower() for c in comments if isinstance(c, str)]
    return {theme: int(sum(any(k.lower() in t for k in kws) for t in texts)) for theme, kws in themes.items()}
