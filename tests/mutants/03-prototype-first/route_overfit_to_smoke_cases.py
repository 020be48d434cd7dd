# replaces: route_rules_solution
# fails: route_ticket_accuracy
# mistake: writes rules that are whole phrases copied from the obvious and smoke cases: they pass those, and almost nothing else
RULES = [
    ("membership_pause", ["how do i pause my membership", "can i pause my membership"]),
    ("account_access", ["i can't log in", "i forgot my password"]),
    ("promo_code", ["my promo code doesn't work", "my voucher code won't apply"]),
    ("refund_status", ["where is my refund", "when will i get my refund"]),
    ("billing_charge", ["i was charged twice"]),
    ("app_bug", ["the app crashes when i open my basket"]),
    ("damaged_item", ["the eggs arrived smashed"]),
    ("missing_item", ["no milk in my bags today"]),
    ("late_delivery", ["where is my order? it was due at 6pm", "the driver hasn't turned up"]),
    ("product_question", ["is your sourdough gluten free"]),
]

