# replaces: canary_plan_solution
# fails: canary_plan_schedule
# mistake: adds the stage's own hours before recording its start, so every stage "starts" when it ends
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
    plan, clock = [], 0
    for k, s in enumerate(stages, start=1):
        clock += s["hours"]
        plan.append({"stage": k, "share": s["share"], "hours": s["hours"], "gate": s["gate"],
                     "start_hour": clock, "tickets": s["share"] * s["hours"] * tickets_per_hour})
    return plan
