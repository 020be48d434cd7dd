# replaces: data_gaps_solution
# fails: data_gaps_order_and_validation
# mistake: sorts the gaps by item name instead of by the size of the shortfall
def data_gaps(need, have):
    for counts in (need, have):
        if not isinstance(counts, dict):
            raise TypeError("need a dict")
        for n in counts.values():
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ValueError("bad count")
    gaps = {item: int(n - have.get(item, 0)) for item, n in need.items() if have.get(item, 0) < n}
    return dict(sorted(gaps.items()))
