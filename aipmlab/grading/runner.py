"""Run real nbgrader on lessons in a private, temporary course folder.

Everything that grades in this course goes through here: the learner self-check (``make check``),
the grading-contract tests and cohort grading. Scores therefore always come from nbgrader itself.

    course = GradingCourse(["00-orientation"])
    course.generate("00-orientation")                       # solutions/ -> release/, gradebook
    course.add_submission("ana", "00-orientation", "path/to/her.ipynb")
    results = course.autograde("00-orientation")            # {"ana": SubmissionResult}
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from aipmlab.grading.notebook import (
    SOLUTIONS_DIR,
    grade_id,
    is_autograded_test,
    nbgrader_meta,
    parse_structure,
    read_notebook,
)
from aipmlab.paths import REPO_ROOT

ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
COURSE_ID = "aipmlab"
#: Where ``make check`` keeps one prepared course per lesson version (see :func:`prepared_lesson`).
#: ``AIPMLAB_CHECK_CACHE`` moves it (``make bench`` times a first check with an empty one).
CACHE_DIR = Path(os.environ.get("AIPMLAB_CHECK_CACHE") or REPO_ROOT / ".aipmlab" / "check-cache")
_CACHE_FORMAT = "1"


def strip_ansi(text: str) -> str:
    return ANSI_RE.sub("", text or "")


def nbgrader_env() -> dict[str, str]:
    """The environment nbgrader needs: this interpreter's bin folder first on PATH (for `alembic`)."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("MPLBACKEND", "Agg")
    env["AIPMLAB_LLM_OFFLINE"] = "1"  # grading never calls a model (aipmlab.llm replays or refuses)
    return env


@dataclass
class CellResult:
    """The grade of one graded cell in one submission."""

    grade_id: str
    kind: str  # "auto" or "manual"
    max_points: float
    points: float | None  # None: waits for an instructor (manual answers)
    ename: str = ""
    evalue: str = ""

    @property
    def passed(self) -> bool | None:
        if self.kind == "manual":
            return None
        return self.points is not None and self.points >= self.max_points


@dataclass
class SubmissionResult:
    """The result of autograding one learner's notebook."""

    student: str
    lesson: str
    cells: dict[str, CellResult] = field(default_factory=dict)
    error: str = ""  # set when nbgrader could not grade the submission at all
    notes: list[str] = field(default_factory=list)  # e.g. locked cells the grader had to put back

    @property
    def auto_points(self) -> float:
        return float(sum(c.points or 0.0 for c in self.cells.values() if c.kind == "auto"))

    @property
    def auto_max(self) -> float:
        return float(sum(c.max_points for c in self.cells.values() if c.kind == "auto"))


class GradingError(RuntimeError):
    """nbgrader failed in a way that is not one learner's fault (e.g. the lesson source is broken)."""


