# replaces: thumbs_summary_solution
# fails: thumbs_summary_values
# mistake: hard-codes z = 1.96, so alpha is ignored and only the 95% interval is ever right
def thumbs_summary(events, alpha=0.05):
    if len(events) == 0 or not 0 < alpha < 1:
        raise ValueError("bad input")
    rated = int(events["thumbs"].notna().sum())
    if rated == 0:
        raise ValueError("no thumbs")
    p = int((events["thumbs"] == "up").sum()) / rated
    z = 1.96
    d = 1 + z ** 2 / rated
    c = (p + z ** 2 / (2 * rated)) / d
    h = z / d * math.sqrt(p * (1 - p) / rated + z ** 2 / (4 * rated ** 2))
    return {"events": len(events), "rated": rated, "feedback_share": rated / len(events), "up_rate": p,
            "ci_low": c - h, "ci_high": c + h}
