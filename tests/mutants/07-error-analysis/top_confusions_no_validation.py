# replaces: top_confusions_solution
# fails: top_confusions_bad_input
# mistake: zips the two lists without checking their lengths or k, so a truncated prediction list passes silently
def top_confusions(expected, predicted, k=5):
    wrong = pd.DataFrame([(str(e), str(p)) for e, p in zip(expected, predicted) if str(e) != str(p)],
                         columns=["expected", "predicted"])
    counts = wrong.groupby(["expected", "predicted"]).size().reset_index(name="count")
    counts = counts.sort_values(["count", "expected", "predicted"], ascending=[False, True, True])
    return counts.head(k).reset_index(drop=True)
