# replaces: failure_mode_counts_solution
# fails: failure_mode_counts_edge_cases
# mistake: never checks the input types, so a single string is counted letter by letter and a tuple or a list of pairs slips through
def failure_mode_counts(notes, mapping):
    lookup = {str(k).strip().lower(): v for k, v in dict(mapping).items()}
    modes = [lookup.get(str(n).strip().lower(), "unmapped") for n in notes]
    counts = pd.Series(modes, dtype=object).value_counts().rename_axis("failure_mode").reset_index(name="count")
    counts = counts.sort_values(["count", "failure_mode"], ascending=[False, True]).reset_index(drop=True)
    counts["share"] = counts["count"] / max(len(modes), 1)
    return counts[["failure_mode", "count", "share"]]
