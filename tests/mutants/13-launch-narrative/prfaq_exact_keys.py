# replaces: validate_prfaq_solution
# fails: validate_prfaq_sections
# mistake: looks sections up by their exact snake_case name, so "Headline" or "customer-FAQ" count as missing
PRFAQ_SECTIONS = ["headline", "customer_problem", "solution", "quote", "getting_started", "customer_faq",
                  "internal_faq", "rude_questions"]


def validate_prfaq(doc):
    if not isinstance(doc, dict):
        raise TypeError("doc must be a dict")
    def blank(v):
        return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, tuple, dict)) and not v)
    return [s for s in PRFAQ_SECTIONS if s not in doc or blank(doc[s])]
