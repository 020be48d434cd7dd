# replaces: sample_for_review_solution
# fails: sample_for_review_reproducible
# mistake: draws rows with numpy's Generator.choice instead of pandas' seeded sample, so nobody else can reproduce the review
def sample_for_review(logs, n, seed=0, threshold=0.5):
    if not isinstance(logs, pd.DataFrame) or "confidence" not in logs.columns:
        raise ValueError("logs need a confidence column")
    if logs["confidence"].isna().any() or not logs["confidence"].between(0, 1).all():
        raise ValueError("confidence must be in [0, 1]")
    if not isinstance(n, int) or not 1 <= n <= len(logs):
        raise ValueError("bad n")
    gen = np.random.default_rng(seed)
    low = logs[logs["confidence"] < threshold]
    other = logs[logs["confidence"] >= threshold]
    k_low = min(-(-n // 2), len(low))
    k_other = min(n - k_low, len(other))
    k_low = n - k_other
    low_rows = low.loc[gen.choice(low.index, size=k_low, replace=False)]
    other_rows = other.loc[gen.choice(other.index, size=k_other, replace=False)]
    return pd.concat([low_rows.assign(stratum="low", weight=len(low) / max(k_low, 1)),
                      other_rows.assign(stratum="other", weight=len(other) / max(k_other, 1))])
