# replaces: failure_mode_counts_solution
# fails: failure_mode_counts_example
# mistake: silently drops notes the codebook does not cover, so the gap in the codebook never shows up
def failure_mode_counts(notes, mapping):
    if not isinstance(notes, (list, pd.Series)) or not isinstance(mapping, dict):
        raise TypeError("notes must be a list or Series, mapping a dict")
    notes = list(notes)
    if any(not isinstance(n, str) for n in notes):
        raise TypeError("notes must be strings")
    lookup = {k.strip().lower(): v for k, v in mapping.items()}
    modes = [lookup[n.strip().lower()] for n in notes if n.strip().lower() in lookup]
    if not modes:
        return pd.DataFrame(columns=["failure_mode", "count", "share"])
    counts = pd.Series(modes).value_counts().rename_axis("failure_mode").reset_index(name="count")
    counts = counts.sort_values(["count", "failure_mode"], ascending=[False, True]).reset_index(drop=True)
    counts["share"] = counts["count"] / len(modes)
    return counts
