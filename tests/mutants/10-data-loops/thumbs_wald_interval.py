# replaces: thumbs_summary_solution
# fails: thumbs_summary_values
# mistake: uses the normal (Wald) interval p +/- z*sqrt(p(1-p)/n) instead of Wilson
def thumbs_summary(events, alpha=0.05):
    if len(events) == 0 or not 0 < alpha < 1:
        raise ValueError("bad input")
    rated = int(events["thumbs"].notna().sum())
    if rated == 0:
        raise ValueError("no thumbs")
    p = int((events["thumbs"] == "up").sum()) / rated
    z = stats.norm.ppf(1 - alpha / 2)
    half = z * math.sqrt(p * (1 - p) / rated)
    return {"events": len(events), "rated": rated, "feedback_share": rated / len(events), "up_rate": p,
            "ci_low": p - half, "ci_high": p + half}
