"""Grading integrity: no submission can change another learner's grade, stop the batch, reach beyond
its own submission, leave processes behind, or pass a test its answer fails (attacks in
tests/integrity_cases.py).

Two cohorts of lesson 00 are graded with `make grade`'s cohort grader: honest learners alone, and the
same honest learners beside one submission per attack family. The honest learners' scores and
grades.csv rows must be byte-identical in both; every attack must be graded (the batch finishes) and
get the points its answers deserve. For the verdict attacks (issue 18: patched references, rebound
test data, input and AST transformers, hidden tracebacks, fake exception classes, reading the
running test) those are the points their wrong answers earn without the cheat. Lesson 06's verdict
attacks are graded by tests/test_integrity_verdicts.py.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import psutil
import pytest
from hardening_cases import LESSON, ZERO, make_course, to_bytes
from integrity_cases import ATTACKS, HONEST, ORPHAN_MARK, build_attack

from aipmlab.grading.cohort import grade_cohort
from aipmlab.paths import REPO_ROOT

pytestmark = pytest.mark.slow


def learner(case: str) -> str:
    return case.replace("_", "-")


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory):
    clean_root = make_course(tmp_path_factory.mktemp("clean"), list(HONEST))
    attacked_root = make_course(tmp_path_factory.mktemp("attacked"), list(HONEST))
    for name in ATTACKS:
        path = attacked_root / "submitted" / learner(name) / LESSON / f"{LESSON}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_bytes(build_attack(name, str(attacked_root))))
    honest_bytes = {case: (attacked_root / "submitted" / learner(case) / LESSON / f"{LESSON}.ipynb").read_bytes()
                    for case in HONEST}
    clean = grade_cohort(LESSON, clean_root, workers=2, progress=False)
    attacked = grade_cohort(LESSON, attacked_root, workers=2, progress=False)
    return clean, attacked, honest_bytes


def grades_rows(res) -> dict[str, dict[str, str]]:
    with open(res.grades_csv, newline="", encoding="utf-8") as fh:
        return {row["student_id"]: row for row in csv.DictReader(fh)}


def test_honest_learners_grades_are_identical_beside_every_attack(cohorts):
    clean, attacked, _ = cohorts
    for case in HONEST:
        before = {g: c.points for g, c in clean.learners[learner(case)].result.cells.items()}
        after = {g: c.points for g, c in attacked.learners[learner(case)].result.cells.items()}
        assert before == after, f"{case}: the attacks in the same cohort changed this honest learner's scores: {before} -> {after}"
        assert grades_rows(clean)[learner(case)] == grades_rows(attacked)[learner(case)], (
            f"{case}: this honest learner's grades.csv row differs when attackers are in the cohort.")


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_each_attack_is_graded_and_earns_only_what_its_answers_deserve(cohorts, attack):
    _, attacked, _ = cohorts
    assert learner(attack) in attacked.learners, f"{attack} was not graded at all: the batch did not finish."
    result = attacked.learners[learner(attack)].result
    expected = ATTACKS[attack][1]
    if expected is None:
        return
    got = {g: c.points for g, c in result.cells.items() if c.kind == "auto"}
    if expected is ZERO:  # scores zero because nbgrader could not grade it (not because it answered wrongly)
        assert result.error, f"{attack}: a notebook that scores zero because it cannot be graded must say why."
    gained = sorted(g for g in expected if got.get(g, 0.0) > expected[g])
    what = " ".join((ATTACKS[attack][0].__doc__ or "").split())
    assert got == expected, (
        f"{attack}: expected {expected}, got {got}"
        + (f"; it passed tests its answers fail: {gained} ({what})" if gained else "")
        + ". An attack that answers correctly loses points only when it reached outside its sandbox; one "
        "that answers wrongly must not gain any.")


def test_no_attack_process_outlives_grading(cohorts):
    deadline = time.monotonic() + 10
    while True:
        left = []
        for proc in psutil.process_iter(["pid", "cmdline"]):
            try:
                if any(ORPHAN_MARK in part for part in (proc.info["cmdline"] or [])):
                    left.append(proc.info["pid"])
            except psutil.Error:
                continue
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not left, f"Processes started by learner code are still running after grading: {left}"


def test_nothing_was_written_outside_the_sandbox(cohorts):
    _, attacked, honest_bytes = cohorts
    for path in [attacked.course_dir / "owned.txt", REPO_ROOT / "owned.txt"]:
        assert not path.exists(), f"Learner code wrote {path} during grading."
    for case, data in honest_bytes.items():
        path = attacked.course_dir / "submitted" / learner(case) / LESSON / f"{LESSON}.ipynb"
        assert path.read_bytes() == data, f"Learner code changed {case}'s submitted notebook."


def test_grading_refuses_without_a_sandbox(monkeypatch, tmp_path):
    from aipmlab.grading import cohort, sandbox
    from aipmlab.grading.runner import GradingError

    monkeypatch.setattr(sandbox, "problem", lambda: "bwrap was not found on PATH.")
    with pytest.raises(GradingError, match="bwrap was not found"):
        cohort.refuse_without_sandbox()
    root = make_course(tmp_path, ["honest_full"])
    assert cohort.main(["grade", LESSON, "--course-dir", str(root), "--quiet"]) == 2
    assert not (root / "autograded").exists(), "Nothing may be graded without the sandbox."


def test_self_check_uses_the_sandbox_where_it_can_and_grading_insists(monkeypatch):
    from aipmlab.grading import execute, sandbox

    monkeypatch.setattr(sandbox, "problem", lambda: "bwrap was not found on PATH.")
    assert execute.HardenedExecute(sandbox="if-available")._use_sandbox() is False, (
        "make check on a laptop without bubblewrap must still grade the learner's own notebook.")
    with pytest.raises(RuntimeError, match="Refusing to run learner code without a sandbox"):
        execute.HardenedExecute(sandbox="required")._use_sandbox()
    monkeypatch.setattr(sandbox, "problem", lambda: "")
    assert execute.HardenedExecute(sandbox="if-available")._use_sandbox() is True
    assert execute.HardenedExecute(sandbox="off")._use_sandbox() is False


def test_the_sandboxed_kernel_can_run_a_lesson_setup_but_not_read_the_tests(tmp_path):
    """Every lesson's setup cell checks the environment against requirements.txt and loads assets/."""
    from nbformat.v4 import new_code_cell, new_notebook

    from aipmlab.grading import execute

    nb = new_notebook(cells=[
        new_code_cell("from aipmlab import check_environment\nfrom aipmlab.data import load_tickets\n"
                      "check_environment(['numpy', 'pandas'])\nprint(len(load_tickets()))"),
        new_code_cell(f"open({str(REPO_ROOT / 'tests' / 'conftest.py')!r}).read()"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ex = execute.HardenedExecute(timeout=120, sandbox="required")
    nb, _ = ex.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    setup_errors = [o.get("evalue") for o in nb.cells[0].outputs if o.get("output_type") == "error"]
    assert not setup_errors, f"A lesson's setup cell must run in the sandbox; it raised {setup_errors}."
    read_errors = [o.get("ename") for o in nb.cells[1].outputs if o.get("output_type") == "error"]
    assert read_errors == ["FileNotFoundError"], f"The tests must be invisible to learner code; got {read_errors}."


def test_a_checkout_under_tmp_or_home_is_mounted_after_the_private_folders(monkeypatch, tmp_path):
    """CI clones anywhere (often under /tmp): the private /tmp must not hide the course's own files."""
    from aipmlab.grading import sandbox

    monkeypatch.setattr(sandbox, "_read_only_paths", lambda: [Path("/tmp/clone/.venv"), Path("/home/learner/x")])
    cmd = sandbox.bwrap_command(["python"], runtime=tmp_path, env={})
    mounts = [i for i, a in enumerate(cmd) if a == "--tmpfs"]
    binds = [i for i, a in enumerate(cmd) if a == "--ro-bind" and cmd[i + 1].startswith(("/tmp/", "/home/"))]
    made = {cmd[i + 1]: i for i, a in enumerate(cmd) if a == "--dir"}
    assert binds and max(mounts) < min(binds), "Every in-memory folder must be mounted before the binds under it."
    assert made.get("/tmp/clone", -1) > max(mounts), (
        "The folders on the way to a bound path must be made (enterable for the kernel's user) after the private "
        "/tmp is mounted, or the mount hides them.")
