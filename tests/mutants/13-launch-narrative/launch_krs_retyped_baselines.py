# replaces: launch_krs_solution
# fails: launch_krs_cite_evidence
# mistake: retypes rounded baselines from the printed table instead of reading the evidence values
launch_krs = [
    {"metric": "first-contact resolution in chat", "evidence": "fcr_treatment",
     "baseline": 0.633, "target": 0.66, "date": "2026-06-30"},
    {"metric": "suggested replies accepted or edited", "evidence": "v2_usable_rate",
     "baseline": 0.68, "target": 0.72, "date": "2026-06-30"},
    {"metric": "refund-status replies accepted or edited (guardrail)", "evidence": "refund_usable_v2",
     "baseline": 0.5, "target": 0.68, "date": "2026-03-31"},
]
