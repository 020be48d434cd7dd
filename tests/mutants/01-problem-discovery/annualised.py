# replaces: opportunity_size_solution
# fails: opportunity_size_value
# mistake: multiplies by 12 and reports a yearly figure where a monthly one was asked for
def opportunity_size(tickets_per_month, automatable_share, minutes_saved_per_ticket, cost_per_minute):
    for value in (tickets_per_month, automatable_share, minutes_saved_per_ticket, cost_per_minute):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError("numbers only")
        if not np.isfinite(value) or value < 0:
            raise ValueError("must be finite and >= 0")
    if automatable_share > 1:
        raise ValueError("share is a fraction")
    return float(12 * tickets_per_month * automatable_share * minutes_saved_per_ticket * cost_per_minute)
