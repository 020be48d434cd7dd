# replaces: failure_mode_counts_solution
# fails: failure_mode_counts_example
# mistake: leaves tied failure modes in whatever order value_counts() gives them instead of sorting them by name
def failure_mode_counts(notes, mapping):
    if not isinstance(notes, (list, pd.Series)) or not isinstance(mapping, dict):
        raise TypeError("notes must be a list or Series, mapping a dict")
    notes = list(notes)
    if any(not isinstance(n, str) for n in notes):
        raise TypeError("notes must be strings")
    if not notes:
        return pd.DataFrame(columns=["failure_mode", "count", "share"])
    lookup = {k.strip().lower(): v for k, v in mapping.items()}
    modes = pd.Series([lookup.get(n.strip().lower(), "unmapped") for n in notes])
    counts = modes.value_counts().rename_axis("failure_mode").reset_index(name="count")
    counts["share"] = counts["count"] / len(notes)
    return counts
