"""Grade a whole cohort's submissions of one lesson, on every core, with nbgrader's own scores.

    make grade LESSON=00-orientation                     # the course in the repository root
    python -m aipmlab.grading.cohort grade 00-orientation --workers 2 --course-dir /path/to/course

Submissions sit where nbgrader collects them: ``submitted/<learner>/<lesson>/<lesson>.ipynb`` (from
``nbgrader collect`` or ``nbgrader zip_collect``). The result is what plain
``nbgrader autograde <lesson> --force`` would leave, only faster:

* ``gradebook.db`` holds every learner's scores, so formgrader works for the written
  answers; ``autograded/<learner>/<lesson>/`` holds the graded notebooks;
* ``feedback/<learner>/<lesson>/<lesson>.html`` is each learner's feedback, checked to contain no
  hidden test code;
* ``grades.csv`` is ``nbgrader export``'s file;
* ``reports/<lesson>/grading-summary.csv`` lists each learner's points and anything an instructor
  should look at (a notebook nbgrader could not read, edited locked cells, code that reaches into
  the grader).

How it stays equal to sequential ``nbgrader autograde``, and why it is faster
--------------------------------------------------------------------------------
Starting nbgrader costs over a second of CPU (NOTES.md), so ``make grade`` starts it once: a host
process (``aipmlab.grading.workers``) loads nbgrader, starts one template of the trusted test process,
and forks one worker per core, plus one (a worker waits for its learner's kernel part of the time).
The workers share a private copy of the course (its ``nbgrader_config.py``, ``solutions/<lesson>``
and every submission) and take learners one at a time from a queue, so a slow submission holds up
one worker, never a share of the cohort. For each learner a worker runs plain ``nbgrader autograde
<lesson> --force --student <learner>`` in-process, with the course's own config, against the
instructor's gradebook: nbgrader itself records every score, exactly as a sequential run would
(SQLite lets one writer in at a time; the others wait milliseconds). Then the worker writes that
learner's feedback with ``nbgrader generate_feedback``'s converter, while the others go on. Once
every learner is graded, the host runs ``nbgrader export``.

``make bench`` and ``tests/test_cohort_grading.py`` compare the result with a plain sequential
``nbgrader autograde`` of the same cohort, cell by cell.
"""

from __future__ import annotations

import argparse
import collections
import csv
import glob
import html
import os
import queue
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":  # `make grade`: skip a slow optional import before nbformat loads (workers.quiet_imports)
    sys.modules.setdefault("rfc3987_syntax", None)

import nbformat

from aipmlab.grading.notebook import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    LESSON_RE,
    grade_id,
    nbgrader_meta,
    read_notebook,
)
from aipmlab.grading.runner import (
    GradingError,
    SubmissionResult,
    gradebook_grades,
    nbgrader_env,
    read_results,
    submission_problem,
)
from aipmlab.grading.workers import quiet_imports
from aipmlab.paths import REPO_ROOT

