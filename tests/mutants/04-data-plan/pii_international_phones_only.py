# replaces: redact_pii_solution
# fails: redact_pii_phones
# mistake: only recognises phone numbers that start with +, so local formats like 07700 900123 or 06 12 34 56 78 leak through
def redact_pii(text):
    if type(text) is not str:
        raise TypeError("text must be a str")
    text = re.sub(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", "[EMAIL]", text)
    text = re.sub(r"\b\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}\b", "[CARD]", text)
    return re.sub(r"\+\d(?:[ .\-]?(?:\(\d+\)|\d))+", "[PHONE]", text)
