# replaces: tickets_per_agent_solution
# fails: tickets_per_agent_value
# mistake: floor division `//` throws away the fraction of a ticket
def tickets_per_agent(tickets_per_month, agents):
    if tickets_per_month < 0 or agents < 1 or int(agents) != agents:
        raise ValueError("bad input")
    return float(tickets_per_month // agents)