WORK_DIR = ".aipmlab/cohort"
EXECUTE_STEPS = ("Execute", "HardenedExecute", "ExecutePreprocessor")
NBGRADER_DEFAULT_SANITIZE = [
    "nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
NBGRADER_DEFAULT_AUTOGRADE = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
#: Code in a learner's cells that an instructor may want to read (it never changes a score).
SUSPICIOUS = {
    "builtins": r"\bbuiltins\b|__builtins__",
    "sys.modules": r"sys\.modules",
    "the notebook machinery": r"get_ipython\(\)|InteractiveShell|showtraceback|displayhook|\.kernel\.session",
    "exit calls": r"\bos\._exit\b|\bsys\.exit\b|\bexit\(\)|\bquit\(\)",
    "resource limits": r"\bresource\.|setrlimit|prlimit",
    "low-level access": r"\bctypes\b|\bgc\.get_referr|\binspect\.currentframe|_aipmlab_guard",
    "always-equal objects": r"def\s+__(eq|ne|lt|le|gt|ge)__",
    "processes": r"\bsubprocess\b|\bmultiprocessing\b|os\.fork|os\.system",
}


@dataclass
class LearnerReport:
    learner: str
    result: SubmissionResult
    flags: list[str] = field(default_factory=list)
    feedback: Path | None = None


@dataclass
class CohortResult:
    lesson: str
    course_dir: Path
    workers: int
    seconds: float
    learners: dict[str, LearnerReport]
    grades_csv: Path
    summary_csv: Path
    problems: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    @property
    def results(self) -> dict[str, SubmissionResult]:
        return {name: rep.result for name, rep in self.learners.items()}


# --- finding the cohort -----------------------------------------------------------------------------

def check_lesson(lesson: str) -> str:
    if not isinstance(lesson, str):
        raise TypeError(f"lesson must be a lesson slug (str) such as '00-orientation'; got {type(lesson).__name__}.")
    if not LESSON_RE.match(lesson):
        raise ValueError(f"lesson must look like '00-orientation' (NN-slug); got {lesson!r}.")
    return lesson


def default_workers() -> int:
    """One worker per core, plus one: each worker waits for its kernel part of the time (starting it,
    exchanging messages), and the extra worker fills those gaps. On 2 cores, `make bench` measured
    3 workers faster than 2 (and 4 no faster)."""
    return (os.cpu_count() or 1) + 1


def find_learners(course_dir: str | Path, lesson: str) -> list[str]:
    """The learners with a ``submitted/<learner>/<lesson>/`` folder, sorted."""
    folder = Path(course_dir) / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / lesson).is_dir())


def worker_count(learners: list[str], workers: int) -> int:
    """How many workers grade ``learners``: ``workers``, but never more than there are learners."""
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers must be a whole number, at least 1; got {workers!r}.")
    return max(1, min(workers, len(learners)))


# --- inspecting submissions (flags for instructors; never a score) --------------------------------

def inspect_submission(path: Path, released: nbformat.NotebookNode | None) -> list[str]:
    """Things an instructor may want to look at in one submitted notebook."""
    problem = submission_problem(path)
    if problem:
        return [problem]
    nb = nbformat.v4.reads(path.read_text(encoding="utf-8"))  # checked above; no second validation
    flags: list[str] = []
    ids = [grade_id(c) for c in nb.cells if grade_id(c)]
    dupes = sorted({g for g in ids if ids.count(g) > 1})
    if dupes:
        flags.append(f"duplicated cells: {', '.join(dupes)}")
    if released is not None:
        want_kernel = released.metadata.get("kernelspec", {}).get("name")
        got_kernel = nb.metadata.get("kernelspec", {}).get("name")
        if want_kernel and got_kernel != want_kernel:
            flags.append(f"kernel {got_kernel!r} instead of {want_kernel!r}")
        locked = {grade_id(c): c.source for c in released.cells if nbgrader_meta(c).get("locked") and grade_id(c)}
        known = {grade_id(c) for c in released.cells if grade_id(c)}
        mine = {grade_id(c): c.source for c in nb.cells if grade_id(c)}
        missing = [g for g in locked if g not in mine]
        edited = [g for g in locked if g in mine and mine[g].strip() != locked[g].strip()]
        unknown = sorted(set(mine) - known)
        if missing:
            flags.append(f"deleted locked cells: {', '.join(missing)}")
        if edited:
            flags.append(f"edited locked cells: {', '.join(edited)}")
        if unknown:
            flags.append(f"unknown grade ids: {', '.join(unknown)}")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and not nbgrader_meta(c).get("locked"))
    found = [name for name, pattern in SUSPICIOUS.items() if re.search(pattern, code)]
    if found:
        flags.append(f"code to read: {', '.join(found)}")
    return flags


# --- leak check -----------------------------------------------------------------------------------

def hidden_test_lines(solution: nbformat.NotebookNode, min_length: int = 16) -> list[str]:
    """Lines of hidden tests that would give a test away if they appeared in feedback.

    Short lines, comments and lines that also appear outside hidden regions (a visible test may repeat
    a call) are left out: finding them in feedback proves nothing.
    """
    public: set[str] = set()
    hidden: list[str] = []
    for cell in solution.cells:
        inside = False
        for line in cell.source.splitlines():
            text = " ".join(line.split())
            if HIDDEN_BEGIN in line:
                inside = True
            elif HIDDEN_END in line:
                inside = False
            elif inside:
                hidden.append(text)
            else:
                public.add(text)
    keep = []
    for text in hidden:
        if len(text) >= min_length and not text.startswith("#") and text not in public and text not in keep:
            keep.append(text)
    return keep


