# replaces: tickets_per_agent_solution
# fails: tickets_per_agent_bad_input
# mistake: computes the average but never checks its inputs, so zero agents silently returns inf or crashes
def tickets_per_agent(tickets_per_month, agents):
    if agents == 0:
        return float("inf")
    return float(tickets_per_month / agents)
