# replaces: which_question_solution
# fails: which_question_answer
# mistake: reads "is that enough to train something" as question 2, "does this need AI?"
which_question = 2