def html_text(page: str) -> str:
    """The visible text of an HTML page, whitespace collapsed (code highlighting splits lines into spans)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", "", page)
    return " ".join(html.unescape(page).split())


def leaked_lines(page: str, hidden: list[str]) -> list[str]:
    text = html_text(page)
    return [line for line in hidden if line in text]


# --- running nbgrader ------------------------------------------------------------------------------



def _nbgrader_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "nbgrader", *args]


def _self_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "aipmlab.grading.workers", *args]


def _popen(cmd: list[str], cwd: Path, stdin: bool = False, nonce: str = "local") -> subprocess.Popen:
    env = {**nbgrader_env(), "AIPMLAB_GRADING_NONCE": nonce}
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, text=True, errors="replace",
                            bufsize=1, start_new_session=True)


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True, errors="replace",
                          check=False)


def _load_course_lists(course_dir: Path) -> tuple[list[str], list[str]]:
    """The course's sanitize and autograde preprocessor lists, as import strings."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()

    def names(value, default):
        if not value:
            return list(default)
        return [v if isinstance(v, str) else f"{v.__module__}.{v.__name__}" for v in value]

    sanitize = names(cfg.Autograde.get("sanitize_preprocessors"), NBGRADER_DEFAULT_SANITIZE)
    autograde = names(cfg.Autograde.get("autograde_preprocessors"), NBGRADER_DEFAULT_AUTOGRADE)
    return sanitize, autograde


#: The steps of the course's autograde pipeline that write scores to the gradebook.
RECORD_STEPS = ("SaveAutoGrades", "AssignLatePenalties")


def no_execution_lists(course_dir: Path) -> tuple[list[str], list[str]]:
    """The course's preprocessors without ClearOutput and without the execution step."""
    sanitize, autograde = _load_course_lists(course_dir)
    sanitize = [p for p in sanitize if p.rsplit(".", 1)[-1] != "ClearOutput"]
    autograde = [p for p in autograde if p.rsplit(".", 1)[-1] not in EXECUTE_STEPS]
    return sanitize, autograde


def recording_lists(course_dir: Path) -> tuple[list[str], list[str]]:
    """What recording a zero notebook runs (:func:`record_zero`): only the steps that write scores.

    A zero notebook already carries its outputs (an error in every test cell), so every other step
    of the course's pipeline (the lists minus execution and output clearing, see
    :func:`no_execution_lists`) would leave it as it is. Recording keeps only the steps that write
    to the gradebook, in the course's order.
    """
    _, autograde = no_execution_lists(course_dir)
    return [], [p for p in autograde if p.rsplit(".", 1)[-1] in RECORD_STEPS]


def _gradebook_knows(db: Path, lesson: str) -> bool:
    if not db.is_file():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            row = con.execute("SELECT count(*) FROM notebook n JOIN assignment a ON n.assignment_id = a.id "
                              "WHERE a.name = ? AND n.name = ?", (lesson, lesson)).fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def ensure_assignment(course_dir: Path, lesson: str) -> bool:
    """Make sure the gradebook knows the lesson; return True if it had to be generated now."""
    source = course_dir / "solutions" / lesson / f"{lesson}.ipynb"
    if not source.is_file():
        raise ValueError(f"No lesson {lesson!r} in {course_dir}: expected {source}.")
    if _gradebook_knows(course_dir / "gradebook.db", lesson):
        return False
    # The gradebook needs the lesson's cells; write the learner copy aside so notebooks/ is untouched.
    proc = _run(_nbgrader_cmd("generate_assignment", lesson, "--force",
                              f"--CourseDirectory.release_directory={WORK_DIR}/release"), course_dir)
    if proc.returncode != 0 or not _gradebook_knows(course_dir / "gradebook.db", lesson):
        raise GradingError(f"nbgrader generate_assignment {lesson} failed:\n{proc.stdout}\n{proc.stderr}")
    return True


# --- progress -------------------------------------------------------------------------------------

