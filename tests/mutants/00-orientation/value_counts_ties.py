# replaces: busiest_month_solution
# fails: busiest_month_small_cases
# mistake: value_counts().idxmax() picks whichever tied month it saw first, not the earliest month
def busiest_month(tickets):
    if len(tickets) == 0:
        raise ValueError("no tickets")
    return str(tickets["created_at"].dt.strftime("%Y-%m").value_counts().idxmax())
