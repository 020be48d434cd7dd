# replaces: implicit_labels_solution
# fails: implicit_labels_rules
# mistake: uses >= for a rewrite and a fixed threshold of 80, so an 80-character edit is bad and max_edit_chars is ignored
def implicit_labels(events, tickets, max_edit_chars=80):
    if {"ticket_id", "action", "undone", "thumbs", "edit_chars"} - set(events.columns) or max_edit_chars < 0:
        raise ValueError("bad input")
    if (~events["ticket_id"].isin(tickets["ticket_id"])).any():
        raise ValueError("unknown ticket")
    action = events["action"].astype(str)
    edit = events["edit_chars"].astype("float64").fillna(0)
    bad = ((action == "rejected") | (events["undone"] == 1) | (events["thumbs"] == "down").fillna(False)
           | ((action == "edited") & (edit >= 80)))
    good = action.isin(["accepted", "edited"]) & ~bad
    keep = (bad | good).to_numpy()
    out = events.loc[keep, ["event_id", "ticket_id", "model_version", "shown_at"]].reset_index(drop=True)
    out = out.merge(tickets[["ticket_id", "intent", "text"]], on="ticket_id", how="left")
    out["label"] = np.where(bad.to_numpy()[keep], 0, 1).astype("int64")
    return out
