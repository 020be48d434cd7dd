# replaces: retrain_gain_solution
# fails: retrain_gain_on_basketly
# mistake: reports precision on the slice (of the tickets predicted as the intent, how many were right) instead of recall
def retrain_gain(train, new_labels, test, slice_intent="membership_pause"):
    if len(train) == 0 or len(test) == 0 or not (test["intent"].astype(str) == slice_intent).any():
        raise ValueError("bad input")
    truth = test["intent"].astype(str).to_numpy()
    both = pd.concat([train[["text", "intent"]], new_labels[["text", "intent"]]], ignore_index=True)
    before = triage_model().fit(train["text"], train["intent"].astype(str)).predict(test["text"])
    after = triage_model().fit(both["text"], both["intent"].astype(str)).predict(test["text"])

    def precision(pred):
        hit = pred == slice_intent
        return float((truth[hit] == slice_intent).mean()) if hit.any() else 0.0

    b, a = precision(before), precision(after)
    return {"before": b, "after": a, "gain": a - b, "overall_before": float((before == truth).mean()),
            "overall_after": float((after == truth).mean())}
