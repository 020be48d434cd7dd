# replaces: opportunity_size_solution
# fails: opportunity_size_bad_input
# mistake: checks for negatives but lets a share typed in percent (30 for 30%) through
def opportunity_size(tickets_per_month, automatable_share, minutes_saved_per_ticket, cost_per_minute):
    for value in (tickets_per_month, automatable_share, minutes_saved_per_ticket, cost_per_minute):
        if value < 0:
            raise ValueError("inputs must be >= 0")
    return float(tickets_per_month * automatable_share * minutes_saved_per_ticket * cost_per_minute)
