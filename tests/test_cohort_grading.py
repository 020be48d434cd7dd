"""`make grade`: the cohort grader gives plain nbgrader's scores, deterministically, with leak-free feedback.

One small cohort of lesson 00 is graded three times for the whole module, each time in a fresh copy
of the same course: with the cohort grader (two workers), again through its command line
(determinism), and with plain sequential `nbgrader autograde` (the reference).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from hardening_cases import LESSON, make_course, to_bytes

from aipmlab.grading import cohort
from aipmlab.grading.notebook import parse_structure, read_notebook, release_path, solution_path
from aipmlab.grading.runner import COURSE_ID, nbgrader_env

pytestmark = pytest.mark.slow

CASES = ["honest_full", "honest_partial", "always_equal", "exits", "no_cells", "corrupt"]


def gradebook_scores(course):
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission_notebook(LESSON, LESSON, student.id)
            except MissingEntry:
                continue
            out[student.id] = {g.name: (g.auto_score, g.manual_score, g.needs_manual_grade) for g in sub.grades}
    return out


def nbgrader(course, *args):
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=nbgrader_env(),
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = make_course(tmp_path_factory.mktemp("cohort") / "course", CASES)
    # A release copy in notebooks/, as in the repository, so tampering checks have something to compare with.
    shutil.copytree(release_path(LESSON).parent, base / "notebooks" / LESSON)
    reference = tmp_path_factory.mktemp("sequential") / "course"
    shutil.copytree(base, reference)
    again = tmp_path_factory.mktemp("again") / "course"
    shutil.copytree(base, again)

    lines = []
    first = cohort.grade_cohort(LESSON, base, workers=2, progress=False, on_event=lines.append)
    first_csv = first.grades_csv.read_bytes()
    first_scores = gradebook_scores(base)
    first_feedback = {name: rep.feedback.read_text(encoding="utf-8") if rep.feedback else None
                      for name, rep in first.learners.items()}

    # The same cohort, graded again from scratch, through the command line, split differently.
    exit_code = cohort.main(["grade", LESSON, "--course-dir", str(again), "--workers", "3", "--quiet"])
    second_csv = (again / "grades.csv").read_bytes()

    gen = nbgrader(reference, "generate_assignment", LESSON, "--force")
    assert gen.returncode == 0, f"Reference course: generate_assignment failed:\n{gen.stdout}\n{gen.stderr}"
    nbgrader(reference, "autograde", LESSON, "--force")
    nbgrader(reference, "export", "--to", "grades.csv")
    return {"first": first, "first_csv": first_csv, "first_scores": first_scores, "events": lines,
            "feedback": first_feedback, "exit_code": exit_code, "second_csv": second_csv, "base": base,
            "reference": reference}


def test_scores_equal_plain_sequential_nbgrader_autograde(runs):
    ours, reference = runs["first_scores"], gradebook_scores(runs["reference"])
    assert set(ours) == {c.replace("_", "-") for c in CASES}, f"Every learner must be in the gradebook: {sorted(ours)}"
    differ = {k: (ours.get(k), reference.get(k)) for k in set(ours) | set(reference) if ours.get(k) != reference.get(k)}
    assert not differ, f"The cohort grader and plain nbgrader autograde disagree (ours, plain): {differ}"


def test_grades_csv_matches_nbgrader_export_of_the_sequential_run(runs):
    ours = runs["first_csv"].decode("utf-8")
    plain = (runs["reference"] / "grades.csv").read_text(encoding="utf-8")
    assert ours.splitlines()[0].startswith("assignment,duedate,timestamp,student_id"), (
        f"grades.csv must be in nbgrader's export format; header: {ours.splitlines()[0]!r}")
    assert ours == plain, f"grades.csv differs from plain nbgrader's export.\nours:\n{ours}\nplain:\n{plain}"


def test_grading_twice_gives_an_identical_grades_csv(runs):
    assert runs["exit_code"] == 0, f"The command line run failed with exit code {runs['exit_code']}."
    assert runs["second_csv"] == runs["first_csv"], (
        "Grading the same cohort twice must give a byte-identical grades.csv.\n"
        f"first:\n{runs['first_csv'].decode()}\nsecond:\n{runs['second_csv'].decode()}")


def test_feedback_never_shows_hidden_tests(runs):
    hidden = cohort.hidden_test_lines(read_notebook(solution_path(LESSON)))
    assert len(hidden) >= 5, f"Lesson 00 should have several hidden test lines to look for; found {hidden}."
    pages = {name: page for name, page in runs["feedback"].items() if page}
    gradable = {c.replace("_", "-") for c in CASES} - {"corrupt"}
    assert set(pages) == gradable, f"Every gradable learner needs feedback; got pages for {sorted(pages)}."
    for name, page in pages.items():
        leaks = cohort.leaked_lines(page, hidden)
        assert not leaks, f"Feedback for {name} shows hidden test code: {leaks[:3]}"
        for marker in ("HIDDEN TESTS", "MARK SCHEME"):
            assert marker not in page, f"Feedback for {name} contains the marker {marker!r}."
    assert "hidden tests ran here" in pages["honest-partial"], "Feedback should say where hidden tests ran."
    assert "Not quite" in cohort.html_text(pages["honest-partial"]), (
        "A failed hidden test's teaching message (not its code) must reach the learner.")


def test_the_leak_check_catches_plain_nbgrader_feedback(runs):
    """Reproduce nbgrader issue #917 with nbgrader's default feedback steps, to show the check has teeth."""
    reference = runs["reference"]
    proc = nbgrader(reference, "generate_feedback", LESSON, "--force", "--student=honest-partial",
                    "--GenerateFeedback.preprocessors=['nbgrader.preprocessors.GetGrades',"
                    "'nbconvert.preprocessors.CSSHTMLHeaderPreprocessor']")
    page = reference / "feedback" / "honest-partial" / LESSON / f"{LESSON}.html"
    assert page.is_file(), f"Plain nbgrader feedback was not written:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
    hidden = cohort.hidden_test_lines(read_notebook(solution_path(LESSON)))
    assert cohort.leaked_lines(page.read_text(encoding="utf-8"), hidden), (
        "Plain nbgrader feedback leaks hidden tests (#917); the leak check must see that.")


