# replaces: redact_pii_solution
# fails: redact_pii_keeps_the_rest
# mistake: redacts every run of 7 or more digits as a phone, wiping out order numbers agents need
def redact_pii(text):
    if type(text) is not str:
        raise TypeError("text must be a str")
    text = re.sub(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", "[EMAIL]", text)

    def decide(match):
        found = match.group(0)
        digits = sum(ch.isdigit() for ch in found)
        if 13 <= digits <= 19 and not found.startswith(("+", "00", "(")):
            return "[CARD]"
        return "[PHONE]" if digits >= 7 else found

    return re.sub(r"\+?(?:\(\d+\)|\d)(?:[ .\-]?(?:\(\d+\)|\d))*", decide, text)
