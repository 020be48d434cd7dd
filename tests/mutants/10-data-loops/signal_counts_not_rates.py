# replaces: signal_rates_solution
# fails: signal_rates_small_table
# mistake: returns the number of events per action (a crosstab of counts) instead of shares
def signal_rates(events, by="model_version"):
    if len(events) == 0 or {"action", "undone", by} - set(events.columns):
        raise ValueError("bad events")
    counts = pd.crosstab(events[by].astype(str), events["action"].astype(str))
    sent = events[events["action"].astype(str).isin(["accepted", "edited"])]
    out = pd.DataFrame({"events": counts.sum(axis=1)})
    for col, a in [("accept_rate", "accepted"), ("edit_rate", "edited"), ("reject_rate", "rejected"), ("ignore_rate", "ignored")]:
        out[col] = counts[a] if a in counts else 0
    out["undo_rate"] = sent.groupby(sent[by].astype(str))["undone"].mean()
    out.index.name = by
    return out
