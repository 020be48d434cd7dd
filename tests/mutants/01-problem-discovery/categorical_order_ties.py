# replaces: top_contact_reasons_solution
# fails: top_contact_reasons_ties_and_bad_input
# mistake: keeps intent categorical, so ties are ordered by category order instead of alphabetically
def top_contact_reasons(tickets, n=5):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError("n must be a positive int")
    if len(tickets) == 0:
        raise ValueError("no tickets")
    table = tickets.groupby("intent", observed=True).agg(tickets=("intent", "size"),
                                                         total_minutes=("handle_minutes", "sum")).reset_index()
    table["share"] = table["tickets"] / len(tickets)
    table = table.sort_values(["total_minutes", "intent"], ascending=[False, True]).head(n)
    table["intent"] = table["intent"].astype(str)
    return table[["intent", "tickets", "share", "total_minutes"]].reset_index(drop=True)
