"""No feedback message may state a wrong answer's number by hand (issue 15 §2).

A message such as "if you got 0.818 you swapped TPR and TNR" is only useful if 0.818 really is what the
named mistake produces; two such numbers in the course were wrong. The convention that makes a wrong number
impossible: a graded test cell never types the number of a wrong answer. It computes it from the wrong
formula it names and formats it in:

    swapped = (0.80 + 0.60 - 1) / (0.60 + 0.95 - 1)
    assert ..., f"... if you got {swapped:.3f} you swapped TPR and TNR."

This test scans every string in every auto-graded test cell of every lesson in solutions/ (Part II lessons
included, as they are added) and fails on a digit right after a claim phrase ("got", "if", "gives", ...)
or right before one ("... means", "... suggests"). The right answer may stay a literal ("expected 0.571");
only wrong-answer claims are scanned. If a sentence that is not a wrong-answer claim is flagged, rephrase it
("expected 1.0 for two passing cases") rather than weaken the pattern.
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import LESSONS

from aipmlab.grading.notebook import grade_id, is_autograded_test, read_notebook, solution_path

NUM = r"[~≈]?\s*[-−]?[\[(]*[-−]?\d"
CLAIM_RE = re.compile(
    r"(?:\b(?:got|get|gets|getting|see|saw|returned|gives?|gave|giving|give)\s+(?:about\s+|around\s+|roughly\s+)?" + NUM
    + r"|\bif\s+(?:about\s+)?" + NUM
    + r"|(?<![\w.])\d[\d,]*(?:\.\d+)?%?\s+(?:or (?:more|less|fewer|above|below)\s+)?(?:means|suggests|comes from|"
    r"is what you get|points to|indicates))",
    re.IGNORECASE,
)

BOUND_RE = re.compile(r"\b(?:above|below|over|under|than|least|most)\s*$", re.IGNORECASE)


def message_strings(source: str) -> list[str]:
    """Every string literal in a cell, with the literal parts of f-strings (placeholders become '{}')."""
    code = "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!")))
    tree = ast.parse(code)
    parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            out.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            out.append(node.value)
    return out


def literal_claims(source: str) -> list[str]:
    claims = []
    for text in message_strings(source):
        for m in CLAIM_RE.finditer(text):
            if BOUND_RE.search(text[:m.start()]):
                continue  # "a value above 1 means ..." states a bound, not a wrong answer's number
            start = max(0, m.start() - 30)
            claims.append(text[start:m.end() + 30].replace("\n", " "))
    return claims


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_hand_typed_wrong_answer_numbers(lesson):
    nb = read_notebook(solution_path(lesson))
    found = {}
    for cell in nb.cells:
        if is_autograded_test(cell):
            claims = literal_claims(cell.source)
            if claims:
                found[grade_id(cell)] = claims
    assert not found, (
        f"{lesson}: these test messages type a wrong answer's number by hand: {found}. Compute the number in the "
        "test from the wrong formula the message names and format it in (f\"if you got {wald_lo:.3f} you used "
        "the Wald interval\"), so the message cannot be wrong. See README, 'Writing feedback'."
    )


@pytest.mark.parametrize("text, flagged", [
    ("If you got 0.818 you swapped TPR and TNR.", True),
    ("if 0.25, the failure rate.", True),
    ("1.977 means the unpooled standard error", True),
    ("4 or more means you counted every occurrence", True),
    ("If you got [0.333, 0.667] you divided by the kept tickets", True),
    ("A Wald interval would give (0, 0).", True),
    ("If you got {} you used the Wald interval", False),
    ("expected 0.571; got {}.", False),
    ("Expected a 'YYYY-MM' string; got {}.", False),
    ("accuracy is a fraction (0.9 means 90%)", True),
    ("A value above 1 means you returned counts", False),
])
def test_claim_pattern(text, flagged):
    assert bool(literal_claims(repr(text))) is flagged, f"CLAIM_RE on {text!r} should be {flagged}."
