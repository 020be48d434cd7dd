"""Fast unit tests of the grading hardening: preprocessors, the kernel guard, feedback, leak checks, the cohort helpers."""

from __future__ import annotations

import copy
import types

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from aipmlab.grading import cohort, execute, feedback, preprocessors
from aipmlab.grading.notebook import read_notebook, solution_path
from aipmlab.paths import REPO_ROOT


def graded_cell(source: str, gid: str = "t1", outputs=None) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": gid, "points": 1,
                                 "schema_version": 3}
    cell.outputs = outputs or []
    return cell


# --- course configuration -----------------------------------------------------------------------------------

def test_course_config_keeps_generous_timeouts_and_the_hardened_pipeline():
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(REPO_ROOT)).load_config()
    assert cfg.Execute.timeout >= 60, f"Real lessons need at least 60 s per cell; the config sets {cfg.Execute.timeout}."
    assert cfg.HardenedExecute.memory_limit_mb >= 2048, (
        f"The kernel memory cap must leave room for the 1 GB lesson budget; got {cfg.HardenedExecute.memory_limit_mb} MB.")
    steps = [s.rsplit(".", 1)[-1] for s in cfg.Autograde.autograde_preprocessors]
    assert steps[0] == "HardenedExecute" and "GradeTestsByErrors" in steps, (
        f"Autograding must run the hardened executor and score tests by errors; the pipeline is {steps}.")
    assert steps.index("GradeTestsByErrors") < steps.index("SaveAutoGrades"), (
        "GradeTestsByErrors must run before SaveAutoGrades, or nbgrader scores the raw outputs.")
    sanitize = [s.rsplit(".", 1)[-1] for s in cfg.Autograde.sanitize_preprocessors]
    assert sanitize.index("RestoreMissingCells") < sanitize.index("OverwriteCells"), (
        f"RestoreMissingCells must run before OverwriteCells (nbgrader's re-adding fails otherwise); got {sanitize}.")
    feedback_steps = [s.rsplit(".", 1)[-1] for s in cfg.GenerateFeedback.preprocessors]
    assert "StripHiddenTests" in feedback_steps, f"Feedback must strip hidden tests; its pipeline is {feedback_steps}."


def test_no_execution_pass_drops_only_execution_and_clearing():
    sanitize, autograde = cohort.no_execution_lists(REPO_ROOT)
    assert not any(s.endswith(".ClearOutput") for s in sanitize), f"The recording pass must keep outputs: {sanitize}"
    assert not any(s.rsplit(".", 1)[-1] in cohort.EXECUTE_STEPS for s in autograde), (
        f"The recording pass must not execute anything: {autograde}")
    assert any(s.endswith(".SaveAutoGrades") for s in autograde), f"The recording pass must save grades: {autograde}"
    sanitize, autograde = cohort.recording_lists(REPO_ROOT)
    assert sanitize == [] and [s.rsplit(".", 1)[-1] for s in autograde] == ["SaveAutoGrades", "AssignLatePenalties"], (
        f"Recording a zero notebook runs only the steps that write the gradebook; it runs {sanitize} and {autograde}.")


# --- scoring and feedback preprocessors ----------------------------------------------------------------------

def test_grade_tests_by_errors_blocks_fake_partial_credit_and_forgives_warnings():
    fake = graded_cell("f()", outputs=[new_output("execute_result", data={"text/plain": "'full marks please'"},
                                                  execution_count=3),
                                       new_output("error", ename="AssertionError", evalue="wrong", traceback=[])])
    warn = graded_cell("g()", gid="t2", outputs=[new_output("stream", name="stderr", text="FutureWarning: x\n")])
    nb = new_notebook(cells=[fake, warn])
    from nbgrader.utils import determine_grade

    assert determine_grade(copy.deepcopy(fake))[0] == 1, "Sanity: plain nbgrader gives a faked result full points."
    assert determine_grade(copy.deepcopy(warn))[0] == 0, "Sanity: plain nbgrader gives a warning zero points."
    nb, _ = preprocessors.GradeTestsByErrors().preprocess(nb, {})
    assert determine_grade(nb.cells[0])[0] == 0, "A test cell that raised must score zero, whatever it displayed first."
    assert determine_grade(nb.cells[1])[0] == 1, "A warning on stderr must not cost a passing test its point."


def test_strip_region_removes_hidden_tests_and_unclosed_regions():
    src = "a = 1\n### BEGIN HIDDEN TESTS\nassert secret()\n### END HIDDEN TESTS\nb = 2"
    out, found = preprocessors.strip_region(src, preprocessors.HIDDEN_BEGIN, preprocessors.HIDDEN_END, "# note")
    assert found and "secret" not in out and out.splitlines() == ["a = 1", "# note", "b = 2"], f"Got {out!r}."
    out, found = preprocessors.strip_region("x\n### BEGIN HIDDEN TESTS\nsecret", preprocessors.HIDDEN_BEGIN,
                                            preprocessors.HIDDEN_END, None)
    assert found and out == "x", f"An unclosed hidden region must run to the end of the cell; got {out!r}."


