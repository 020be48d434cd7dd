# replaces: monthly_cost_solution
# fails: monthly_cost_value
# mistake: treats the per-1,000-token prices as per-token prices (forgets to divide by 1,000)
def monthly_cost(requests_per_month, tokens_in, tokens_out, price_in_per_1k, price_out_per_1k):
    for value in (requests_per_month, tokens_in, tokens_out, price_in_per_1k, price_out_per_1k):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError("numbers only")
        if not np.isfinite(value) or value < 0:
            raise ValueError("finite and >= 0")
    return float(requests_per_month * (tokens_in * price_in_per_1k + tokens_out * price_out_per_1k))
