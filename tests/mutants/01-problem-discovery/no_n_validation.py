# replaces: top_contact_reasons_solution
# fails: top_contact_reasons_ties_and_bad_input
# mistake: never validates n or empty input, so head(0) silently returns an empty table
def top_contact_reasons(tickets, n=5):
    data = tickets.assign(intent=tickets["intent"].astype(str))
    table = data.groupby("intent").agg(tickets=("intent", "size"), total_minutes=("handle_minutes", "sum")).reset_index()
    table["share"] = table["tickets"] / len(tickets)
    table = table.sort_values(["total_minutes", "intent"], ascending=[False, True]).head(n)
    return table[["intent", "tickets", "share", "total_minutes"]].reset_index(drop=True)
