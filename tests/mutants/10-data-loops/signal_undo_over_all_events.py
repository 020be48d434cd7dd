# replaces: signal_rates_solution
# fails: signal_rates_small_table
# mistake: divides undone replies by all events, although rejected and ignored suggestions can never be undone
def signal_rates(events, by="model_version"):
    if len(events) == 0 or {"action", "undone", by} - set(events.columns):
        raise ValueError("bad events")
    df = pd.DataFrame({"group": events[by].astype(str).to_numpy(), "action": events["action"].astype(str).to_numpy(),
                       "undone": events["undone"].to_numpy()})
    g = df.groupby("group")
    out = pd.DataFrame({"events": g.size()})
    for col, a in [("accept_rate", "accepted"), ("edit_rate", "edited"), ("reject_rate", "rejected"), ("ignore_rate", "ignored")]:
        out[col] = g["action"].apply(lambda s, a=a: (s == a).mean())
    out["undo_rate"] = g["undone"].mean()
    out.index.name = by
    return out
