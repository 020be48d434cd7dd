"""`make check` shows each written answer's rubric as a checklist, and with --advise asks the learner's
own model for ADVISORY feedback (a real local chat server here), which never affects a grade."""

from __future__ import annotations

import doctest
import subprocess

import nbformat
import pytest
from llm_server import FakeChatServer

from aipmlab import llm
from aipmlab.grading import check, rubrics
from aipmlab.grading.cohort import hidden_test_lines
from aipmlab.grading.notebook import (
    REPO_ROOT,
    grade_id,
    list_lessons,
    parse_structure,
    read_notebook,
    release_path,
    solution_path,
)
from aipmlab.grading.runner import CellResult, SubmissionResult

LESSON = "00-orientation"
ANSWER_ID = "first_look_answer"
SEVENTY_WORDS = " ".join(["Ticket volume rises in November and December."] * 10)  # 7 words x 10


def answered_notebook(tmp_path, text: str = SEVENTY_WORDS):
    nb = read_notebook(release_path(LESSON))
    for cell in nb.cells:
        if grade_id(cell) == ANSWER_ID:
            cell.source = text
    path = tmp_path / f"{LESSON}.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("lesson", list_lessons())
def test_every_written_answer_has_a_rubric_whose_points_add_up(lesson):
    answers = rubrics.written_answers(release_path(lesson), lesson)
    manual = parse_structure(read_notebook(solution_path(lesson)), lesson).manual_items
    assert [a.grade_id for a in answers] == [i.grade_id for i in manual]
    for a in answers:
        assert a.criteria, f"{lesson} {a.grade_id}: the mark scheme has no '* N point — ...' criteria"
        total = sum(c.points for c in a.criteria)
        assert total == a.points, f"{lesson} {a.grade_id}: rubric criteria add up to {total}, the cell is worth {a.points}"
        assert a.prompt and rubrics.MARK_BEGIN not in a.prompt
        assert not a.answered, "the released notebook's answer is the placeholder"


def test_the_checklist_shows_the_rubric_and_nothing_hidden():
    solution = read_notebook(solution_path(LESSON))
    text = rubrics.written_answers_report(release_path(LESSON), LESSON)
    flat = " ".join(text.split())
    for criterion in rubrics.written_answers(release_path(LESSON), LESSON)[0].criteria:
        assert criterion.text in flat
    assert "[ ] 1 pt" in text and "not written yet" in text and "ADVISORY" not in text
    model_answer = next(c.source for c in solution.cells if grade_id(c) == ANSWER_ID)
    assert "ticket volume rises sharply" in model_answer and "ticket volume rises sharply" not in flat, \
        "the model answer is never printed"
    assert not [line for line in hidden_test_lines(solution) if line in flat], "hidden tests are never printed"
    assert "BEGIN" not in text and "END MARK" not in text


def test_the_checklist_counts_words_against_the_budget(tmp_path):
    text = rubrics.written_answers_report(answered_notebook(tmp_path), LESSON)
    assert "your answer: 70 words (asked for 60–120)" in text
    text = rubrics.written_answers_report(answered_notebook(tmp_path, "Too short."), LESSON)
    assert "your answer: 2 words (asked for 60–120) — outside the budget" in text


def test_advise_asks_the_configured_model_and_labels_it_advisory(home, tmp_path, monkeypatch):
    server = FakeChatServer()
    try:
        monkeypatch.setenv(llm.ENV_BASE_URL, server.url)
        monkeypatch.setenv(llm.ENV_MODEL, "fake-model")
        monkeypatch.setenv(llm.ENV_MAX_RETRIES, "0")
        path = answered_notebook(tmp_path)
        text = rubrics.written_answers_report(path, LESSON, advise=True)
        assert server.calls == 1
        [request] = server.requests
        sent = request["messages"][-1]["content"]
        assert SEVENTY_WORDS in sent and "C1. (1 pt) a specific observation" in sent and "Marking notes" in sent
        assert request["temperature"] == 0 and request["seed"] == 0
        assert "ADVISORY" in text and "NOT A GRADE" in text and "[model: fake-model; asked just now]" in text
        assert "echo[fake-model" in text, "the model's reply is printed"
        unanswered = rubrics.written_answers_report(release_path(LESSON), LESSON, advise=True)
        assert "Not written yet: nothing to advise on." in unanswered and server.calls == 1
        again = rubrics.written_answers_report(path, LESSON, advise=True)
        assert server.calls == 1 and "replayed from your recordings" in again, "the same answer is not re-asked"
        server.mode = "429"
        failed = rubrics.written_answers_report(answered_notebook(tmp_path, SEVENTY_WORDS + " More."), LESSON,
                                                advise=True)
        assert "No advice: the model server" in failed and "HTTP 429" in failed and "grade is unaffected" in failed
    finally:
        server.stop()


def test_advise_without_a_model_says_how_to_configure_one(home, tmp_path):
    text = rubrics.written_answers_report(answered_notebook(tmp_path), LESSON, advise=True)
    assert "ADVISORY" in text and "No advice: no model is configured" in text and llm.ENV_BASE_URL in text
    assert "grade is unaffected" in text


def fake_grade(notebook, lesson=None, **kwargs):
    """What grade_notebook returns for an unattempted lesson, without running nbgrader (test_check does that)."""
    structure = parse_structure(read_notebook(solution_path(LESSON)), LESSON)
    cells = {i.grade_id: CellResult(i.grade_id, i.kind, i.points, 0.0 if i.kind == "auto" else None,
                                    "NotImplementedError" if i.kind == "auto" else "") for i in structure.items}
    return SubmissionResult("self", LESSON, cells)


def test_check_prints_the_table_then_the_checklist_then_advice(home, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(check, "grade_notebook", fake_grade)
    path = str(answered_notebook(tmp_path))
    assert check.main([path]) == 0
    out = capsys.readouterr().out
    assert out.index("Auto-graded total: 0 / ") < out.index("Written answers: hold yours"), "the table comes first"
    assert "ADVISORY" not in out, "advice only when asked for"
    assert check.main(["--advise", path]) == 0, "no model configured: the normal exit status all the same"
    out = capsys.readouterr().out
    assert out.index("Written answers: hold yours") < out.index("ADVISORY") < out.index("No advice: no model")
    server = FakeChatServer()
    try:
        monkeypatch.setenv(llm.ENV_BASE_URL, server.url)
        monkeypatch.setenv(llm.ENV_MODEL, "fake-model")
        assert check.main(["--advise", path]) == 0
        assert "[model: fake-model; asked just now]" in capsys.readouterr().out and server.calls == 1
    finally:
        server.stop()


def test_make_check_is_offline_unless_advise_is_asked_for():
    def dry(*args):
        return subprocess.run(["make", "-n", "check", "NB=x.ipynb", *args], cwd=REPO_ROOT, capture_output=True,
                              text=True, check=True).stdout

    plain, advise = dry(), dry("ADVISE=1")
    assert "AIPMLAB_LLM_OFFLINE=1" in plain and "--advise" not in plain
    assert "AIPMLAB_LLM_OFFLINE=1" not in advise and "--advise" in advise


def test_grading_kernels_never_call_a_model():
    from aipmlab.grading.execute import HardenedExecute
    from aipmlab.grading.runner import nbgrader_env

    assert HardenedExecute().kernel_env["AIPMLAB_LLM_OFFLINE"] == "1"
    assert nbgrader_env()["AIPMLAB_LLM_OFFLINE"] == "1"


def test_docstring_examples():
    result = doctest.testmod(rubrics)
    assert result.failed == 0 and result.attempted >= 3
