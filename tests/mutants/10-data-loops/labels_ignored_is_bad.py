# replaces: implicit_labels_solution
# fails: implicit_labels_rules
# mistake: treats every ignored suggestion as a rejection, so events with no evidence become bad labels
def implicit_labels(events, tickets, max_edit_chars=80):
    if {"ticket_id", "action", "undone", "thumbs", "edit_chars"} - set(events.columns) or max_edit_chars < 0:
        raise ValueError("bad input")
    if (~events["ticket_id"].isin(tickets["ticket_id"])).any():
        raise ValueError("unknown ticket")
    action = events["action"].astype(str)
    edit = events["edit_chars"].astype("float64").fillna(0)
    bad = (action.isin(["rejected", "ignored"]) | (events["undone"] == 1) | (events["thumbs"] == "down")
           | ((action == "edited") & (edit > max_edit_chars)))
    out = events[["event_id", "ticket_id", "model_version", "shown_at"]].reset_index(drop=True)
    out = out.merge(tickets[["ticket_id", "intent", "text"]], on="ticket_id", how="left")
    out["label"] = np.where(bad.to_numpy(), 0, 1).astype("int64")
    return out
