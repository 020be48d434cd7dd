# replaces: route_rules_solution
# fails: route_ticket_obvious_cases, route_ticket_accuracy
# mistake: wires up the router but keeps only the three starter rules, so most intents can never be reached
RULES = STARTER_RULES