def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """One progress line with an estimate of the time left (a line per learner when not a terminal)."""

    def __init__(self, lesson: str, total: int, workers: int, stream=None, enabled: bool = True) -> None:
        self.lesson, self.total, self.workers = lesson, total, workers
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self.done = 0
        self.phase = "grading"

    def estimate_left(self) -> float | None:
        if self.done == 0:
            return None
        elapsed = time.monotonic() - self.start
        tail = 2.0 + 0.05 * self.total  # the last learners' feedback and recording, the export
        return elapsed / self.done * (self.total - self.done) + tail

    def line(self) -> str:
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        left = self.estimate_left()
        eta = "estimating time left" if left is None else f"about {_clock(left)} left"
        return (f"{self.phase} {self.lesson} on {self.workers} worker{'s' * (self.workers > 1)}: "
                f"{self.done}/{self.total} learners [{'#' * filled}{'-' * (width - filled)}] "
                f"{_clock(time.monotonic() - self.start)} elapsed, {eta}")

    def update(self, done: int | None = None, phase: str | None = None) -> None:
        if done is not None:
            self.done = done
        if phase is not None:
            self.phase = phase
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self.line().ljust(110))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()


# --- the cohort run -------------------------------------------------------------------------------

def grade_cohort(lesson: str, course_dir: str | Path = REPO_ROOT, workers: int | None = None,
                 progress: bool = True, keep_work: bool = False,
                 on_event: Callable[[str], None] | None = None) -> CohortResult:
    """Grade every submission of ``lesson`` in ``course_dir``; see the module docstring."""
    check_lesson(lesson)
    course_dir = Path(course_dir).resolve()
    if not (course_dir / "nbgrader_config.py").is_file():
        raise ValueError(f"{course_dir} is not an nbgrader course folder: it has no nbgrader_config.py.")
    if workers is None:
        workers = default_workers()
    learners = find_learners(course_dir, lesson)
    if not learners:
        raise ValueError(
            f"No submissions of {lesson} in {course_dir / 'submitted'}: expected submitted/<learner>/{lesson}/"
            f"{lesson}.ipynb. Collect them with `nbgrader collect {lesson}` or, from an LMS download, "
            f"`nbgrader zip_collect {lesson}` (see INSTRUCTORS.md)."
        )
    refuse_without_sandbox()
    timings: dict[str, float] = {}
    clock = [time.monotonic()]
    started = clock[0]

    def lap(name: str) -> None:
        now = time.monotonic()
        timings[name] = now - clock[0]
        clock[0] = now

    ensure_assignment(course_dir, lesson)
    work = course_dir / WORK_DIR / lesson
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    workers = worker_count(learners, workers)
    root = work / "grading"
    bar = Progress(lesson, len(learners), workers, enabled=progress)
    problems: list[str] = []
    launched: list[subprocess.Popen] = []
    try:
        _prepare(course_dir, lesson, root, learners)
        lap("prepare")
        bar.update(0)
        feedback, found = _grade(course_dir, lesson, learners, root, workers, bar, on_event, launched)
        problems += found
        lap("grade")
        bar.update(phase="graded")
    except BaseException:
        for proc in launched:
            proc.wait()
        raise
    finally:
        bar.finish()
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)
    released = _released(course_dir, lesson)
    results = read_results(course_dir, learners, lesson)
    reports: dict[str, LearnerReport] = {}
    for learner in learners:
        path = course_dir / "submitted" / learner / lesson / f"{lesson}.ipynb"
        reports[learner] = LearnerReport(learner, results[learner], inspect_submission(path, released),
                                         feedback.get(learner))
    summary = write_summary(course_dir, lesson, reports)
    for proc in launched:  # no process this run started outlives it
        proc.wait()
    lap("summary")
    return CohortResult(lesson, course_dir, workers, time.monotonic() - started, reports,
                        course_dir / "grades.csv", summary, problems, timings)


def refuse_without_sandbox() -> None:
    """Grading runs learner code only in the sandbox; say why and stop where it cannot be made."""
    from aipmlab.grading import sandbox

    why = sandbox.problem()
    if why:
        raise GradingError(f"Not grading: {why}")


