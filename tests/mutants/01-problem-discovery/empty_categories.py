# replaces: top_contact_reasons_solution
# fails: top_contact_reasons_ties_and_bad_input
# mistake: groups a categorical with observed=False, so intents with no tickets appear as rows with 0 tickets
def top_contact_reasons(tickets, n=5):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError("n must be a positive int")
    if len(tickets) == 0:
        raise ValueError("no tickets")
    table = tickets.groupby("intent", observed=False).agg(tickets=("intent", "size"),
                                                          total_minutes=("handle_minutes", "sum")).reset_index()
    table["intent"] = table["intent"].astype(str)
    table["share"] = table["tickets"] / len(tickets)
    table = table.sort_values(["total_minutes", "intent"], ascending=[False, True]).head(n)
    return table[["intent", "tickets", "share", "total_minutes"]].reset_index(drop=True)
