# replaces: data_gaps_solution
# fails: data_gaps_shortfalls, data_gaps_order_and_validation
# mistake: reports need - have for every item, so items we have enough of show up with zero or negative "gaps"
def data_gaps(need, have):
    for counts in (need, have):
        if not isinstance(counts, dict):
            raise TypeError("need a dict")
        for n in counts.values():
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ValueError("bad count")
    gaps = {item: int(n - have.get(item, 0)) for item, n in need.items()}
    return dict(sorted(gaps.items(), key=lambda kv: (-kv[1], kv[0])))