def _released(course_dir: Path, lesson: str) -> nbformat.NotebookNode | None:
    for folder in ("notebooks", f"{WORK_DIR}/release"):
        path = course_dir / folder / lesson / f"{lesson}.ipynb"
        if path.is_file():
            return read_notebook(path)
    return None


def _prepare(course_dir: Path, lesson: str, root: Path, learners: list[str]) -> None:
    """The workers' folder: the course's config, the lesson, and a copy of every submission."""
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    root.mkdir(parents=True)
    shutil.copy(course_dir / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(course_dir / "solutions" / lesson, root / "solutions" / lesson, ignore=ignore)
    for learner in learners:
        shutil.copytree(course_dir / "submitted" / learner / lesson, root / "submitted" / learner / lesson,
                        ignore=ignore)


def _reader(name, stream, events: queue.Queue, log: collections.deque | None = None) -> None:
    for line in stream:
        if log is not None:
            log.append(line)
        events.put((name, line))
    events.put((name, None))


def _grade(course_dir: Path, lesson: str, learners: list[str], root: Path, workers: int, bar: Progress,
           on_event: Callable[[str], None] | None,
           launched: list[subprocess.Popen]) -> tuple[dict[str, Path], list[str]]:
    """Run the workers; return each learner's feedback page and problems worth reporting.

    One host process imports nbgrader and forks ``workers`` workers (``aipmlab.grading.workers``),
    which take learners one at a time and run plain nbgrader autograde for each, in ``root``, against
    the instructor's gradebook, then write the learner's feedback. As soon as a learner is graded,
    their graded notebook and feedback are copied into the course (feedback that would show hidden
    test code is withheld); the host exports ``grades.csv`` once every worker is done. The host is
    appended to ``launched``: once it says it has finished, it is waited for at the very end.
    """
    nonce = secrets.token_hex(16)
    mark = f"@@aipmlab-{nonce}"
    host = _popen(_self_cmd("_host", lesson, str(course_dir), str(root), str(workers)), course_dir, nonce=nonce)
    launched.append(host)
    log: collections.deque[str] = collections.deque(maxlen=500)
    graded: list[str] = []
    exported = None
    hidden = hidden_test_lines(read_notebook(course_dir / "solutions" / lesson / f"{lesson}.ipynb"))
    feedback: dict[str, Path] = {}
    withheld: dict[str, str] = {}

    def take(learner: str) -> None:
        """The learner is graded: bring their results into the course."""
        graded.append(learner)
        bring(course_dir, "autograded", lesson, learner, root)
        page, problem = collect_feedback(course_dir, lesson, root, learner, hidden)
        if page is not None:
            feedback[learner] = page
        if problem:
            withheld[learner] = problem
        if on_event:
            on_event(learner)
        bar.update(len(graded))

    events: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=("host", host.stdout, events, log), daemon=True).start()
    try:
        while True:
            try:
                _, line = events.get(timeout=1.0)
            except queue.Empty:
                if bar.tty:  # keep the elapsed time ticking
                    bar.update()
                continue
            if line is None:
                break
            head, _, said = line.rstrip("\n").partition(" ")
            if head != mark:  # nbgrader's own log lines
                continue
            command, _, arg = said.partition(" ")
            if command == "done" and arg in learners and arg not in graded:
                take(arg)
            elif command == "exported":
                exported = int(arg) if arg.isdigit() else 1
                bar.update(phase="finishing")
            elif command == "finished":  # the host is done; only its exit is left
                break
    except BaseException:
        if host.poll() is None:  # the host and its workers: only processes this run started
            os.killpg(host.pid, signal.SIGTERM)
        raise
    problems = []
    if exported != 0 or not (course_dir / "grades.csv").is_file():
        problems.append("nbgrader export failed: " + "".join(list(log)[-20:]))
    for learner in learners:
        if learner not in graded:  # nbgrader wrote nothing for it, or its worker died before saying so
            take(learner)
        if not (course_dir / "autograded" / learner / lesson / f"{lesson}.ipynb").is_file():
            problems.append(f"{learner}: nbgrader could not grade this submission (it scores zero).")
    return feedback, problems + [withheld[learner] for learner in learners if learner in withheld]


