"""`make check`: a learner grades a finished lesson alone, hidden tests included, without seeing them."""

from __future__ import annotations

import nbformat
import pytest
from hardening_cases import LESSON, build

from aipmlab.grading import check
from aipmlab.grading.cohort import hidden_test_lines
from aipmlab.grading.notebook import read_notebook, solution_path


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
    assert "Auto-graded total: 4 / 5 points." in out, f"The tampered case earns 4 of 5 points:\n{out}"
    assert "You deleted locked cells" in out and "the grader put them back" in out, f"Notes missing:\n{out}"
    assert "FAIL" in out and "416.67" in out, f"The failed value test's teaching message must be shown:\n{out}"
    leaks = [line for line in hidden_test_lines(read_notebook(solution_path(LESSON))) if line in " ".join(out.split())]
    assert not leaks, f"make check printed hidden test code: {leaks}"
