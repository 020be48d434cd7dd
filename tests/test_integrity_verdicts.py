"""Verdicts out of reach (issue 18): learner code must not decide whether a test passes.

One cohort of lesson 06 is graded with `make grade`'s cohort grader: two honest learners beside one
submission per attack family of tests/integrity_cases.py's ``VERDICT_ATTACKS_06``. Lesson 06's hidden
tests compare with scikit-learn, statsmodels and scipy, read the setup cell's ``norm`` and ``INTENTS``
and helpers the notebook defines, and catch ValueError: each attack answers some exercises wrongly
(the lesson's own mutants) and then tries to make those tests pass anyway, by patching the reference
libraries, rebinding setup constants and helpers, faking exception classes or reading the expected
values out of the running test; one answers with always-equal objects. Each must earn exactly what
its wrong answers deserve (measured by grading the same answers without the cheat), so any extra
point is a cheat that reached the verdict. Lesson 00's verdict attacks (input and AST transformers,
hidden tracebacks, rebound data) are graded by tests/test_integrity.py.
"""

from __future__ import annotations

import pytest
from hardening_cases import make_course, to_bytes
from integrity_cases import HONEST_06, LESSON_06, VERDICT_ATTACKS_06, build_06

from aipmlab.grading.cohort import grade_cohort

pytestmark = pytest.mark.slow

#: Lesson 06 trains a model and imports statsmodels: it is graded with the course's own limits
#: (nbgrader_config.py: 60 s a cell, 3 GB), not the tighter ones the lesson 00 cohorts use.
COURSE_LIMITS = ""


def learner(case: str) -> str:
    return case.replace("_", "-")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    root = make_course(tmp_path_factory.mktemp("verdicts"), [], lesson=LESSON_06, config=COURSE_LIMITS)
    for name in [*HONEST_06, *VERDICT_ATTACKS_06]:
        path = root / "submitted" / learner(name) / LESSON_06 / f"{LESSON_06}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_bytes(build_06(name)))
    return grade_cohort(LESSON_06, root, workers=2, progress=False)


def auto_points(cohort, case: str) -> dict[str, float]:
    assert learner(case) in cohort.learners, f"{case} was not graded at all: the batch did not finish."
    result = cohort.learners[learner(case)].result
    assert not result.error, f"{case}: the submission should have been graded, but: {result.error}"
    return {gid: c.points for gid, c in result.cells.items() if c.kind == "auto"}


@pytest.mark.parametrize("case", sorted(HONEST_06))
def test_honest_learners_get_their_points_beside_the_attacks(cohort, case):
    expected = HONEST_06[case][1]
    got = auto_points(cohort, case)
    assert got == expected, f"{case}: expected {expected}, got {got}."


@pytest.mark.parametrize("attack", sorted(VERDICT_ATTACKS_06))
def test_each_attack_earns_only_what_its_wrong_answers_deserve(cohort, attack):
    builder, expected = VERDICT_ATTACKS_06[attack]
    got = auto_points(cohort, attack)
    gained = sorted(gid for gid in expected if got.get(gid, 0.0) > expected[gid])
    lost = sorted(gid for gid in expected if got.get(gid, 0.0) < expected[gid])
    what = " ".join((builder.__doc__ or "").split())
    assert not gained, (
        f"{attack}: the cheat passed tests its wrong answers fail: {gained}. The attack: {what} "
        "Test cells must run where learner code cannot patch their references, data or exceptions, "
        "rewrite them, or read them.")
    assert not lost, (
        f"{attack}: cells {lost} lost points the answers deserve (expected {expected}, got {got}); the "
        "grader must not break a submission's correct answers while keeping its cheats away.")
