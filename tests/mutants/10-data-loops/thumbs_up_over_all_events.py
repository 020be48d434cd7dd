# replaces: thumbs_summary_solution
# fails: thumbs_summary_values
# mistake: divides thumbs up by all events, so every unrated suggestion counts as "not up"
def thumbs_summary(events, alpha=0.05):
    if len(events) == 0 or not 0 < alpha < 1:
        raise ValueError("bad input")
    rated = int(events["thumbs"].notna().sum())
    if rated == 0:
        raise ValueError("no thumbs")
    n = len(events)
    p = int((events["thumbs"] == "up").sum()) / n
    z = stats.norm.ppf(1 - alpha / 2)
    d = 1 + z ** 2 / n
    c = (p + z ** 2 / (2 * n)) / d
    h = z / d * math.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2))
    return {"events": n, "rated": rated, "feedback_share": rated / n, "up_rate": p, "ci_low": c - h, "ci_high": c + h}
