# replaces: route_by_confidence_solution
# fails: route_by_confidence_bad_input
# mistake: never checks the thresholds, so t_suggest above t_auto silently removes the suggest band
def route_by_confidence(confidences, t_auto, t_suggest):
    conf = np.asarray(confidences, dtype=float)
    return [str(r) for r in np.select([conf >= t_auto, conf >= t_suggest], ["auto", "suggest"], default="human")]
