# replaces: busiest_month_solution
# fails: busiest_month_small_cases, busiest_month_on_basketly
# mistake: uses the strftime code %W (week of the year) where %m (month) was meant
def busiest_month(tickets):
    if len(tickets) == 0:
        raise ValueError("no tickets")
    weeks = tickets["created_at"].dt.strftime("%Y-%W")
    return str(weeks.groupby(weeks).size().idxmax())
