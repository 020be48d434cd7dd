"""Judgment over hygiene (COURSE_DESIGN §9, issue 15 §3), checked for every lesson in solutions/.

- Every lesson has a DECISION exercise: at least one auto-graded test cell whose grade id starts with
  `decision_`. Its tests check the consequences of the learner's choice (a bar, a threshold, a policy, a set
  of labels) against constraints the lesson states, so several answers pass.
- Bad-input checks (ValueError/TypeError on bad arguments) live only in test cells whose grade id ends with
  `_bad_input`, and those cells carry at most 20% of the lesson's auto-graded points.

The third rule is a static heuristic: a test cell that catches ValueError or TypeError (`except ValueError`,
`except (TypeError, ValueError)`, `pytest.raises(ValueError)`) and does something other than fail in that handler
(`pass`, record it) is checking that bad arguments are rejected. A handler that only raises AssertionError
("your function raised ValueError on valid input") is not.
"""

from __future__ import annotations

import ast

import pytest
from conftest import LESSONS

from aipmlab.grading.notebook import grade_id, is_autograded_test, nbgrader_meta, read_notebook, solution_path

BAD_INPUT_SHARE = 0.20
REJECTIONS = {"ValueError", "TypeError"}


def _names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def _only_fails(body: list[ast.stmt]) -> bool:
    """A handler that only turns the error into a failure ("your function raised ValueError on valid input")
    is not a rejection check."""
    return all(isinstance(s, (ast.Raise, ast.Assert)) for s in body)


def checks_rejection(source: str) -> bool:
    """True when a test cell checks that ValueError/TypeError is raised."""
    code = "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!")))
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ExceptHandler) and _names(node.type) & REJECTIONS and not _only_fails(node.body):
            return True
        if isinstance(node, ast.Call) and "raises" in _names(node.func) and any(
                _names(a) & REJECTIONS for a in node.args):
            return True
    return False


def auto_test_cells(lesson: str):
    nb = read_notebook(solution_path(lesson))
    return [(grade_id(c), float(nbgrader_meta(c).get("points", 0)), c.source) for c in nb.cells if is_autograded_test(c)]


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_has_a_decision_exercise(lesson):
    ids = [gid for gid, _, _ in auto_test_cells(lesson)]
    assert any(gid.startswith("decision_") for gid in ids), (
        f"{lesson} has no auto-graded test cell whose grade id starts with 'decision_'. Every lesson needs a "
        "DECISION exercise: the learner sets a bar, threshold, policy or labels from constraints the lesson "
        "states, and the tests check the consequences of the choice (several answers pass)."
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_bad_input_points_are_a_small_share(lesson):
    cells = auto_test_cells(lesson)
    total = sum(p for _, p, _ in cells)
    bad = sum(p for gid, p, _ in cells if gid.endswith("_bad_input"))
    assert bad <= BAD_INPUT_SHARE * total + 1e-9, (
        f"{lesson}: '_bad_input' cells carry {bad:g} of {total:g} auto-graded points ({bad / total:.0%}); the limit "
        f"is {BAD_INPUT_SHARE:.0%}. Merge them into one robustness item per exercise or drop the least useful."
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_rejection_checks_live_in_bad_input_cells(lesson):
    misplaced = [gid for gid, _, src in auto_test_cells(lesson)
                 if checks_rejection(src) and not gid.endswith("_bad_input")]
    assert not misplaced, (
        f"{lesson}: test cells {misplaced} check that ValueError/TypeError is raised but their grade ids do not "
        "end with '_bad_input'. Move those checks into a '<exercise>_bad_input' cell (or drop them)."
    )


def test_rejection_heuristic():
    assert checks_rejection("try:\n    f(-1)\nexcept ValueError:\n    pass")
    assert checks_rejection("try:\n    f(-1)\nexcept (TypeError, ZeroDivisionError) as e:\n    pass")
    assert checks_rejection("with pytest.raises(ValueError):\n    f(-1)")
    assert not checks_rejection("try:\n    f(1)\nexcept Exception as e:\n    raise AssertionError(e)")
    assert not checks_rejection("try:\n    f(1)\nexcept ValueError as e:\n    raise AssertionError(f'valid input: {e}')")
