# replaces: monthly_cost_solution
# fails: monthly_cost_bad_input
# mistake: computes the bill without checking inputs, so negative volumes give negative bills
def monthly_cost(requests_per_month, tokens_in, tokens_out, price_in_per_1k, price_out_per_1k):
    return float(requests_per_month * (tokens_in / 1000 * price_in_per_1k + tokens_out / 1000 * price_out_per_1k))
