# replaces: mvq_gate_solution
# fails: mvq_gate_example
# mistake: computes passed with np.all, returning a numpy.bool_ rather than a Python bool
def mvq_gate(report, gates):
    if not gates:
        raise ValueError("no gates")
    ok = {m: (m in report and report[m][1] >= bar) for m, bar in gates.items()}
    return np.all(list(ok.values())), [m for m, good in ok.items() if not good]
