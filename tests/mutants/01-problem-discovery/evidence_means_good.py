# replaces: statement_verdicts_solution
# fails: statement_verdicts_answer
# mistake: calls statement E "good" because it cites data, missing that it commits to a model
statement_verdicts = {"A": "solution", "B": "vague", "C": "unvalidated", "D": "good", "E": "good"}
