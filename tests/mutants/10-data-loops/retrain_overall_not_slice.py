# replaces: retrain_gain_solution
# fails: retrain_gain_small_case, retrain_gain_on_basketly
# mistake: measures before and after on all test tickets, so the gain on the failing slice is diluted by everything else
def retrain_gain(train, new_labels, test, slice_intent="membership_pause"):
    if len(train) == 0 or len(test) == 0 or not (test["intent"].astype(str) == slice_intent).any():
        raise ValueError("bad input")
    truth = test["intent"].astype(str).to_numpy()
    both = pd.concat([train[["text", "intent"]], new_labels[["text", "intent"]]], ignore_index=True)
    before = triage_model().fit(train["text"], train["intent"].astype(str)).predict(test["text"])
    after = triage_model().fit(both["text"], both["intent"].astype(str)).predict(test["text"])
    b, a = float((before == truth).mean()), float((after == truth).mean())
    return {"before": b, "after": a, "gain": a - b, "overall_before": b, "overall_after": a}
