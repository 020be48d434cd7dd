# replaces: signal_rates_solution
# fails: signal_rates_bad_input
# mistake: never checks its input, so an empty table returns an empty DataFrame and a missing column crashes with KeyError
def signal_rates(events, by="model_version"):
    action = events["action"].astype(str)
    sent = action.isin(["accepted", "edited"])
    df = pd.DataFrame({"group": events[by].astype(str).to_numpy(), "accepted": (action == "accepted").to_numpy(),
                       "edited": (action == "edited").to_numpy(), "rejected": (action == "rejected").to_numpy(),
                       "ignored": (action == "ignored").to_numpy(), "sent": sent.to_numpy(),
                       "sent_and_undone": (sent & (events["undone"] == 1)).to_numpy()})
    g = df.groupby("group")
    out = pd.DataFrame({"events": g.size(), "accept_rate": g["accepted"].mean(), "edit_rate": g["edited"].mean(),
                        "reject_rate": g["rejected"].mean(), "ignore_rate": g["ignored"].mean(),
                        "undo_rate": g["sent_and_undone"].sum() / g["sent"].sum()})
    out.index.name = by
    return out
