"""`make check`: a learner grades a finished lesson alone, hidden tests included, without seeing them."""

from __future__ import annotations

import nbformat
import pytest
from hardening_cases import LESSON, build

from aipmlab.grading import check
from aipmlab.grading.cohort import hidden_test_lines
from aipmlab.grading.notebook import parse_structure, read_notebook, solution_path


def test_unreadable_files_get_a_clear_message(tmp_path, capsys):
    empty = tmp_path / f"{LESSON}.ipynb"
    empty.write_bytes(b"")
    assert check.main([str(empty)]) == 2, "An empty file cannot be graded: exit code 2."
    err = capsys.readouterr().err
    assert "not a readable Jupyter notebook" in err, f"The learner must be told what is wrong; got {err!r}."
    assert check.main([str(tmp_path / "missing.ipynb")]) == 2, "A missing file cannot be graded: exit code 2."


@pytest.mark.slow
def test_check_grades_a_tampered_notebook_and_explains_it(tmp_path, capsys):
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(build("tampered"), str(path))
    assert check.main([str(path)]) == 0, "make check must grade a tampered notebook, not give up."
    out = capsys.readouterr().out
    full = sum(i.points for i in parse_structure(read_notebook(solution_path(LESSON))).auto_items)
    assert f"Auto-graded total: {full - 1:g} / {full:g} points." in out, (
        f"The tampered case loses exactly exercise 1's edited check ({full - 1:g} of {full:g} points):\n{out}")
    assert "You deleted locked cells" in out and "the grader put them back" in out, f"Notes missing:\n{out}"
    assert "FAIL" in out and "416.67" in out, f"The failed value test's teaching message must be shown:\n{out}"
    leaks = [line for line in hidden_test_lines(read_notebook(solution_path(LESSON))) if line in " ".join(out.split())]
    assert not leaks, f"make check printed hidden test code: {leaks}"


@pytest.mark.slow
def test_a_lesson_is_prepared_once_per_version_and_never_graded_stale(tmp_path):
    """A second check reuses the prepared lesson; a changed solution (or a tampered cache) is prepared anew."""
    import shutil

    from aipmlab.grading.runner import GradingCourse, lesson_key, prepared_lesson

    solutions, cache = tmp_path / "solutions", tmp_path / "cache"
    shutil.copytree(solution_path(LESSON).parent, solutions / LESSON)
    first = prepared_lesson(LESSON, cache_dir=cache, solutions_dir=solutions)
    stamp = (first / "gradebook.db").stat()
    again = prepared_lesson(LESSON, cache_dir=cache, solutions_dir=solutions)
    assert again == first and (again / "gradebook.db").stat().st_mtime_ns == stamp.st_mtime_ns, (
        "An unchanged lesson must reuse its prepared copy, not generate it again.")
    assert first.name == f"{LESSON}-{lesson_key(solutions / LESSON)}", f"The entry is keyed by content: {first.name}"

    # The author changes a hidden test so that the solution now fails it.
    nb = read_notebook(solutions / LESSON / f"{LESSON}.ipynb")
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                     and not c.metadata["nbgrader"].get("solution"))
    gid = test_cell.metadata["nbgrader"]["grade_id"]
    test_cell.source += "\nassert False, 'changed by the author'"
    nbformat.write(nb, str(solutions / LESSON / f"{LESSON}.ipynb"))
    changed = prepared_lesson(LESSON, cache_dir=cache, solutions_dir=solutions)
    assert changed != first and not first.exists(), "A changed solution gets a new prepared copy; the stale one goes."
    course = GradingCourse.from_prepared(LESSON, cache_dir=cache, solutions_dir=solutions,
                                         extra_args=["--HardenedExecute.sandbox=if-available"])
    course.add_submission("self", LESSON, solutions / LESSON / f"{LESSON}.ipynb")
    result = course.autograde_in_process(LESSON)["self"]
    assert result.cells[gid].points == 0 and "changed by the author" in result.cells[gid].evalue, (
        f"The changed hidden test must be the one graded: {result.cells[gid]}")

    # A prepared copy edited after the fact (or half-written) is never trusted.
    cached = changed / "solutions" / LESSON / f"{LESSON}.ipynb"
    cached.write_text(cached.read_text(encoding="utf-8").replace("changed by the author", "stale"), encoding="utf-8")
    rebuilt = prepared_lesson(LESSON, cache_dir=cache, solutions_dir=solutions)
    assert "changed by the author" in (rebuilt / "solutions" / LESSON / f"{LESSON}.ipynb").read_text(encoding="utf-8"), (
        "A cached copy that no longer matches its key must be rebuilt from the lesson.")


@pytest.mark.slow
def test_check_shows_which_exercise_is_being_graded(tmp_path, capsys):
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(read_notebook(solution_path(LESSON)), str(path))
    assert check.main([str(path)]) == 0
    captured = capsys.readouterr()
    assert "Starting the grading kernel" in captured.err and "Grading Exercise 1" in captured.err, (
        f"make check must say what it is doing while the kernel runs:\n{captured.err}")
    assert "Every auto-graded check passes" in captured.out, f"The solution earns full marks:\n{captured.out}"