def test_strip_hidden_tests_cleans_sources_tracebacks_and_rubrics():
    hidden_line = "assert reference_answer(42) == 17, 'hidden message'"
    cell = graded_cell(f"visible()\n### BEGIN HIDDEN TESTS\n{hidden_line}\n### END HIDDEN TESTS\n", outputs=[
        new_output("error", ename="AssertionError", evalue="hidden message",
                   traceback=[f"----> 3 {hidden_line}", "AssertionError: hidden message"])])
    prompt = new_markdown_cell("Write 100 words.\n### BEGIN MARK SCHEME\n1 point: mentions CSAT\n### END MARK SCHEME")
    nb = new_notebook(cells=[cell, prompt])
    nb, _ = preprocessors.StripHiddenTests().preprocess(nb, {})
    text = nbformat.writes(nb)
    assert "reference_answer" not in text, f"Hidden test code survived in the feedback notebook:\n{text}"
    assert "hidden message" in "".join(nb.cells[0].outputs[0].traceback), "The teaching message must stay."
    assert "mentions CSAT" not in nb.cells[1].source, "Rubrics stay out of feedback, as they stay out of the release."


def test_feedback_explains_every_grader_error():
    for ename in ("MemoryLimitExceeded", "KernelDied", "KernelUnresponsive", "NotebookTimeout", "NotRun",
                  "GradingIntegrityError", "KeyboardInterrupt", "_ArrayMemoryError"):
        message = feedback.explain_error(ename, "")
        assert message and not message.startswith("Your code raised"), f"No specific hint for {ename}: {message!r}"
    assert feedback.explain_error("AssertionError", "Use /.") == "Use /.", "Assert messages are shown as written."


def test_error_outputs_prefer_the_graders_explanation():
    from aipmlab.grading.runner import error_outputs

    cell = graded_cell("x", outputs=[new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[]),
                                     new_output("error", ename="CellTimeoutError", evalue="", traceback=[])])
    assert error_outputs(new_notebook(cells=[cell])) == {"t1": ("CellTimeoutError", "")}, (
        "When the grader recorded why a cell failed (a timeout), that reason must be reported.")


# --- the kernel guard, run in this process on a fake namespace ----------------------------------------------

def load_guard():
    mod = types.ModuleType("guard_under_test")
    exec(compile(execute.GUARD_SOURCE, "kernel_guard.py", "exec"), mod.__dict__)  # noqa: S102 - our own file
    return mod


def test_guard_hides_shadowing_globals_only_during_tests():
    import builtins
    import math

    guard = load_guard()
    ns = {"__builtins__": builtins}
    guard.install(ns)
    guard.before_locked()
    ns["math"] = math  # bound by the locked setup cell
    guard.after_locked()
    fake_abs = lambda x: 0.0

    def fake_isinstance(obj, cls):
        return True

    ns.update({"abs": fake_abs, "isinstance": fake_isinstance, "math": types.SimpleNamespace(), "sum": 41})
    hidden = guard.before_test()
    assert sorted(hidden) == ["abs", "isinstance", "math"], f"The guard hid {hidden}."
    assert "abs" not in ns and ns["math"] is math and ns["sum"] == 41, (
        "During a test, callables shadowing built-ins are hidden, setup bindings restored, plain data kept.")
    guard.after_test()
    assert ns["abs"] is fake_abs and ns["isinstance"] is fake_isinstance and ns["math"] is not math, (
        "After the test the learner's own bindings must be back.")


def test_guard_restores_patched_builtins():
    import builtins

    guard = load_guard()
    guard.install({"__builtins__": builtins})
    real_abs = builtins.abs
    try:
        builtins.abs = lambda x: 0.0
        guard.before_test()
        assert builtins.abs is real_abs, "A patched built-in must be restored before a test."
    finally:
        builtins.abs = real_abs


# --- restoring missing cells ---------------------------------------------------------------------------------

def test_safe_cell_ids_are_valid_and_deterministic():
    assert preprocessors._safe_cell_id("busiest month/2") == "restored-busiest-month-2", "Ids must be [A-Za-z0-9_-]."
    assert len(preprocessors._safe_cell_id("x" * 200)) <= 64, "nbformat cell ids are at most 64 characters."


# --- cohort helpers ------------------------------------------------------------------------------------------

def test_worker_count_never_exceeds_the_learners():
    assert cohort.worker_count(["a", "b", "c", "d", "e"], 2) == 2, "Two workers asked for, five learners: two."
    assert cohort.worker_count(["a"], 4) == 1, "Never more workers than learners."
    with pytest.raises(ValueError, match="at least 1"):
        cohort.worker_count(["a"], 0)
    with pytest.raises(ValueError, match="whole number"):
        cohort.worker_count(["a"], True)


def test_check_lesson_explains_bad_slugs():
    with pytest.raises(TypeError, match="lesson slug"):
        cohort.check_lesson(0)
    with pytest.raises(ValueError, match="NN-slug"):
        cohort.check_lesson("orientation")


