# replaces: implicit_labels_solution
# fails: implicit_labels_joins_tickets
# mistake: copies text and intent from tickets by row position instead of joining on ticket_id
def implicit_labels(events, tickets, max_edit_chars=80):
    if {"ticket_id", "action", "undone", "thumbs", "edit_chars"} - set(events.columns) or max_edit_chars < 0:
        raise ValueError("bad input")
    action = events["action"].astype(str)
    edit = events["edit_chars"].astype("float64").fillna(0)
    bad = ((action == "rejected") | (events["undone"] == 1) | (events["thumbs"] == "down").fillna(False)
           | ((action == "edited") & (edit > max_edit_chars)))
    good = action.isin(["accepted", "edited"]) & ~bad
    keep = (bad | good).to_numpy()
    out = events.loc[keep, ["event_id", "ticket_id", "model_version", "shown_at"]].reset_index(drop=True)
    matched = tickets.iloc[np.flatnonzero(keep) % len(tickets)].reset_index(drop=True)
    out["intent"] = matched["intent"]
    out["text"] = matched["text"]
    out["label"] = np.where(bad.to_numpy()[keep], 0, 1).astype("int64")
    return out
