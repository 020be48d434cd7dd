# replaces: launch_krs_solution
# fails: launch_krs_measurable
# mistake: commits to "end of Q2" instead of a date someone can check
launch_krs = [
    {"metric": "first-contact resolution in chat", "evidence": "fcr_treatment",
     "baseline": evidence.at["fcr_treatment", "value"], "target": 0.66, "date": "end of Q2"},
    {"metric": "suggested replies accepted or edited", "evidence": "v2_usable_rate",
     "baseline": evidence.at["v2_usable_rate", "value"], "target": 0.72, "date": "2026-06-30"},
    {"metric": "refund-status replies accepted or edited (guardrail)", "evidence": "refund_usable_v2",
     "baseline": evidence.at["refund_usable_v2", "value"], "target": 0.68, "date": "2026-03-31"},
]