class GradingCourse:
    """A throwaway nbgrader course folder holding copies of some lessons."""

    def __init__(self, lessons: list[str], root: str | Path | None = None,
                 solutions_dir: Path = SOLUTIONS_DIR, extra_args: list[str] | None = None) -> None:
        if isinstance(lessons, str) or not lessons:
            raise ValueError(f"lessons must be a non-empty list of lesson slugs; got {lessons!r}.")
        self._tmp = None if root else tempfile.TemporaryDirectory(prefix="aipmlab-grade-")
        self.root = Path(root) if root else Path(self._tmp.name)
        self.root.mkdir(parents=True, exist_ok=True)
        self.extra_args = list(extra_args or [])
        shutil.copy(REPO_ROOT / "nbgrader_config.py", self.root / "nbgrader_config.py")
        for lesson in lessons:
            src = Path(solutions_dir) / lesson
            if not (src / f"{lesson}.ipynb").is_file():
                raise ValueError(f"No lesson {lesson!r}: expected {src / (lesson + '.ipynb')}.")
            dest = self.root / "solutions" / lesson
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        self.lessons = list(lessons)

    # -- nbgrader commands ---------------------------------------------------------------------
    def nbgrader(self, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "nbgrader", *args, *self.extra_args]
        return subprocess.run(cmd, check=False, cwd=self.root, env=nbgrader_env(), capture_output=True, text=True,
                              timeout=timeout)

    def generate(self, lesson: str) -> Path:
        """Run ``nbgrader generate_assignment``; return the generated learner notebook's path."""
        proc = self.nbgrader("generate_assignment", lesson, "--force")
        out = self.root / "notebooks" / lesson / f"{lesson}.ipynb"
        if proc.returncode != 0 or not out.is_file():
            raise GradingError(f"nbgrader generate_assignment {lesson} failed:\n{proc.stdout}\n{proc.stderr}")
        return out

    def submission_path(self, student: str, lesson: str) -> Path:
        return self.root / "submitted" / student / lesson / f"{lesson}.ipynb"

    def add_submission(self, student: str, lesson: str, notebook: str | Path | NotebookNode | bytes) -> Path:
        """Place a learner's notebook where nbgrader looks for it. Bytes are written as they are."""
        if not re.fullmatch(r"[A-Za-z0-9_.@+-]+", student or ""):
            raise ValueError(f"student ids may use letters, digits and _.@+- only; got {student!r}.")
        path = self.submission_path(student, lesson)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(notebook, NotebookNode):
            nbformat.write(notebook, str(path))
        elif isinstance(notebook, bytes):
            path.write_bytes(notebook)
        else:
            shutil.copy(notebook, path)
        return path

    def autograde(self, lesson: str, timeout: float | None = None) -> dict[str, SubmissionResult]:
        """Autograde every submission with plain ``nbgrader autograde``.

        One broken notebook never stops the rest: nbgrader carries on past it, and its result comes
        back with ``error`` set and zero points.
        """
        proc = self.nbgrader("autograde", lesson, "--force", timeout=timeout)
        folder = self.root / "submitted"
        students = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        return read_results(self.root, students, lesson, log=proc.stdout + proc.stderr)

    def autograde_in_process(self, lesson: str, students: list[str] | None = None) -> dict[str, SubmissionResult]:
        """:meth:`autograde`, with nbgrader's own ``AutogradeApp`` run in this process.

        The same command, the same ``nbgrader_config.py`` and the same pipeline as ``nbgrader autograde
        <lesson> --force``, without starting another Python and importing nbgrader in it (over a
        second of CPU). nbgrader's log is captured, as :meth:`autograde` captures the subprocess's.
        """
        _, log = run_nbgrader_app(self.root, "autograde", [lesson, "--force", *self.extra_args])
        folder = self.root / "submitted"
        found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        return read_results(self.root, students or found, lesson, log=log)

    @classmethod
    def from_prepared(cls, lesson: str, extra_args: list[str] | None = None,
                      cache_dir: Path | None = None, solutions_dir: Path = SOLUTIONS_DIR) -> GradingCourse:
        """A course folder for ``lesson`` made from its cached, already generated copy (fast).

        The gradebook and the released notebook come from :func:`prepared_lesson`, built once per
        version of the lesson; each call gets a private copy, so nothing a grading run writes is shared.
        """
        prepared = prepared_lesson(lesson, cache_dir=cache_dir, solutions_dir=solutions_dir)
        course = cls.__new__(cls)
        course._tmp = tempfile.TemporaryDirectory(prefix="aipmlab-grade-")
        course.root = Path(course._tmp.name)
        course.extra_args = list(extra_args or [])
        course.lessons = [lesson]
        shutil.copy(prepared / "nbgrader_config.py", course.root / "nbgrader_config.py")
        shutil.copy(prepared / "gradebook.db", course.root / "gradebook.db")
        shutil.copytree(prepared / "solutions", course.root / "solutions")
        shutil.copytree(prepared / "notebooks", course.root / "notebooks")
        return course

    def released_path(self, lesson: str) -> Path:
        return self.root / "notebooks" / lesson / f"{lesson}.ipynb"

    # -- results -------------------------------------------------------------------------------
    def read_result(self, student: str, lesson: str, log: str = "") -> SubmissionResult:
        """Scores from the gradebook, error names and messages from the autograded notebook."""
        return read_result(self.root, student, lesson, log=log)


