# replaces: top_contact_reasons_solution
# fails: top_contact_reasons_small_table, top_contact_reasons_on_basketly
# mistake: ranks intents by number of tickets instead of agent minutes
def top_contact_reasons(tickets, n=5):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError("n must be a positive int")
    if len(tickets) == 0:
        raise ValueError("no tickets")
    data = tickets.assign(intent=tickets["intent"].astype(str))
    table = data.groupby("intent").agg(tickets=("intent", "size"), total_minutes=("handle_minutes", "sum")).reset_index()
    table["share"] = table["tickets"] / len(tickets)
    table = table.sort_values(["tickets", "intent"], ascending=[False, True]).head(n)
    return table[["intent", "tickets", "share", "total_minutes"]].reset_index(drop=True)
