# replaces: route_ticket_solution
# fails: route_ticket_contract, route_ticket_obvious_cases
# mistake: matches keywords against the raw text without lowercasing it, so "Where is my order" misses "where is my order"
RULES = [
    ("membership_pause", ["pause", "membership"]),
    ("account_access", ["password", "log in", "login"]),
    ("promo_code", ["promo", "code", "voucher", "discount"]),
    ("refund_status", ["refund"]),
    ("billing_charge", ["charged", "charge", "twice", "payment"]),
    ("app_bug", ["crash", "bug", "button", "error"]),
    ("damaged_item", ["damaged", "broken", "smashed", "crushed", "leak", "rotten"]),
    ("missing_item", ["missing", "forgot", "substitut"]),
    ("late_delivery", ["late", "where is my order", "driver", "still waiting"]),
    ("product_question", ["gluten", "vegan", "organic", "do you sell"]),
]


def route_ticket(text):
    if type(text) is not str:
        raise TypeError("text must be a str")
    for route, keywords in RULES:
        for keyword in keywords:
            if keyword in text:
                return route
    return "other"