def _needs_zero(root: Path, learner: str, lesson: str) -> bool:
    """nbgrader read this learner's notebook but wrote no graded copy of it (it could not execute it)."""
    graded = root / "autograded" / learner / lesson / f"{lesson}.ipynb"
    return not graded.is_file() and not submission_problem(root / "submitted" / learner / lesson / f"{lesson}.ipynb")


def record_zero(lesson: str, root: Path, learner: str, run_autograde: Callable[[list[str]], int]) -> bool:
    """After autograding ``learner``: if nbgrader read but could not execute their notebook, record a zero.

    Recording the submission itself would give full marks, since an unexecuted notebook has no failing
    test. The zero notebook (:func:`write_zero_notebook`) has an error in every auto-graded test cell;
    nbgrader records it with only the steps that write the gradebook (:func:`recording_lists`). A file
    nbgrader cannot read at all is left as plain ``nbgrader autograde`` leaves it: not graded.
    """
    if not _needs_zero(root, learner, lesson):
        return False
    sanitize, autograde = recording_lists(root)
    write_zero_notebook(root, lesson, root / "zero" / learner / lesson / f"{lesson}.ipynb",
                        "nbgrader could not execute this submission")
    run_autograde([lesson, "--force", f"--student={glob.escape(learner)}", "--CourseDirectory.submitted_directory=zero",
                   f"--Autograde.sanitize_preprocessors={sanitize!r}",
                   f"--Autograde.autograde_preprocessors={autograde!r}"])
    return True


def bring(course_dir: Path, folder: str, lesson: str, learner: str, root: Path) -> bool:
    """Replace the course's ``folder/<learner>/<lesson>/`` with the workers' copy; False if they wrote none."""
    src, dest = root / folder / learner / lesson, course_dir / folder / learner / lesson
    if dest.exists():
        shutil.rmtree(dest)
    if not src.is_dir():
        return False
    shutil.copytree(src, dest)
    return True


def _is_auto_test(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def write_zero_notebook(course_dir: Path, lesson: str, dest: Path, reason: str) -> Path:
    """A notebook that records zero on every auto-graded cell of ``lesson``, with ``reason`` in each.

    Built from the lesson's own cells (so every grade id is there), with every answer emptied and an
    error in every auto-graded test cell: recording it gives nbgrader's gradebook a zero, never the
    full marks an unexecuted notebook (no errors in any test cell) would earn.
    """
    from aipmlab.grading.execute import error_output

    nb = read_notebook(course_dir / "solutions" / lesson / f"{lesson}.ipynb")
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if _is_auto_test(cell):
                cell.outputs = [error_output("NotGraded", f"Not graded: {reason}. This cell scores zero.")]
        if meta.get("solution"):
            cell.source = f"(Not graded: {reason}.)" if cell.cell_type == "markdown" else f"# Not graded: {reason}."
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(dest))
    return dest


def collect_feedback(course_dir: Path, lesson: str, root: Path, learner: str,
                     hidden: list[str]) -> tuple[Path | None, str | None]:
    """Move a learner's feedback into the course, withholding any page that shows hidden test code.

    Returns the learner's feedback page (None if there is none) and a problem to report, if any.
    """
    if not bring(course_dir, "feedback", lesson, learner, root):
        return None, None
    dest = course_dir / "feedback" / learner / lesson
    found, problem = None, None
    for page in sorted(dest.glob("*.html")):
        leaks = leaked_lines(page.read_text(encoding="utf-8", errors="replace"), hidden)
        if leaks:
            page.unlink()
            problem = f"{learner}: feedback withheld, it showed hidden test code ({leaks[0]!r})."
        elif page.name == f"{lesson}.html":
            found = page
    return found, problem


def write_summary(course_dir: Path, lesson: str, reports: dict[str, LearnerReport]) -> Path:
    path = course_dir / "reports" / lesson / "grading-summary.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["learner", "auto_points", "auto_max", "written_answers", "status", "flags"])
        for learner, rep in sorted(reports.items()):
            r = rep.result
            manual = [c for c in r.cells.values() if c.kind == "manual"]
            pending = sum(1 for c in manual if c.points is None)
            status = "not graded: " + r.error if r.error else "graded"
            writer.writerow([learner, f"{r.auto_points:g}", f"{r.auto_max:g}",
                             f"{pending} to grade" if pending else ("graded" if manual else "none"),
                             status, "; ".join(rep.flags)])
    return path


