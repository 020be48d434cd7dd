# replaces: failure_mode_counts_solution
# fails: failure_mode_counts_example
# mistake: looks notes up exactly as typed, so "Typo " and "typo" are different codes and the stray one becomes unmapped
def failure_mode_counts(notes, mapping):
    if not isinstance(notes, (list, pd.Series)) or not isinstance(mapping, dict):
        raise TypeError("notes must be a list or Series, mapping a dict")
    notes = list(notes)
    if any(not isinstance(n, str) for n in notes):
        raise TypeError("notes must be strings")
    if not notes:
        return pd.DataFrame(columns=["failure_mode", "count", "share"])
    modes = pd.Series([mapping.get(n, "unmapped") for n in notes])
    counts = modes.value_counts().rename_axis("failure_mode").reset_index(name="count")
    counts = counts.sort_values(["count", "failure_mode"], ascending=[False, True]).reset_index(drop=True)
    counts["share"] = counts["count"] / len(notes)
    return counts
