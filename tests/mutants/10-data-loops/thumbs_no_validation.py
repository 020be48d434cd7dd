# replaces: thumbs_summary_solution
# fails: thumbs_summary_bad_input
# mistake: never checks for missing feedback, so no thumbs at all crashes with ZeroDivisionError instead of a clear error
def thumbs_summary(events, alpha=0.05):
    rated = int(events["thumbs"].notna().sum())
    p = int((events["thumbs"] == "up").sum()) / rated
    z = stats.norm.ppf(1 - alpha / 2)
    d = 1 + z ** 2 / rated
    c = (p + z ** 2 / (2 * rated)) / d
    h = z / d * math.sqrt(p * (1 - p) / rated + z ** 2 / (4 * rated ** 2))
    return {"events": len(events), "rated": rated, "feedback_share": rated / len(events), "up_rate": p,
            "ci_low": c - h, "ci_high": c + h}