def run_nbgrader_app(root: Path, command: str, argv: list[str]) -> tuple[int, str]:
    """Run ``nbgrader <command> <argv>`` in this process, in the course folder ``root``; (exit code, log).

    nbgrader finds ``nbgrader_config.py`` in the working directory, so this changes into ``root``
    for the run (and back). What nbgrader logs or prints is captured, not shown.
    """
    from aipmlab.grading.workers import quiet_imports

    quiet_imports()
    if command == "autograde":
        from nbgrader.apps.autogradeapp import AutogradeApp as App
    elif command == "generate_assignment":
        from nbgrader.apps.generateassignmentapp import GenerateAssignmentApp as App
    else:
        raise ValueError(f"run_nbgrader_app runs autograde or generate_assignment; got {command!r}.")
    import logging

    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    old_cwd = os.getcwd()
    path = os.environ.get("PATH", "")
    bin_dir = str(Path(sys.executable).parent)
    app = App()
    saved_handlers = list(app.log.handlers)
    try:
        os.chdir(root)
        os.environ["PATH"] = bin_dir + os.pathsep + path  # nbgrader may run `alembic`
        for h in saved_handlers:
            app.log.removeHandler(h)
        app.log.addHandler(handler)
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            try:
                app.initialize(argv)
                for h in list(app.log.handlers):  # nbgrader adds its own stream handler on initialize
                    if h is not handler:
                        app.log.removeHandler(h)
                app.start()
                code = 0
            except SystemExit as exc:  # nbgrader exits 1 when a submission failed
                code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
            finally:
                app.reset() if hasattr(app, "reset") else None
    finally:
        os.chdir(old_cwd)
        os.environ["PATH"] = path
        app.log.removeHandler(handler)
        for h in saved_handlers:
            app.log.addHandler(h)
    return code, buf.getvalue()


