# replaces: route_ticket_solution
# fails: route_ticket_contract
# mistake: returns first_rule's None when no rule fires, instead of falling back to the 'other' queue
def route_ticket(text):
    if type(text) is not str:
        raise TypeError("text must be a str")
    match = first_rule(text, RULES)
    return match[0] if match else None