def test_instructor_gradebook_is_ready_for_formgrader(runs):
    scores = runs["first_scores"]
    for name in ("honest-full", "honest-partial", "always-equal", "exits"):
        _auto_score, manual_score, needs_manual = scores[name]["first_look_answer"]
        assert needs_manual and manual_score is None, (
            f"{name}'s written answer must wait for an instructor in formgrader; got {scores[name]['first_look_answer']}.")
        nb = runs["base"] / "autograded" / name / LESSON / f"{LESSON}.ipynb"
        assert nb.is_file(), f"formgrader shows autograded/{name}/{LESSON}/{LESSON}.ipynb, which is missing."
    assert not (runs["base"] / cohort.WORK_DIR / LESSON).exists(), "The workers' folder must be cleaned up."


def test_progress_and_summary(runs):
    first = runs["first"]
    assert sorted(runs["events"]) == sorted(first.learners), f"Progress events: {runs['events']}"
    assert first.workers == 2, f"Expected 2 workers, got {first.workers}."
    text = cohort.format_summary(first)
    assert "NOT GRADED" in text and "corrupt" in text, f"The summary must name the ungradable notebook:\n{text}"
    summary = first.summary_csv.read_text(encoding="utf-8")
    full = sum(i.points for i in parse_structure(read_notebook(solution_path(LESSON))).auto_items)
    assert f"honest-full,{full:g},{full:g}" in summary, f"The summary CSV lists points per learner:\n{summary}"


def test_report_runs_on_the_graded_cohort(runs):
    from aipmlab.grading import report

    table, csv_path, fig_path = report.report(LESSON, runs["base"])
    assert csv_path.is_file() and fig_path.is_file(), "make report must write its CSV and figure."
    assert "which_question_answer" in table and "5 graded submissions" in table, f"Report table:\n{table}"


def test_zip_collect_files_an_lms_download_for_grading(runs, tmp_path):
    """The documented route from an LMS download (INSTRUCTORS.md) puts notebooks where make grade looks."""
    course = tmp_path / "course"
    shutil.copytree(runs["base"], course, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    archive = course / "downloaded" / LESSON / "archive"
    archive.mkdir(parents=True)
    data = to_bytes(read_notebook(solution_path(LESSON)))
    with zipfile.ZipFile(archive / "submissions.zip", "w") as zf:
        zf.writestr(f"ana_1234_5678_{LESSON}.ipynb", data)
        zf.writestr(f"bo_LATE_1235_5679_{LESSON}-1.ipynb", data)
    proc = nbgrader(course, "zip_collect", LESSON)
    assert proc.returncode == 0, f"nbgrader zip_collect failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
    assert cohort.find_learners(course, LESSON) == ["ana", "bo"], (
        f"zip_collect should file both learners under submitted/; found {cohort.find_learners(course, LESSON)}.")
    assert (course / "submitted" / "bo" / LESSON / f"{LESSON}.ipynb").is_file(), (
        "A re-uploaded file (`-1` suffix) must be filed under the lesson's notebook name.")
