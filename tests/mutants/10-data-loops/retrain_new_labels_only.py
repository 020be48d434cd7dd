# replaces: retrain_gain_solution
# fails: retrain_gain_small_case, retrain_gain_on_basketly
# mistake: trains the after model on the new labels alone instead of adding them to the original training set
def retrain_gain(train, new_labels, test, slice_intent="membership_pause"):
    if len(train) == 0 or len(test) == 0 or not (test["intent"].astype(str) == slice_intent).any():
        raise ValueError("bad input")
    truth = test["intent"].astype(str).to_numpy()
    mask = truth == slice_intent
    before = triage_model().fit(train["text"], train["intent"].astype(str)).predict(test["text"])
    after = triage_model().fit(new_labels["text"], new_labels["intent"].astype(str)).predict(test["text"])
    b, a = float((before[mask] == slice_intent).mean()), float((after[mask] == slice_intent).mean())
    return {"before": b, "after": a, "gain": a - b, "overall_before": float((before == truth).mean()),
            "overall_after": float((after == truth).mean())}
