# replaces: validate_prfaq_solution
# fails: validate_prfaq_sections
# mistake: returns the missing sections as a sorted set difference, losing the order a reader expects
PRFAQ_SECTIONS = ["headline", "customer_problem", "solution", "quote", "getting_started", "customer_faq",
                  "internal_faq", "rude_questions"]


def validate_prfaq(doc):
    if not isinstance(doc, dict):
        raise TypeError("doc must be a dict")
    present = set()
    for key, value in doc.items():
        blank = value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, tuple, dict)) and not value)
        if not blank:
            present.add("_".join(str(key).strip().lower().replace("-", " ").replace("_", " ").split()))
    return sorted(set(PRFAQ_SECTIONS) - present)
