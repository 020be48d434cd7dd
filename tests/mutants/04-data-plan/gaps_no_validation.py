# replaces: data_gaps_solution
# fails: data_gaps_order_and_validation
# mistake: computes the right gaps but trusts its inputs: negative, fractional or text counts go straight through
def data_gaps(need, have):
    gaps = {item: int(n - have.get(item, 0)) for item, n in need.items() if have.get(item, 0) < n}
    return dict(sorted(gaps.items(), key=lambda kv: (-kv[1], kv[0])))
