# replaces: canary_plan_solution
# fails: canary_plan_schedule
# mistake: counts only the traffic added at each stage (share minus the previous share) as handled by the new version
def canary_plan(stages, tickets_per_hour=25_000 / (30 * 24)):
    if not stages:
        raise ValueError("no stages")
    previous = 0.0
    for s in stages:
        if not {"share", "hours", "gate"} <= set(s) or not 0 < s["share"] <= 1 or s["share"] <= previous \
                or s["hours"] <= 0 or not str(s["gate"]).strip():
            raise ValueError("bad stage")
        previous = s["share"]
    if stages[-1]["share"] != 1.0:
        raise ValueError("must end at 1.0")
    plan, clock, before = [], 0, 0.0
    for k, s in enumerate(stages, start=1):
        plan.append({"stage": k, "share": s["share"], "hours": s["hours"], "gate": s["gate"],
                     "start_hour": clock, "tickets": (s["share"] - before) * s["hours"] * tickets_per_hour})
        clock += s["hours"]
        before = s["share"]
    return plan