def lesson_key(folder: Path, config: Path = REPO_ROOT / "nbgrader_config.py") -> str:
    """A hash of everything a prepared lesson depends on.

    The lesson's folder (every file, by name and content), the course's ``nbgrader_config.py``, the
    aipmlab and nbgrader versions and the source of the course's own nbgrader steps: change any of
    them and the key changes, so a changed lesson is never graded with stale material.
    """
    import nbgrader

    import aipmlab
    from aipmlab.grading import preprocessors

    h = hashlib.sha256()
    h.update(f"format {_CACHE_FORMAT}; aipmlab {aipmlab.__version__}; nbgrader {nbgrader.__version__}\n".encode())
    h.update(Path(preprocessors.__file__).read_bytes())
    h.update(Path(config).read_bytes())
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and not _ignored(p)):
        h.update(b"\0" + str(path.relative_to(folder)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:24]


def _ignored(path: Path) -> bool:
    return any(part in (".ipynb_checkpoints", "__pycache__") for part in path.parts)


def prepared_lesson(lesson: str, cache_dir: Path | None = None, solutions_dir: Path = SOLUTIONS_DIR) -> Path:
    """The cached course folder of one lesson version: config, solution, released copy and gradebook.

    ``<cache>/<lesson>-<key>/`` (key: :func:`lesson_key` of the lesson's folder) is built once with
    ``nbgrader generate_assignment`` and then reused. The key is checked again against the cached
    copy of the solution before use, so a changed, half-written or tampered entry is rebuilt, and
    entries of older versions of the lesson are removed.
    """
    cache_dir = Path(cache_dir or CACHE_DIR)
    src = Path(solutions_dir) / lesson
    if not (src / f"{lesson}.ipynb").is_file():
        raise ValueError(f"No lesson {lesson!r}: expected {src / (lesson + '.ipynb')}.")
    key = lesson_key(src)
    entry = cache_dir / f"{lesson}-{key}"
    if _entry_ok(entry, lesson, key):
        return entry
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout: prepare the lesson in a private folder for this run only
        cache_dir = Path(tempfile.mkdtemp(prefix="aipmlab-check-cache-"))
    build = Path(tempfile.mkdtemp(prefix=f".build-{lesson}-", dir=cache_dir))
    try:
        shutil.copy(REPO_ROOT / "nbgrader_config.py", build / "nbgrader_config.py")
        shutil.copytree(src, build / "solutions" / lesson,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        built_key = lesson_key(build / "solutions" / lesson, build / "nbgrader_config.py")  # what was copied is what the entry is named by
        code, log = run_nbgrader_app(build, "generate_assignment", [lesson, "--force"])
        if code != 0 or not (build / "notebooks" / lesson / f"{lesson}.ipynb").is_file():
            raise GradingError(f"nbgrader generate_assignment {lesson} failed:\n{log}")
        (build / "KEY").write_text(built_key, encoding="utf-8")
        entry = cache_dir / f"{lesson}-{built_key}"
        if _entry_ok(entry, lesson, built_key):  # another check built it meanwhile: use theirs
            shutil.rmtree(build, ignore_errors=True)
        elif entry.exists():  # a broken or tampered entry: replace it
            shutil.rmtree(entry, ignore_errors=True)
        try:
            if build.exists():
                os.rename(build, entry)
        except OSError:  # another check built it at the same moment: use theirs
            shutil.rmtree(build, ignore_errors=True)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    for old in cache_dir.glob(f"{lesson}-*"):
        if old != entry and old.name.split("-")[-1] != built_key:
            shutil.rmtree(old, ignore_errors=True)
    if not _entry_ok(entry, lesson, built_key):
        raise GradingError(f"Could not prepare {lesson} for grading in {cache_dir}.")
    return entry


def _entry_ok(entry: Path, lesson: str, key: str) -> bool:
    try:
        return ((entry / "KEY").read_text(encoding="utf-8") == key
                and (entry / "gradebook.db").is_file()
                and (entry / "notebooks" / lesson / f"{lesson}.ipynb").is_file()
                and lesson_key(entry / "solutions" / lesson, entry / "nbgrader_config.py") == key)
    except OSError:
        return False


def read_result(root: str | Path, student: str, lesson: str, log: str = "") -> SubmissionResult:
    """Read one learner's autograde result from the nbgrader course folder ``root``.

    Scores come from the gradebook, error names and messages from ``autograded/``; the lesson's
    structure from ``solutions/``. A submission nbgrader could not grade at all comes back with
    ``error`` set and zero points.
    """
    return read_results(root, [student], lesson, log=log)[student]


def read_results(root: str | Path, students: list[str], lesson: str, log: str = "") -> dict[str, SubmissionResult]:
    """:func:`read_result` for several learners at once (one read-only query of the gradebook)."""
    root = Path(root)
    source = parse_structure(read_notebook(root / "solutions" / lesson / f"{lesson}.ipynb"), lesson)
    grades = gradebook_grades(root / "gradebook.db", lesson)
    return {student: _result(root, student, lesson, source, grades.get(student, {}), log) for student in students}


def gradebook_grades(db: Path, lesson: str) -> dict[str, dict[str, tuple[float, float | None, float | None]]]:
    """``{learner: {grade id: (score, manual_score, auto_score)}}`` of one lesson, read with sqlite3.

    ``score`` follows nbgrader's ``Grade.score``: the manual score if set, else the auto score, else
    zero, plus any extra credit. Reading the file directly keeps nbgrader (slow to import) out of
    processes that only need the numbers.
    """
    import sqlite3

    if not Path(db).is_file():
        return {}
    query = ("SELECT s.id, bc.name, g.auto_score, g.manual_score, g.extra_credit FROM grade g "
             "JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN notebook n ON sn.notebook_id = n.id "
             "JOIN submitted_assignment sa ON sn.assignment_id = sa.id JOIN assignment a ON sa.assignment_id = a.id "
             "JOIN student s ON sa.student_id = s.id JOIN base_cell bc ON g.cell_id = bc.id "
             "WHERE a.name = ? AND n.name = ?")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(query, (lesson, lesson)).fetchall()
    out: dict[str, dict[str, tuple[float, float | None, float | None]]] = {}
    for student, cell, auto, manual, extra in rows:
        base = manual if manual is not None else (auto if auto is not None else None)
        score = 0.0 if base is None else float(base) + float(extra or 0.0)
        out.setdefault(student, {})[cell] = (score, manual, auto)
    return out


def _fast_read(path: Path) -> NotebookNode:
    """Read a notebook nbgrader wrote itself, without schema validation (several times faster)."""
    return nbformat.v4.reads(Path(path).read_text(encoding="utf-8"))


def _result(root: Path, student: str, lesson: str, source, grades: dict, log: str) -> SubmissionResult:
    result = SubmissionResult(student=student, lesson=lesson)
    graded_nb = root / "autograded" / student / lesson / f"{lesson}.ipynb"
    if not grades or not graded_nb.is_file():
        result.error = (submission_problem(root / "submitted" / student / lesson / f"{lesson}.ipynb")
                        or summarise_log(log, student) or "nbgrader could not grade this notebook.")
        for item in source.items:
            result.cells[item.grade_id] = CellResult(item.grade_id, item.kind, item.points,
                                                     0.0 if item.kind == "auto" else None)
        return result
    errors = error_outputs(_fast_read(graded_nb))
    for item in source.items:
        g = grades.get(item.grade_id)
        if item.kind == "manual":
            points = None if g is None or g[1] is None else float(g[0])
        else:
            points = 0.0 if g is None else float(g[0])
        ename, evalue = errors.get(item.grade_id, ("", ""))
        result.cells[item.grade_id] = CellResult(item.grade_id, item.kind, item.points, points, ename, evalue)
        if ename == "NotGraded" and not result.error:  # the cohort grader recorded a zero on purpose
            result.error = (submission_problem(root / "submitted" / student / lesson / f"{lesson}.ipynb")
                            or summarise_log(log, student) or evalue)
    return result


def submission_problem(path: Path) -> str:
    """Why a submitted notebook cannot be graded at all ('' when it looks like a notebook)."""
    if not path.is_file():
        return f"No notebook named {path.name} was submitted (nbgrader grades files by their exact name)."
    if path.stat().st_size == 0:
        return f"{path.name} is an empty file, not a notebook."
    try:
        nbformat.read(str(path), as_version=4)
    except (ValueError, KeyError, TypeError, AttributeError, nbformat.ValidationError) as exc:
        return f"{path.name} is not a readable Jupyter notebook ({type(exc).__name__}: {str(exc)[:200]})."
    return ""


#: Errors written by the grader itself: they explain a failure better than what the cell raised.
GRADER_ENAMES = ("MemoryLimitExceeded", "KernelDied", "KernelUnresponsive", "NotebookTimeout", "NotRun",
                 "GradingIntegrityError", "CellTimeoutError", "NotGraded")


def error_outputs(nb: NotebookNode) -> dict[str, tuple[str, str]]:
    """Map each graded test cell's grade id to the (error name, message) it raised, if any.

    When the grader added an error of its own (a timeout, a dead kernel ...), that one is reported.
    """
    found: dict[str, tuple[str, str]] = {}
    for cell in nb.cells:
        if not is_autograded_test(cell):
            continue
        errors = [(out.get("ename", ""), strip_ansi(out.get("evalue", "")))
                  for out in cell.get("outputs", []) if out.get("output_type") == "error"]
        if errors:
            ours = [e for e in errors if e[0] in GRADER_ENAMES]
            found[grade_id(cell)] = (ours or errors)[0]
    return found


def summarise_log(log: str, student: str) -> str:
    """Pick the lines of nbgrader's log that explain why one submission could not be graded."""
    lines = [strip_ansi(line) for line in log.splitlines()]
    keep = [ln for ln in lines if ("ERROR" in ln or "Error" in ln) and ("Traceback" not in ln)]
    return "\n".join(keep[-5:])


def locked_sources(nb: NotebookNode) -> dict[str, str]:
    """Map grade ids of locked cells to their source (used to detect edited locked cells)."""
    return {grade_id(c): c.source for c in nb.cells if nbgrader_meta(c).get("locked") and grade_id(c)}
