"""Grading survives cheating, crashing, looping, flooding, tampered and broken submissions (COURSE_DESIGN §6).

Two small cohorts of lesson 00 are graded once each with `make grade`'s cohort grader (two workers),
from submissions built by tests/hardening_cases.py. Each case must get exactly the points it deserves,
the batch must go on, and the honest learners in both cohorts must get the same, full grades.
"""

from __future__ import annotations

import pytest
from hardening_cases import CASES, EX2, EX3, FULL, LESSON, make_course

from aipmlab.grading import execute
from aipmlab.grading.cohort import grade_cohort
from aipmlab.grading.notebook import grade_id, read_notebook

pytestmark = pytest.mark.slow

COHORTS = {
    "crashes_and_cheats": ["honest_full", "honest_partial", "always_equal", "call_time_patches",
                           "shadowed_builtins", "patched_builtins_and_grader", "exits", "memory_bombs"],
    "loops_floods_files": ["honest_full", "endless_flood", "stuck_loop", "finite_floods", "tampered",
                           "corrupt", "empty_file", "wrong_kernel"],
}
LEARNER = {case: case.replace("_", "-") for cohort in COHORTS.values() for case in cohort}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade both cohorts once for the whole module."""
    out = {}
    for name, cases in COHORTS.items():
        root = make_course(tmp_path_factory.mktemp(name), cases)
        out[name] = grade_cohort(LESSON, root, workers=2, progress=False)
    return out


def result_of(graded, case):
    for res in graded.values():
        if LEARNER[case] in res.learners:
            return res, res.learners[LEARNER[case]].result
    raise AssertionError(f"Case {case} was not graded in any cohort.")


def autograded_cell(res, case, gid):
    nb = read_notebook(res.course_dir / "autograded" / LEARNER[case] / LESSON / f"{LESSON}.ipynb")
    for cell in nb.cells:
        if grade_id(cell) == gid:
            return cell
    raise AssertionError(f"{case}: no cell {gid!r} in the autograded notebook.")


def error_names(cell):
    return [o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.parametrize("case", sorted(LEARNER))
def test_each_case_gets_the_points_it_deserves(graded, case):
    _, result = result_of(graded, case)
    expected = CASES[case].expected
    got = {gid: cell.points for gid, cell in result.cells.items() if cell.kind == "auto"}
    if expected is None:
        assert result.error, f"{case}: nbgrader cannot grade this file, so the learner must get an explanation."
        assert all(p == 0 for p in got.values()), f"{case}: an ungradable file scores zero everywhere; got {got}."
        return
    assert not result.error, f"{case}: the submission should have been graded, but: {result.error}"
    assert got == expected, f"{case}: expected points {expected}, got {got}."
    for gid, enames in (CASES[case].errors or {}).items():
        assert result.cells[gid].ename in enames, (
            f"{case}: cell {gid} should fail with one of {enames}; it failed with {result.cells[gid].ename!r}.")


def test_honest_learners_are_unaffected_by_the_rest_of_the_batch(graded):
    for name, res in graded.items():
        honest = res.learners["honest-full"].result
        got = {gid: c.points for gid, c in honest.cells.items() if c.kind == "auto"}
        assert got == FULL, f"In cohort {name}, the honest learner lost points next to broken submissions: {got}."
        assert res.learners["honest-full"].feedback is not None, f"In cohort {name}, the honest learner got no feedback."


def test_the_batch_goes_on_and_everyone_is_in_grades_csv(graded):
    for name, res in graded.items():
        text = res.grades_csv.read_text(encoding="utf-8")
        missing = [learner for learner in res.learners if f",{learner}," not in text]
        assert not missing, f"Cohort {name}: grades.csv has no row for {missing}."


def test_a_memory_bomb_is_stopped_by_the_kernel_cap(graded):
    res, _ = result_of(graded, "memory_bombs")
    names = error_names(autograded_cell(res, "memory_bombs", EX2))
    assert any(n and n.endswith("MemoryError") for n in names), (
        f"The address-space cap should turn the bomb into a MemoryError in its own cell; errors were {names}.")


def test_memory_spread_over_child_processes_is_stopped_by_the_watchdog(graded):
    res, _ = result_of(graded, "memory_bombs")
    names = error_names(autograded_cell(res, "memory_bombs", EX3))
    assert "MemoryLimitExceeded" in names, (
        f"Child processes using more than the cap together must be stopped by the watchdog; errors were {names}.")


def test_os_exit_kills_only_its_own_cell(graded):
    res, result = result_of(graded, "exits")
    assert "KernelDied" in error_names(autograded_cell(res, "exits", EX3)), "The os._exit() cell must be marked."
    assert result.cells["tickets_per_agent_value"].points == 1, "Cells before the crash must keep their points."


def test_a_loop_that_swallows_interrupts_is_stopped(graded):
    res, result = result_of(graded, "stuck_loop")
    assert "KernelUnresponsive" in error_names(autograded_cell(res, "stuck_loop", EX2)), (
        "A loop that ignores the interrupt must be stopped and marked as such.")
    assert result.cells["which_question_answer"].points == 1, "Cells after the stuck loop must still be graded."


def test_floods_are_capped_in_the_graded_notebook(graded):
    res, _ = result_of(graded, "finite_floods")
    path = res.course_dir / "autograded" / LEARNER["finite_floods"] / LESSON / f"{LESSON}.ipynb"
    size = path.stat().st_size
    assert size < 1_000_000, f"A flooding notebook must be stored with capped output; it takes {size:,} bytes."
    res, _ = result_of(graded, "endless_flood")
    names = error_names(autograded_cell(res, "endless_flood", EX3))
    assert names and names[-1] in ("CellTimeoutError", "KernelUnresponsive"), f"Endless flood errors: {names}."


def test_tampering_is_flagged_for_the_instructor(graded):
    res, _ = result_of(graded, "tampered")
    flags = "; ".join(res.learners[LEARNER["tampered"]].flags)
    for expected in ("deleted locked cells", "edited locked cells", "duplicated cells", "unknown grade ids"):
        assert expected in flags, f"The tampered notebook should be flagged with {expected!r}; flags: {flags!r}."


def test_the_memory_cap_leaves_heavy_imports_alone_and_really_triggers(tmp_path):
    """With the course's own cap (3 GB), sklearn/pandas/statsmodels lessons run; a bomb raises MemoryError."""
    from nbformat.v4 import new_code_cell, new_notebook
    from traitlets.config.loader import PyFileConfigLoader

    from aipmlab.paths import REPO_ROOT

    cap = PyFileConfigLoader("nbgrader_config.py", path=str(REPO_ROOT)).load_config().HardenedExecute.memory_limit_mb
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np, pandas as pd, matplotlib.pyplot as plt, statsmodels.api as sm\n"
                      "from sklearn.feature_extraction.text import TfidfVectorizer\n"
                      "from sklearn.linear_model import LogisticRegression\n"
                      "X = TfidfVectorizer().fit_transform(['late order', 'missing item', 'refund please'] * 200)\n"
                      "model = LogisticRegression().fit(X, [0, 1, 2] * 200)\n"
                      "big = np.ones((4000, 4000))  # 128 MB, well inside a lesson's budget\n"
                      "print(model.score(X, [0, 1, 2] * 200))"),
        new_code_cell("hog = bytearray(64 * 2**30)"),
        new_code_cell("print('still alive')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ex = execute.HardenedExecute(timeout=120, memory_limit_mb=cap)
    nb, _ = ex.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    first, bomb, after = (error_names(c) for c in nb.cells)
    assert first == [], f"Heavy imports and a small model must run under the {cap} MB cap; errors: {first}."
    assert bomb == ["MemoryError"], f"A 64 GB allocation must raise MemoryError under the cap; errors: {bomb}."
    assert after == [] and "still alive" in nb.cells[2].outputs[0]["text"], "The kernel must survive the bomb."
