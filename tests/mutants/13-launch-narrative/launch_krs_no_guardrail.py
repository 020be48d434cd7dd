# replaces: launch_krs_solution
# fails: launch_krs_cite_evidence
# mistake: only pushes numbers up; nothing protects the refund replies that v2 made worse
launch_krs = [
    {"metric": "first-contact resolution in chat", "evidence": "fcr_treatment",
     "baseline": evidence.at["fcr_treatment", "value"], "target": 0.66, "date": "2026-06-30"},
    {"metric": "share of tickets v2 routes on its own", "evidence": "v2_coverage_at_0.7",
     "baseline": evidence.at["v2_coverage_at_0.7", "value"], "target": 0.65, "date": "2026-06-30"},
    {"metric": "suggested replies accepted or edited", "evidence": "v2_usable_rate",
     "baseline": evidence.at["v2_usable_rate", "value"], "target": 0.72, "date": "2026-06-30"},
]
