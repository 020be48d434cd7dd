# replaces: data_gaps_solution
# fails: data_gaps_shortfalls
# mistake: only looks at items present in both dicts, so an item we have none of is never reported missing
def data_gaps(need, have):
    for counts in (need, have):
        if not isinstance(counts, dict):
            raise TypeError("need a dict")
        for n in counts.values():
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ValueError("bad count")
    gaps = {item: int(need[item] - have[item]) for item in need if item in have and have[item] < need[item]}
    return dict(sorted(gaps.items(), key=lambda kv: (-kv[1], kv[0])))
