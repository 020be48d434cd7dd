# replaces: redact_pii_solution
# fails: redact_pii_emails_and_cards
# mistake: has no card rule: every long number is called a phone, so a card number becomes [PHONE] (or survives)
def redact_pii(text):
    if type(text) is not str:
        raise TypeError("text must be a str")
    text = re.sub(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", "[EMAIL]", text)

    def decide(match):
        found = match.group(0)
        digits = sum(ch.isdigit() for ch in found)
        return "[PHONE]" if 9 <= digits <= 19 else found

    return re.sub(r"\+?(?:\(\d+\)|\d)(?:[ .\-]?(?:\(\d+\)|\d))*", decide, text)
