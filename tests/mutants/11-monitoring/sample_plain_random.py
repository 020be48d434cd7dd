# replaces: sample_for_review_solution
# fails: sample_for_review_composition
# mistake: draws a plain random sample, so low-confidence tickets are not over-sampled
def sample_for_review(logs, n, seed=0, threshold=0.5):
    if not isinstance(logs, pd.DataFrame) or "confidence" not in logs.columns:
        raise ValueError("logs need a confidence column")
    if logs["confidence"].isna().any() or not logs["confidence"].between(0, 1).all():
        raise ValueError("confidence must be in [0, 1]")
    if not isinstance(n, int) or not 1 <= n <= len(logs):
        raise ValueError("bad n")
    sample = logs.sample(n=n, random_state=seed)
    stratum = np.where(sample["confidence"] < threshold, "low", "other")
    return sample.assign(stratum=stratum, weight=len(logs) / n)
