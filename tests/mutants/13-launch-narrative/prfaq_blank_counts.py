# replaces: validate_prfaq_solution
# fails: validate_prfaq_sections
# mistake: checks only that the section's key exists, so a blank quote or an empty FAQ list passes
PRFAQ_SECTIONS = ["headline", "customer_problem", "solution", "quote", "getting_started", "customer_faq",
                  "internal_faq", "rude_questions"]


def validate_prfaq(doc):
    if not isinstance(doc, dict):
        raise TypeError("doc must be a dict")
    names = {"_".join(str(k).strip().lower().replace("-", " ").replace("_", " ").split()) for k in doc}
    return [s for s in PRFAQ_SECTIONS if s not in names]
