# replaces: implicit_labels_solution
# fails: implicit_labels_rules
# mistake: lets the action decide first, so an undone accept or an accept with a thumb down still counts as good
def implicit_labels(events, tickets, max_edit_chars=80):
    if {"ticket_id", "action", "undone", "thumbs", "edit_chars"} - set(events.columns) or max_edit_chars < 0:
        raise ValueError("bad input")
    if (~events["ticket_id"].isin(tickets["ticket_id"])).any():
        raise ValueError("unknown ticket")
    action = events["action"].astype(str)
    edit = events["edit_chars"].astype("float64").fillna(0)
    good = (action == "accepted") | ((action == "edited") & (edit <= max_edit_chars))
    bad = ~good & ((action != "ignored") | (events["thumbs"] == "down"))
    keep = (good | bad).to_numpy()
    out = events.loc[keep, ["event_id", "ticket_id", "model_version", "shown_at"]].reset_index(drop=True)
    out = out.merge(tickets[["ticket_id", "intent", "text"]], on="ticket_id", how="left")
    out["label"] = np.where(good.to_numpy()[keep], 1, 0).astype("int64")
    return out
