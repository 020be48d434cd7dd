# replaces: sample_for_review_solution
# fails: sample_for_review_weights
# mistake: over-samples correctly but gives every reviewed row a weight of 1
def sample_for_review(logs, n, seed=0, threshold=0.5):
    if not isinstance(logs, pd.DataFrame) or "confidence" not in logs.columns:
        raise ValueError("logs need a confidence column")
    if logs["confidence"].isna().any() or not logs["confidence"].between(0, 1).all():
        raise ValueError("confidence must be in [0, 1]")
    if not isinstance(n, int) or not 1 <= n <= len(logs):
        raise ValueError("bad n")
    low = logs[logs["confidence"] < threshold]
    other = logs[logs["confidence"] >= threshold]
    k_low = min(-(-n // 2), len(low))
    k_other = min(n - k_low, len(other))
    k_low = n - k_other
    parts = [low.sample(n=k_low, random_state=seed).assign(stratum="low", weight=1.0),
             other.sample(n=k_other, random_state=seed).assign(stratum="other", weight=1.0)]
    return pd.concat(parts)
