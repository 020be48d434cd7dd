# replaces: implicit_labels_solution
# fails: implicit_labels_joins_tickets
# mistake: an inner join silently drops events whose ticket is missing, and the index is left as the events' index
def implicit_labels(events, tickets, max_edit_chars=80):
    if {"ticket_id", "action", "undone", "thumbs", "edit_chars"} - set(events.columns) or max_edit_chars < 0:
        raise ValueError("bad input")
    action = events["action"].astype(str)
    edit = events["edit_chars"].astype("float64").fillna(0)
    bad = ((action == "rejected") | (events["undone"] == 1) | (events["thumbs"] == "down").fillna(False)
           | ((action == "edited") & (edit > max_edit_chars)))
    good = action.isin(["accepted", "edited"]) & ~bad
    out = events.loc[bad | good, ["event_id", "ticket_id", "model_version", "shown_at"]]
    out = out.join(tickets.set_index("ticket_id")[["intent", "text"]], on="ticket_id", how="inner")
    out["label"] = np.where(bad[bad | good], 0, 1).astype("int64")
    out.index = out.index + 100
    return out
