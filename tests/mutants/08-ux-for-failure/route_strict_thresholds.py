# replaces: route_by_confidence_solution
# fails: route_by_confidence_routes
# mistake: uses > at both thresholds, so a ticket exactly at t_auto is only suggested
def route_by_confidence(confidences, t_auto, t_suggest):
    if not 0 <= t_suggest <= t_auto <= 1:
        raise ValueError("need 0 <= t_suggest <= t_auto <= 1")
    routes = []
    for c in confidences:
        if not 0 <= c <= 1:
            raise ValueError("confidence outside [0, 1]")
        routes.append("auto" if c > t_auto else "suggest" if c > t_suggest else "human")
    return routes
