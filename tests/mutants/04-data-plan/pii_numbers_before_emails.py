# replaces: redact_pii_solution
# fails: redact_pii_emails_and_cards
# mistake: redacts numbers before emails and uses a narrow email pattern, so digits or + inside an address break it
def redact_pii(text):
    if type(text) is not str:
        raise TypeError("text must be a str")

    def decide(match):
        found = match.group(0)
        digits = sum(ch.isdigit() for ch in found)
        if found.startswith(("+", "00", "(")):
            return "[PHONE]" if 9 <= digits <= 15 else found
        if 9 <= digits <= 12:
            return "[PHONE]"
        if 13 <= digits <= 19:
            return "[CARD]"
        return found

    text = re.sub(r"\+?(?:\(\d+\)|\d)(?:[ .\-]?(?:\(\d+\)|\d))*", decide, text)
    return re.sub(r"[a-z0-9._]+@[a-z0-9-]+\.[a-z]{2,}", "[EMAIL]", text)