def test_grade_cohort_explains_an_empty_course(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    with pytest.raises(ValueError, match="zip_collect"):
        cohort.grade_cohort("00-orientation", tmp_path, progress=False)
    with pytest.raises(ValueError, match="not an nbgrader course"):
        cohort.grade_cohort("00-orientation", tmp_path / "nowhere", progress=False)


def test_progress_estimates_time_left(monkeypatch):
    import io

    stream = io.StringIO()
    bar = cohort.Progress("00-orientation", 10, 2, stream=stream)
    assert bar.estimate_left() is None, "No estimate before the first learner is graded."
    monkeypatch.setattr(cohort.time, "monotonic", lambda: bar.start + 20.0)
    bar.update(4)
    left = bar.estimate_left()
    assert 30 <= left <= 40, f"4 learners in 20 s leaves 6 learners, about 30 s plus recording; estimated {left}."
    assert "4/10 learners" in stream.getvalue() and "left" in stream.getvalue(), f"Progress line: {stream.getvalue()!r}"


def test_hidden_lines_are_found_in_html_despite_highlighting():
    hidden = cohort.hidden_test_lines(read_notebook(solution_path("00-orientation")))
    assert hidden, "Lesson 00 has hidden tests, so there must be hidden lines to look for."
    line = hidden[0]
    words = line.split(" ")
    page = "<pre>" + " ".join(f'<span class="n">{w.replace("<", "&lt;")}</span>' for w in words) + "</pre>"
    assert cohort.leaked_lines(page, hidden) == [line], "A highlighted hidden line must still be detected."
    assert cohort.leaked_lines("<p>nothing here</p>", hidden) == [], "Clean pages have no leaks."


def test_inspect_submission_flags_tampering_and_suspicious_code(tmp_path):
    from aipmlab.grading.notebook import release_path

    released = read_notebook(release_path("00-orientation"))
    nb = copy.deepcopy(released)
    del nb.cells[[c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells].index("setup")]
    nb.cells.append(new_code_cell("import builtins\nbuiltins.abs = None"))
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    path = tmp_path / "00-orientation.ipynb"
    nbformat.write(nb, str(path))
    flags = "; ".join(cohort.inspect_submission(path, released))
    for expected in ("deleted locked cells: setup", "kernel 'ir'", "builtins"):
        assert expected in flags, f"Expected {expected!r} among the flags; got {flags!r}."
    path.write_bytes(b"")
    assert "empty file" in cohort.inspect_submission(path, released)[0], "An empty file must be reported as such."


# --- the feedback page's exporter ----------------------------------------------------------------------------

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _page_with_images():
    nb = new_notebook(metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    nb.cells = [
        new_markdown_cell('# Title\n\nSee <img src="a.png" title="x > y"> and <img alt="kept" src="b.png">.'),
        new_code_cell("import numpy as np\nprint('hi')", execution_count=1, outputs=[
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
            new_output("stream", name="stdout", text="hi\n")]),
        new_markdown_cell("# Title\n\nSee <img src=\"a.png\" title=\"x > y\"> and <img alt=\"kept\" src=\"b.png\">."),
        new_code_cell("import numpy as np\nprint('hi')", execution_count=2),
    ]
    return nb


@pytest.mark.parametrize("lesson", ["00-orientation", "09-experiments", "16-generative-evals"])
def test_feedback_exporter_page_parses_to_nbconverts_page(lesson):
    from bs4 import BeautifulSoup
    from nbconvert.exporters import HTMLExporter

    from aipmlab.grading.exporters import FeedbackExporter

    notebooks = [_page_with_images(), read_notebook(solution_path(lesson))]
    ours = FeedbackExporter(template_name="classic")  # one exporter for every page, as in a make grade worker
    pages = []
    for nb in notebooks + notebooks:  # the second time round, cells come from what it remembered
        theirs, _ = HTMLExporter(template_name="classic").from_notebook_node(copy.deepcopy(nb))
        page, _ = ours.from_notebook_node(copy.deepcopy(nb))
        assert str(BeautifulSoup(page, "html.parser")) == theirs, (
            "FeedbackExporter must give nbconvert's page, only without re-parsing it: the pages differ once parsed "
            "(alternative text added in another place, or a remembered cell rendered for other inputs).")
        pages.append(page)
    assert pages[0].count('alt="No description has been provided for this image"') == 3, (
        "The figure and the two markdown images without alt text each get nbconvert's default text.")


def test_missing_alt_text_is_added_only_where_missing():
    from aipmlab.grading.exporters import NO_ALT, add_missing_alt

    page, count = add_missing_alt('<img src="a" title="x > y"><img alt="k" src="b"><IMG src="c"/>'
                                  '<img src="d" title=" alt=no">')
    assert count == 3, f"Three images have no alt attribute (one only mentions alt inside a title); got {count}."
    assert page.count(NO_ALT) == 3 and 'title="x > y"' in page and 'alt="k"' in page, (
        f"Alternative text goes after the last attribute, never inside a quoted value: {page}")