def format_summary(res: CohortResult) -> str:
    lines = [(f"Graded {len(res.learners)} submissions of {res.lesson} on {res.workers} worker(s) "
             f"in {_clock(res.seconds)}."), ""]
    width = max([len(n) for n in res.learners] + [7])
    lines.append(f"{'learner':<{width}}  auto points  notes")
    for name, rep in sorted(res.learners.items()):
        r = rep.result
        notes = ([f"NOT GRADED: {r.error}"] if r.error else []) + [f for f in rep.flags if f != r.error]
        lines.append(f"{name:<{width}}  {r.auto_points:>5g} / {r.auto_max:<4g}  {'; '.join(notes)}")
    lines += ["", f"grades:   {res.grades_csv}", f"feedback: {res.course_dir / 'feedback'}/<learner>/{res.lesson}/",
              f"summary:  {res.summary_csv}"]
    pending = sum(1 for rep in res.learners.values() if not rep.result.error
                  for c in rep.result.cells.values() if c.kind == "manual" and c.points is None)
    if pending:
        lines.append(f"Next: grade {pending} written answer(s) by rubric in formgrader (make lab, then Nbgrader > "
                     f"Formgrader), then `nbgrader generate_feedback {res.lesson} --force` and `nbgrader export`.")
    if res.problems:
        lines += ["", "Look at:"] + [f"  - {p}" for p in res.problems]
    return "\n".join(lines)


class Stopped(KeyboardInterrupt):
    """``make grade`` was told to stop (SIGTERM, or SIGHUP when its terminal went away): for instance
    the JupyterHub it ran on was stopped. Raised in the main thread so that the grading processes this
    run started are stopped too (see ``_grade``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop_on_signal(signum, frame) -> None:
    raise Stopped(signum)


def stopped_message(lesson: str, course_dir: Path, signum: int) -> str:
    """What an instructor reads when grading was stopped part-way: what is safe, and what to do."""
    name = signal.Signals(signum).name
    learners = find_learners(course_dir, lesson)
    try:
        graded = gradebook_grades(course_dir / "gradebook.db", lesson)
    except sqlite3.Error:
        graded = {}
    course = "" if course_dir == REPO_ROOT else f" COURSE={course_dir}"
    return (f"make grade: stopped by {name} before grading {lesson} finished (was the hub or the terminal stopped?). "
            f"Nothing is lost: the gradebook holds the scores nbgrader recorded ({sum(1 for x in learners if x in graded)} "
            f"of {len(learners)} learners have scores, some possibly from an earlier run), your written-answer grades "
            f"and comments are untouched, and submitted/ is unchanged. Run `make grade LESSON={lesson}{course}` "
            f"again: it regrades every learner from their submission.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aipmlab.grading.cohort",
                                     description="Grade a cohort's submissions of one lesson on every core.")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="autograde submitted/<learner>/<lesson>/, write feedback and grades.csv")
    grade.add_argument("lesson", help="lesson slug, e.g. 00-orientation")
    grade.add_argument("--workers", type=int, default=None, help="parallel graders (default: cores + 1)")
    grade.add_argument("--course-dir", default=str(REPO_ROOT), help="the nbgrader course folder (default: repo root)")
    grade.add_argument("--quiet", action="store_true", help="no progress line")
    grade.add_argument("--keep-work", action="store_true", help=f"keep the workers' folder under {WORK_DIR}/")
    args = parser.parse_args(argv)
    quiet_imports()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    try:
        res = grade_cohort(args.lesson, args.course_dir, workers=args.workers, progress=not args.quiet,
                           keep_work=args.keep_work)
    except (ValueError, TypeError, GradingError) as exc:
        print(f"make grade: {exc}", file=sys.stderr)
        return 2
    except Stopped as exc:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the message must still get out
        print("\n" + stopped_message(args.lesson, Path(args.course_dir).resolve(), exc.signum), file=sys.stderr,
              flush=True)
        return 128 + exc.signum
    print(format_summary(res))
    return 1 if any("feedback withheld" in p for p in res.problems) else 0


if __name__ == "__main__":
    raise SystemExit(main())
