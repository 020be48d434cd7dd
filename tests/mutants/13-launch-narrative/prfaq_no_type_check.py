# replaces: validate_prfaq_solution
# fails: validate_prfaq_bad_input
# mistake: never checks that the document is a dict, so a string crashes with AttributeError instead of a clear TypeError
PRFAQ_SECTIONS = ["headline", "customer_problem", "solution", "quote", "getting_started", "customer_faq",
                  "internal_faq", "rude_questions"]


def validate_prfaq(doc):
    found = {"_".join(str(k).strip().lower().replace("-", " ").replace("_", " ").split()): v for k, v in doc.items()}
    def blank(v):
        return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, tuple, dict)) and not v)
    return [s for s in PRFAQ_SECTIONS if s not in found or blank(found[s])]
