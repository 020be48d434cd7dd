"""Grading tools for AIPM Lab: nbgrader preprocessors, the learner self-check and cohort grading."""
