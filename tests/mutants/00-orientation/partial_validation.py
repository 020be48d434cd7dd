# replaces: tickets_per_agent_solution
# fails: tickets_per_agent_bad_input
# mistake: checks for negative numbers but accepts fractional agents, strings and booleans
def tickets_per_agent(tickets_per_month, agents):
    if tickets_per_month < 0 or agents <= 0:
        raise ValueError("tickets must be >= 0 and agents > 0")
    return float(tickets_per_month / agents)
