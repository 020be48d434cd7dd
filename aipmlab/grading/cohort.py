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
Starting nbgrader costs over a second of CPU, so one process per learner is slower than one process
for all (NOTES.md). Instead the cohort is dealt into one shard per worker (round-robin, so the split
is deterministic). Each shard is a private copy of the course: its ``nbgrader_config.py``,
``solutions/<lesson>``, a copy of ``gradebook.db`` and the shard's submissions. In each, one
long-lived worker process (``aipmlab.grading.workers``) runs plain ``nbgrader autograde <lesson>
--force`` and then ``nbgrader generate_feedback``, in-process, with the course's own config; the
workers run in parallel.

As soon as a worker has graded a learner, the executed notebook is handed to a recorder process in
the instructor's course, which runs ``nbgrader autograde`` for that learner on the executed notebook
with execution and output clearing switched off. Every other sanitize and autograde step already
ran in the shard and would change nothing, so the recorder keeps only the steps that write the
gradebook (``SaveAutoGrades``, ``AssignLatePenalties``): nbgrader itself records the scores, from the
same outputs, in the instructor's gradebook, while the workers go on. At the end every cell's auto
score in the instructor's gradebook is compared with the shard's, and the run is refused if one
differs. ``make bench`` and ``tests/test_cohort_grading.py`` compare the result with a plain
sequential ``nbgrader autograde`` of the same cohort.
"""

from __future__ import annotations

import argparse
import collections
import csv
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


def shard(learners: list[str], workers: int) -> list[list[str]]:
    """Deal the learners round-robin into at most ``workers`` non-empty shards (deterministic)."""
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers must be a whole number, at least 1; got {workers!r}.")
    shards = [learners[i::workers] for i in range(min(workers, len(learners)))]
    return [s for s in shards if s]


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



class _Shard:
    def __init__(self, number: int, root: Path, learners: list[str]) -> None:
        self.number, self.root, self.learners = number, root, learners
        self.proc: subprocess.Popen | None = None
        self.log: collections.deque[str] = collections.deque(maxlen=500)


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


def _copy_gradebook(src: Path, dest: Path) -> None:
    """Copy an SQLite gradebook safely, even while formgrader has it open."""
    with sqlite3.connect(str(src)) as source, sqlite3.connect(str(dest)) as target:
        source.backup(target)


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
    """What the recording pass runs on notebooks a shard has already autograded.

    The shard already ran every sanitize and autograde step, and they are idempotent: running them
    again (the course's lists minus execution and output clearing, see :func:`no_execution_lists`)
    leaves the notebook and its scores as they are. So the recording pass keeps only the steps that
    write to the gradebook, in the course's order; ``_check_scores`` then proves the scores equal.
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


def _scores(db: Path, lesson: str, learners: list[str]) -> dict[str, dict[str, float | None]]:
    """Every learner's auto score per cell, straight from a gradebook file."""
    grades = gradebook_grades(db, lesson)
    return {learner: {cell: auto for cell, (_, _, auto) in grades.get(learner, {}).items()} for learner in learners}


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
    shards = [_Shard(i, work / f"shard-{i}", group) for i, group in enumerate(shard(learners, workers))]
    bar = Progress(lesson, len(learners), len(shards), enabled=progress)
    problems: list[str] = []
    try:
        _prepare_shards(course_dir, lesson, shards)
        lap("prepare")
        bar.update(0)
        problems += _grade_and_record(course_dir, lesson, learners, shards, work, bar, on_event)
        lap("grade and record")
        bar.update(phase="checking")
        problems += _check_scores(course_dir, lesson, learners, shards, work)
        feedback, leak_problems = _collect_feedback(course_dir, lesson, shards)
        problems += leak_problems
        lap("check scores and feedback")
        bar.update(phase="graded")
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
    lap("summary")
    return CohortResult(lesson, course_dir, len(shards), time.monotonic() - started, reports,
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


def _prepare_shards(course_dir: Path, lesson: str, shards: list[_Shard]) -> None:
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for sh in shards:
        sh.root.mkdir(parents=True)
        shutil.copy(course_dir / "nbgrader_config.py", sh.root / "nbgrader_config.py")
        shutil.copytree(course_dir / "solutions" / lesson, sh.root / "solutions" / lesson, ignore=ignore)
        _copy_gradebook(course_dir / "gradebook.db", sh.root / "gradebook.db")
        for learner in sh.learners:
            shutil.copytree(course_dir / "submitted" / learner / lesson, sh.root / "submitted" / learner / lesson,
                            ignore=ignore)


def _reader(name, stream, events: queue.Queue, log: collections.deque | None = None) -> None:
    for line in stream:
        if log is not None:
            log.append(line)
        events.put((name, line))
    events.put((name, None))


def _grade_and_record(course_dir: Path, lesson: str, learners: list[str], shards: list[_Shard], work: Path,
                      bar: Progress, on_event: Callable[[str], None] | None) -> list[str]:
    """Run the shard workers and the recorder together; return problems worth reporting.

    Each worker runs plain nbgrader autograde (then generate_feedback) on its shard. As soon as a
    worker finishes a learner, its executed notebook is handed to the recorder, which records it in
    the instructor's gradebook with nbgrader autograde minus execution, while the workers go on.
    """
    executed = work / "executed"
    sanitize, autograde = recording_lists(course_dir)
    nonce = secrets.token_hex(16)
    mark = f"@@aipmlab-{nonce}"
    recorder = _popen(_self_cmd("_record", lesson, str(executed.relative_to(course_dir)), repr(sanitize),
                                repr(autograde)), course_dir, stdin=True, nonce=nonce)
    recorder.stdin.write(f"students {' '.join(learners)}\n")
    recorder.stdin.flush()
    events: queue.Queue = queue.Queue()
    recorder_log: collections.deque[str] = collections.deque(maxlen=500)
    threading.Thread(target=_reader, args=("recorder", recorder.stdout, events, recorder_log), daemon=True).start()
    for sh in shards:
        sh.proc = _popen(_self_cmd("_worker", lesson), sh.root, nonce=nonce)
        threading.Thread(target=_reader, args=(sh.number, sh.proc.stdout, events, sh.log), daemon=True).start()

    owner = {learner: sh for sh in shards for learner in sh.learners}
    autograding = {sh.number for sh in shards}
    graded: list[str] = []
    recorded: dict[str, int] = {}
    exported = None
    open_streams = len(shards) + 1

    def hand_over(learner: str) -> None:
        if learner in graded:
            return
        graded.append(learner)
        copy_result(course_dir, lesson, learner, owner[learner], executed)
        recorder.stdin.write(f"record {learner}\n")
        recorder.stdin.flush()
        if on_event:
            on_event(learner)
        bar.update(len(graded))

    def worker_finished(who: int) -> None:
        """A worker finished autograding (or died): hand over the rest, export once all are recorded."""
        autograding.discard(who)
        for learner in shards[who].learners:  # failed ones: nbgrader wrote no autograded notebook
            hand_over(learner)

    def maybe_export() -> None:
        nonlocal exported
        if not autograding and len(recorded) == len(learners) and exported is None:
            recorder.stdin.write("export\n")
            recorder.stdin.close()
            exported = -1

    try:
        while open_streams:
            try:
                who, line = events.get(timeout=1.0)
            except queue.Empty:
                if bar.tty:  # keep the elapsed time ticking
                    bar.update()
                continue
            if line is None:
                open_streams -= 1
                if who != "recorder" and who in autograding:
                    worker_finished(who)
            elif who == "recorder":
                parts = line.split()
                if parts[:2] == [mark, "recorded"]:
                    recorded[parts[2]] = int(parts[3])
                elif parts[:2] == [mark, "exported"]:
                    exported = int(parts[2])
            elif who in autograding:
                if line.startswith(f"{mark} done "):
                    learner = line.split()[2]
                    if owner.get(learner) is shards[who]:  # a worker speaks only for its own learners
                        hand_over(learner)
                elif line.startswith(f"{mark} autograded"):
                    worker_finished(who)
            if exported is None and not recorder.stdin.closed:
                maybe_export()
    except BaseException:
        for proc in [recorder, *(sh.proc for sh in shards)]:  # only processes this run started
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        raise
    for proc in [recorder, *(sh.proc for sh in shards)]:
        proc.wait()
    problems = []
    if exported != 0 or not (course_dir / "grades.csv").is_file():
        problems.append("nbgrader export failed: " + "".join(list(recorder_log)[-20:]))
    missing = sorted(set(learners) - set(recorded))
    if missing:
        raise GradingError(f"Scores of {missing} were not recorded; nbgrader said:\n{''.join(list(recorder_log)[-40:])}")
    for learner in learners:
        if not (course_dir / "autograded" / learner / lesson / f"{lesson}.ipynb").is_file():
            problems.append(f"{learner}: nbgrader could not grade this submission (it scores zero).")
    return problems


def _differences(course_dir: Path, lesson: str, learners: list[str], shards: list[_Shard]) -> dict:
    """Learners whose recorded auto scores differ from their shard's: {learner: (shard's, recorded)}.

    A learner nbgrader could not grade in the shard has no scores there; zero is what they must get.
    """
    expected: dict[str, dict[str, float | None]] = {}
    for sh in shards:
        expected.update(_scores(sh.root / "gradebook.db", lesson, sh.learners))
        for learner in sh.learners:
            if _needs_zero(sh, learner, lesson):
                expected[learner] = _zero_scores(course_dir, lesson)
    got = _scores(course_dir / "gradebook.db", lesson, learners)
    return {learner: (expected.get(learner), got.get(learner)) for learner in learners
            if expected.get(learner) != got.get(learner)}


def _check_scores(course_dir: Path, lesson: str, learners: list[str], shards: list[_Shard], work: Path) -> list[str]:
    """Refuse the result unless every cell's score in the course equals the shard's.

    A learner whose scores differ is recorded once more from the shard's notebook (a safety net that
    has never been needed on purpose); if they still differ, grading stops with an error.
    """
    differ = _differences(course_dir, lesson, learners, shards)
    if not differ:
        return []
    owner = {learner: sh for sh in shards for learner in sh.learners}
    executed = work / "executed"
    for learner in differ:
        shutil.rmtree(executed / learner / lesson, ignore_errors=True)
        copy_result(course_dir, lesson, learner, owner[learner], executed)
    _record_again(course_dir, lesson, work, list(differ))
    still = _differences(course_dir, lesson, learners, shards)
    for learner in still:  # never abort the cohort: this learner's results cannot be trusted, so zero
        shutil.rmtree(executed / learner / lesson, ignore_errors=True)
        write_zero_notebook(course_dir, lesson, executed / learner / lesson / f"{lesson}.ipynb",
                            "the grader could not confirm this submission's results")
    if still:
        _record_again(course_dir, lesson, work, list(still))
    _run(_nbgrader_cmd("export", "--to", "grades.csv"), course_dir)  # grades.csv was written before the repair
    problems = [f"{learner}: scores recorded a second time after a mismatch (now identical)."
                for learner in differ if learner not in still]
    problems += [f"{learner}: its results could not be confirmed (recording changed them), so its auto-graded "
                 f"cells score zero; re-grade it alone with `nbgrader autograde {lesson} --student {learner}` "
                 f"and read its notebook." for learner in still]
    return problems


def _needs_zero(sh: _Shard, learner: str, lesson: str) -> bool:
    """nbgrader read this learner's notebook but wrote no graded copy of it (it could not execute it)."""
    graded = sh.root / "autograded" / learner / lesson / f"{lesson}.ipynb"
    return not graded.is_file() and not submission_problem(sh.root / "submitted" / learner / lesson / f"{lesson}.ipynb")


def copy_result(course_dir: Path, lesson: str, learner: str, sh: _Shard, executed: Path) -> None:
    """Put what the recorder should record for ``learner`` in ``executed``.

    The shard's graded notebook when there is one. A file nbgrader cannot read at all goes as it is:
    the recorder fails on it exactly as plain ``nbgrader autograde`` does. A readable notebook that
    nbgrader could not execute becomes a zero notebook: recording the submission itself would give
    full marks, since an unexecuted notebook has no failing test.
    """
    done = sh.root / "autograded" / learner / lesson
    if (done / f"{lesson}.ipynb").is_file():
        shutil.copytree(done, executed / learner / lesson)
    elif _needs_zero(sh, learner, lesson):
        write_zero_notebook(course_dir, lesson, executed / learner / lesson / f"{lesson}.ipynb",
                            "nbgrader could not execute this submission")
    else:
        shutil.copytree(sh.root / "submitted" / learner / lesson, executed / learner / lesson)


def _record_again(course_dir: Path, lesson: str, work: Path, learners: list[str]) -> None:
    executed = work / "executed"
    sanitize, autograde = recording_lists(course_dir)
    commands = "".join(f"record {learner}\n" for learner in learners)
    subprocess.run(_self_cmd("_record", lesson, str(executed.relative_to(course_dir)), repr(sanitize), repr(autograde)),
                   cwd=course_dir, env=nbgrader_env(), input=commands, capture_output=True, text=True, check=False)


def _zero_scores(course_dir: Path, lesson: str) -> dict[str, float | None]:
    """The auto scores a zero notebook records: 0 on every auto-graded test, none on written answers."""
    nb = read_notebook(course_dir / "solutions" / lesson / f"{lesson}.ipynb")
    return {grade_id(c): (0.0 if _is_auto_test(c) else None) for c in nb.cells if nbgrader_meta(c).get("grade")}


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


def _collect_feedback(course_dir: Path, lesson: str, shards: list[_Shard]) -> tuple[dict[str, Path], list[str]]:
    """Move each shard's feedback into the course, withholding any page that shows hidden test code."""
    hidden = hidden_test_lines(read_notebook(course_dir / "solutions" / lesson / f"{lesson}.ipynb"))
    found: dict[str, Path] = {}
    problems: list[str] = []
    for sh in shards:
        for learner in sh.learners:
            src = sh.root / "feedback" / learner / lesson
            if not src.is_dir():
                continue
            dest = course_dir / "feedback" / learner / lesson
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest)
            for page in sorted(dest.glob("*.html")):
                leaks = leaked_lines(page.read_text(encoding="utf-8", errors="replace"), hidden)
                if leaks:
                    page.unlink()
                    problems.append(f"{learner}: feedback withheld, it showed hidden test code ({leaks[0]!r}).")
                elif page.name == f"{lesson}.html":
                    found[learner] = page
    return found, problems


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
    run started are stopped too (see ``_grade_and_record``)."""

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
    grade.add_argument("--keep-work", action="store_true", help=f"keep the shard folders under {WORK_DIR}/")
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
