# replaces: route_ticket_solution
# fails: route_ticket_contract
# mistake: never checks the input type, so None crashes with AttributeError inside .lower() instead of a clear TypeError
def route_ticket(text):
    match = first_rule(text, RULES)
    return match[0] if match else "other"
