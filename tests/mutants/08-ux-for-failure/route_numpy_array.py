# replaces: route_by_confidence_solution
# fails: route_by_confidence_routes
# mistake: returns the NumPy array from np.select instead of a list of Python strings
def route_by_confidence(confidences, t_auto, t_suggest):
    if not 0 <= t_suggest <= t_auto <= 1:
        raise ValueError("need 0 <= t_suggest <= t_auto <= 1")
    conf = np.asarray(confidences, dtype=float)
    return np.select([conf >= t_auto, conf >= t_suggest], ["auto", "suggest"], default="human")
