# replaces: opportunity_size_solution
# fails: opportunity_size_bad_input
# mistake: range checks only, so NaN, infinity, strings and booleans slip through or raise TypeError
def opportunity_size(tickets_per_month, automatable_share, minutes_saved_per_ticket, cost_per_minute):
    if min(tickets_per_month, minutes_saved_per_ticket, cost_per_minute) < 0:
        raise ValueError("negative input")
    if not 0 <= automatable_share <= 1:
        raise ValueError("share must be between 0 and 1")
    return float(tickets_per_month * automatable_share * minutes_saved_per_ticket * cost_per_minute)
