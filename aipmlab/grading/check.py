"""Grade one finished lesson on your own machine, with the hidden tests, like an instructor would.

    make check NB=notebooks/00-orientation/00-orientation.ipynb

Prints the points for each exercise, a message for every failed check (visible or hidden) and the
total, then each written answer's rubric as a checklist; ``--advise`` (``ADVISE=1`` with make) adds
ADVISORY feedback from your own model, never a grade (aipmlab/grading/rubrics.py). It runs plain
nbgrader in a private folder: no server, no instructor, and the hidden test code is never shown.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # `make check`: skip a slow optional import before nbformat loads (workers.quiet_imports)
    sys.modules.setdefault("rfc3987_syntax", None)

from aipmlab.grading.feedback import explain
from aipmlab.grading.notebook import (
    EXERCISE_RE,
    grade_id,
    lesson_of,
    parse_structure,
    read_notebook,
    solution_path,
)
from aipmlab.grading.rubrics import written_answers_report
from aipmlab.grading.runner import GradingCourse, SubmissionResult


def grade_notebook(notebook: str | Path, lesson: str | None = None, progress=None) -> SubmissionResult:
    """Autograde one learner notebook against its lesson's hidden tests.

    nbgrader autograde runs in this process, in a private course folder made from the lesson's
    prepared copy (its released notebook and gradebook, built once per version of the lesson:
    ``runner.prepared_lesson``). ``progress`` (a :class:`Progress`, or None) is told which exercise
    is being graded.
    """
    notebook = Path(notebook)
    read_notebook(notebook)  # clear error for a missing or broken file
    lesson = lesson or lesson_of(notebook)
    if progress:
        progress.say(f"Preparing {lesson} for grading ...")
    course = check_course(lesson)
    released = read_notebook(course.released_path(lesson))
    course.add_submission("self", lesson, notebook)
    with _watching(progress, released):
        result = course.autograde_in_process(lesson, students=["self"])["self"]
    result.notes = learner_notes(notebook, released)
    return result


#: What ``make check`` adds to ``nbgrader autograde``: self-check runs the learner's own code for the
#: learner, so the sandbox is used where the machine has one and a laptop without bubblewrap (macOS,
#: Windows) still gets its feedback.
CHECK_ARGS = ["--HardenedExecute.sandbox=if-available"]


def check_course(lesson: str, cache_dir: Path | None = None) -> GradingCourse:
    """The private course folder ``make check`` grades in (from the lesson's prepared copy)."""
    return GradingCourse.from_prepared(lesson, extra_args=CHECK_ARGS, cache_dir=cache_dir)


class Progress:
    """What ``make check`` is doing, on one line of stderr (a line per step when not a terminal)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self.shown = ""

    def say(self, text: str) -> None:
        if text == self.shown:
            return
        self.shown = text
        line = f"[{time.monotonic() - self.start:4.1f} s] {text}"
        self.stream.write(("\r" + line.ljust(100)) if self.tty else line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self.shown:
            self.stream.write("\r" + " " * 108 + "\r")
            self.stream.flush()


def exercise_of_cells(released) -> dict[str, str]:
    """Map each grade id of the lesson to the exercise it belongs to, e.g. 'Exercise 2: Baselines'."""
    where: dict[str, str] = {}
    current = ""
    for cell in released.cells:
        if cell.cell_type == "markdown":
            for m in EXERCISE_RE.finditer(cell.source):
                current = f"Exercise {m['number']}: {m['title']}"
        gid = grade_id(cell)
        if gid and current:
            where[gid] = current
    return where


@contextlib.contextmanager
def _watching(progress, released):
    """Tell ``progress`` which exercise the grading kernel is running, through execute.progress."""
    from aipmlab.grading import execute

    if progress is None:
        yield
        return
    where = exercise_of_cells(released)
    started = [False]

    def on_event(event, cell):
        if event == "kernel":
            progress.say("Kernel started; running the lesson's setup cells ...")
            started[0] = True
        elif event == "cell" and started[0]:
            label = where.get(grade_id(cell) or "")
            if label:
                progress.say(f"Grading {label} ...")

    progress.say("Starting the grading kernel ...")
    execute.progress = on_event
    try:
        yield
    finally:
        execute.progress = None
        progress.done()


#: Notes about a notebook's locked cells, in words for a learner.
NOTE_WORDS = {
    "deleted locked cells": "You deleted locked cells ({}); the grader put them back.",
    "edited locked cells": "You changed locked cells ({}); the grader used the original versions.",
    "duplicated cells": "Some graded cells appear twice ({}); only the last copy counts.",
    "unknown grade ids": "Some cells carry grader ids the lesson does not have ({}); they were graded as ordinary cells.",
    "kernel": "Your notebook asked for another kernel; it was graded with the lesson's Python kernel.",
}


def learner_notes(notebook: Path, released) -> list[str]:
    """Explain, for a learner, what the grader had to repair in their notebook."""
    from aipmlab.grading.cohort import inspect_submission

    notes = []
    for flag in inspect_submission(Path(notebook), released):
        key, _, detail = flag.partition(": ")
        if key in NOTE_WORDS:
            notes.append(NOTE_WORDS[key].format(detail))
        elif flag.startswith("kernel "):
            notes.append(NOTE_WORDS["kernel"])
    return notes


def _pts(x: float) -> str:
    return f"{x:g}"


def format_report(result: SubmissionResult) -> str:
    """The per-exercise table a learner reads."""
    structure = parse_structure(read_notebook(solution_path(result.lesson)), result.lesson)
    lines = [f"AIPM Lab self-check — {structure.title or result.lesson}", ""]
    if result.error:
        lines += ["This notebook could not be graded:", f"  {result.error}",
                  "Check that the file opens in JupyterLab, that it is the lesson's notebook, and that you saved it.",
                  ""]
    width = max([len(f"Exercise {e.number}: {e.title}") for e in structure.exercises] + [30])
    for ex in structure.exercises:
        label = f"Exercise {ex.number}: {ex.title}"
        auto = [i for i in ex.items if i.kind == "auto"]
        manual = [i for i in ex.items if i.kind == "manual"]
        got = sum(result.cells[i.grade_id].points or 0.0 for i in auto)
        possible = sum(i.points for i in auto)
        if auto:
            mark = "ok  " if got >= possible else "FAIL"
            lines.append(f"{mark} {label:<{width}}  {_pts(got):>4} / {_pts(possible)}")
        for item in auto:
            cell = result.cells[item.grade_id]
            if not cell.passed:
                lines.append(f"       ✗ {item.description or item.grade_id}")
                for chunk in _wrap(explain(cell)):
                    lines.append(f"         {chunk}")
        for item in manual:
            lines.append(f"  ✎  {label:<{width}}     — / {_pts(item.points)}  written answer: graded by an instructor")
    if result.notes:
        lines += ["", "Notes:"] + [f"  - {note}" for note in result.notes]
    lines += ["", f"Auto-graded total: {_pts(result.auto_points)} / {_pts(result.auto_max)} points."]
    manual_total = sum(i.points for i in structure.manual_items)
    if manual_total:
        lines.append(f"Written answers ({_pts(manual_total)} points) are graded by an instructor against a rubric.")
    if result.auto_max and result.auto_points >= result.auto_max:
        lines.append("Every auto-graded check passes, hidden ones included.")
    return "\n".join(lines)


def _wrap(text: str, width: int = 92) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade a finished lesson with the hidden tests.")
    parser.add_argument("notebook", help="path to your lesson notebook, e.g. notebooks/00-orientation/00-orientation.ipynb")
    parser.add_argument("--advise", action="store_true",
                        help="also ask your configured model (aipmlab.llm) for ADVISORY feedback on written answers")
    args = parser.parse_args(argv)
    try:
        result = grade_notebook(args.notebook, progress=Progress())
    except ValueError as exc:
        print(f"make check: {exc}", file=sys.stderr)
        return 2
    print(format_report(result))
    print(written_answers_report(args.notebook, result.lesson, advise=args.advise))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
