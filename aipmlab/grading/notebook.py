"""Read a lesson notebook's structure: its graded cells, its exercises and their points.

Points live in nbgrader metadata only. Exercise headings (``### Exercise 3 (2 points): ...``) are
checked against that metadata by the test suite, so the prose and the metadata cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from aipmlab.paths import REPO_ROOT

SOLUTIONS_DIR = REPO_ROOT / "solutions"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
#: Markers nbgrader uses for hidden tests and rubrics (feedback and leak checks look for them).
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MARK_BEGIN, MARK_END = "BEGIN MARK SCHEME", "END MARK SCHEME"
LESSON_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
EXERCISE_RE = re.compile(
    r"^###\s+Exercise\s+(?P<number>\d+)\s+\((?P<points>\d+(?:\.\d+)?)\s+points?\):\s*(?P<title>.+?)\s*$",
    re.MULTILINE,
)


def list_lessons(solutions_dir: Path = SOLUTIONS_DIR) -> list[str]:
    """Return the lesson slugs found in ``solutions/``, in course order.

    >>> list_lessons()[0]
    '00-orientation'
    """
    if not Path(solutions_dir).is_dir():
        raise ValueError(f"Expected a folder of lessons; {solutions_dir} is not a directory.")
    return sorted(
        p.name
        for p in Path(solutions_dir).iterdir()
        if p.is_dir() and LESSON_RE.match(p.name) and (p / f"{p.name}.ipynb").is_file()
    )


def solution_path(lesson: str) -> Path:
    """Path of a lesson's instructor notebook, ``solutions/<lesson>/<lesson>.ipynb``."""
    return SOLUTIONS_DIR / lesson / f"{lesson}.ipynb"


def release_path(lesson: str) -> Path:
    """Path of a lesson's learner notebook, ``notebooks/<lesson>/<lesson>.ipynb``."""
    return NOTEBOOKS_DIR / lesson / f"{lesson}.ipynb"


def lesson_of(notebook: str | Path) -> str:
    """Work out which lesson a learner's notebook belongs to, from its file name or folder.

    >>> lesson_of("notebooks/03-prototype-first/03-prototype-first.ipynb")
    '03-prototype-first'
    """
    path = Path(notebook)
    lessons = list_lessons()
    for candidate in (path.stem, path.parent.name):
        if candidate in lessons:
            return candidate
    for lesson in lessons:  # e.g. "03-prototype-first (1).ipynb" from a download
        if path.stem.startswith(lesson):
            return lesson
    raise ValueError(
        f"Cannot tell which lesson {notebook} is. Expected a file named after a lesson "
        f"(one of: {', '.join(lessons)}), e.g. notebooks/00-orientation/00-orientation.ipynb."
    )


def nbgrader_meta(cell: NotebookNode) -> dict:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def grade_id(cell: NotebookNode) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def is_autograded_test(cell: NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_manual_answer(cell: NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and bool(meta.get("solution"))


def is_solution(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_locked(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("locked"))


def first_line_docstring(source: str) -> str:
    """The one-line docstring a test cell starts with (what it checks), or ''."""
    match = re.match(r'\s*(?:"""|\'\'\')(.+?)(?:"""|\'\'\'|$)', source, re.DOTALL)
    return match.group(1).strip().splitlines()[0].strip() if match else ""


@dataclass
class GradedItem:
    """One cell that carries points: an auto-graded test cell or a manually graded answer."""

    grade_id: str
    points: float
    kind: str  # "auto" or "manual"
    description: str
    exercise: int | None
    cell_index: int


@dataclass
class Exercise:
    number: int
    title: str
    heading_points: float
    items: list[GradedItem] = field(default_factory=list)

    @property
    def points(self) -> float:
        return float(sum(item.points for item in self.items))


@dataclass
class LessonStructure:
    lesson: str
    title: str
    exercises: list[Exercise]
    items: list[GradedItem]

    @property
    def auto_items(self) -> list[GradedItem]:
        return [i for i in self.items if i.kind == "auto"]

    @property
    def manual_items(self) -> list[GradedItem]:
        return [i for i in self.items if i.kind == "manual"]

    @property
    def total_points(self) -> float:
        return float(sum(i.points for i in self.items))


def read_notebook(path: str | Path) -> NotebookNode:
    """Read an .ipynb, raising ValueError with a clear message when it is not a notebook."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"Expected a path to an .ipynb file; {path} does not exist.")
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as exc:  # nbformat raises several kinds of error for broken JSON
        raise ValueError(f"{path} is not a readable Jupyter notebook ({type(exc).__name__}: {exc}).") from exc


def parse_structure(nb: NotebookNode, lesson: str = "") -> LessonStructure:
    """Group a notebook's graded cells under the exercise headings that precede them."""
    title = ""
    exercises: list[Exercise] = []
    items: list[GradedItem] = []
    current: Exercise | None = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            if not title:
                m = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
                title = m.group(1).strip() if m else ""
            for m in EXERCISE_RE.finditer(cell.source):
                current = Exercise(int(m["number"]), m["title"], float(m["points"]))
                exercises.append(current)
        meta = nbgrader_meta(cell)
        if not meta.get("grade"):
            continue
        kind = "manual" if meta.get("solution") else "auto"
        description = first_line_docstring(cell.source) if kind == "auto" else "written answer"
        item = GradedItem(
            grade_id=meta.get("grade_id", f"cell-{index}"),
            points=float(meta.get("points", 0)),
            kind=kind,
            description=description,
            exercise=current.number if current else None,
            cell_index=index,
        )
        items.append(item)
        if current is not None:
            current.items.append(item)
    return LessonStructure(lesson=lesson, title=title, exercises=exercises, items=items)
