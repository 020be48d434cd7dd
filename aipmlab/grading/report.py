"""Item analysis of a graded cohort: which exercises work, and which ones an instructor should fix.

    make report LESSON=00-orientation
    python -m aipmlab.grading.report 00-orientation --course-dir /path/to/course

For each graded item (each auto-graded test cell and each written answer) of one lesson, from the
course's ``gradebook.db``:

* **difficulty**: the mean share of the item's points that learners earned (1.0: everyone got
  everything; classical test theory calls this the item's p-value);
* **discrimination**: the corrected item–total correlation, i.e. the Pearson correlation between the
  item's points and each learner's points on the *other* items. Learners who do well overall should
  do well on a good item, so it should be positive.

Items are flagged when everyone fails them (difficulty 0: a broken test or an unteachable exercise),
nobody fails them (difficulty 1: the test checks nothing), or their discrimination is negative
(strong learners fail it more often than weak ones: often an ambiguous instruction or a test that
rejects a valid answer). The course practises its own data loop: look at the flagged items, fix the
lesson or its tests, and check again with the next cohort.

Submissions nbgrader could not grade are left out, and so are written answers that are not graded
yet. Output: a table, ``reports/<lesson>/item-analysis.csv`` and ``reports/<lesson>/item-analysis.png``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aipmlab.paths import REPO_ROOT

MIN_LEARNERS = 3
FLAG_ALL_FAIL = "everyone fails"
FLAG_NONE_FAIL = "nobody fails"
FLAG_NEGATIVE = "negative discrimination"


@dataclass
class ItemStats:
    item: str
    label: str
    max_points: float
    n: int
    difficulty: float
    discrimination: float  # NaN when it cannot be computed (no variance, too few learners)
    flags: list[str]


def _check_matrix(scores: Mapping[str, Mapping[str, float | None]], max_points: Mapping[str, float]) -> list[str]:
    if not isinstance(scores, Mapping) or not isinstance(max_points, Mapping):
        raise TypeError(f"scores and max_points must be mappings; got {type(scores).__name__} and "
                        f"{type(max_points).__name__}.")
    items = list(max_points)
    for item, mx in max_points.items():
        if isinstance(mx, bool) or not isinstance(mx, (int, float)) or not mx > 0:
            raise ValueError(f"max_points[{item!r}] must be a positive number; got {mx!r}.")
    for learner, row in scores.items():
        if not isinstance(row, Mapping):
            raise TypeError(f"scores[{learner!r}] must map item -> points; got {type(row).__name__}.")
        for item, value in row.items():
            if item not in max_points:
                raise ValueError(f"scores[{learner!r}] has item {item!r}, which is not in max_points {items}.")
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"scores[{learner!r}][{item!r}] must be a number or None; got {value!r}.")
            if not 0 <= value <= max_points[item] + 1e-9:
                raise ValueError(f"scores[{learner!r}][{item!r}] = {value} is outside 0..{max_points[item]}.")
    return items


def pearson(x: list[float], y: list[float]) -> float:
    """Pearson correlation; NaN when either side has no variance or there are fewer than 3 pairs."""
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length; got {len(x)} and {len(y)}.")
    n = len(x)
    if n < MIN_LEARNERS:
        return math.nan
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 1e-12 or syy <= 1e-12:
        return math.nan
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / math.sqrt(sxx * syy)


def item_flags(difficulty: float, discrimination: float) -> list[str]:
    """The reasons an instructor should look at an item."""
    flags = []
    if difficulty <= 1e-9:
        flags.append(FLAG_ALL_FAIL)
    elif difficulty >= 1 - 1e-9:
        flags.append(FLAG_NONE_FAIL)
    if not math.isnan(discrimination) and discrimination < 0:
        flags.append(FLAG_NEGATIVE)
    return flags


def item_statistics(scores: Mapping[str, Mapping[str, float | None]], max_points: Mapping[str, float],
                    labels: Mapping[str, str] | None = None) -> list[ItemStats]:
    """Difficulty and corrected item–total discrimination of each item.

    ``scores`` maps each learner to ``{item: points or None}`` (None: not graded yet). The rest score
    of a learner for item j sums the items that every learner has a score for, except j itself.

    >>> s = {"a": {"q1": 1, "q2": 1}, "b": {"q1": 1, "q2": 0}, "c": {"q1": 0, "q2": 0}}
    >>> [(i.item, round(i.difficulty, 2)) for i in item_statistics(s, {"q1": 1, "q2": 1})]
    [('q1', 0.67), ('q2', 0.33)]
    """
    items = _check_matrix(scores, max_points)
    labels = dict(labels or {})
    learners = sorted(scores)

    def value(learner: str, item: str) -> float | None:
        v = scores[learner].get(item)
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    complete = [i for i in items if learners and all(value(learner, i) is not None for learner in learners)]
    out = []
    for item in items:
        scored = [learner for learner in learners if value(learner, item) is not None]
        if not scored:
            out.append(ItemStats(item, labels.get(item, item), float(max_points[item]), 0, math.nan, math.nan,
                                 ["not graded yet"]))
            continue
        mx = float(max_points[item])
        difficulty = sum(value(learner, item) / mx for learner in scored) / len(scored)
        others = [i for i in complete if i != item]
        if others:
            x = [value(learner, item) for learner in scored]
            rest = [sum(value(learner, i) for i in others) for learner in scored]
            discrimination = pearson(x, rest)
        else:
            discrimination = math.nan
        out.append(ItemStats(item, labels.get(item, item), mx, len(scored), difficulty, discrimination,
                             item_flags(difficulty, discrimination)))
    return out


# --- reading a course ---------------------------------------------------------------------------------

def load_scores(course_dir: str | Path, lesson: str) -> tuple[dict[str, dict[str, float | None]], dict[str, float],
                                                              dict[str, str]]:
    """Per-learner, per-item points of ``lesson`` from the course gradebook (graded submissions only)."""
    from nbgrader.api import Gradebook, MissingEntry

    from aipmlab.grading.notebook import parse_structure, read_notebook
    from aipmlab.grading.runner import COURSE_ID

    course_dir = Path(course_dir)
    db = course_dir / "gradebook.db"
    if not db.is_file():
        raise ValueError(f"No gradebook at {db}: grade the cohort first (make grade LESSON={lesson}).")
    structure = parse_structure(read_notebook(course_dir / "solutions" / lesson / f"{lesson}.ipynb"), lesson)
    max_points = {i.grade_id: i.points for i in structure.items if i.points > 0}
    labels = {}
    for i in structure.items:
        what = i.description if i.kind == "auto" else "written answer"
        labels[i.grade_id] = f"Ex {i.exercise}: {what}" if i.exercise is not None else what
    scores: dict[str, dict[str, float | None]] = {}
    with Gradebook(f"sqlite:///{db}", course_id=COURSE_ID) as gb:
        try:
            gb.find_assignment(lesson)
        except MissingEntry:
            raise ValueError(f"The gradebook has no lesson {lesson!r}: grade it first (make grade LESSON={lesson}).") from None
        for student in gb.students:
            try:
                sub = gb.find_submission_notebook(lesson, lesson, student.id)
            except MissingEntry:
                continue
            graded_nb = course_dir / "autograded" / student.id / lesson / f"{lesson}.ipynb"
            if not graded_nb.is_file() or '"ename": "NotGraded"' in graded_nb.read_text(encoding="utf-8"):
                continue  # nbgrader could not grade it (the cohort grader recorded a zero): not evidence about the items
            row: dict[str, float | None] = {}
            for g in sub.grades:
                if g.name not in max_points:
                    continue
                pending = g.auto_score is None and g.manual_score is None
                row[g.name] = None if pending else float(g.score)
            scores[student.id] = row
    return scores, max_points, labels


def plot_items(stats: list[ItemStats], path: Path, title: str) -> Path:
    """Difficulty against discrimination, one labelled point per item, flagged items in red."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from aipmlab.plots import color, course_rc

    with plt.rc_context(course_rc()):
        fig, ax = plt.subplots(figsize=(8, 5))
        for s in stats:
            if math.isnan(s.difficulty):
                continue
            y = 0.0 if math.isnan(s.discrimination) else s.discrimination
            marker = "x" if math.isnan(s.discrimination) else "o"
            ax.scatter([s.difficulty], [y], color=color("bad") if s.flags else color("model"), marker=marker, s=60)
            ax.annotate(s.item, (s.difficulty, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
        ax.axhline(0, color=color("threshold"), linewidth=1)
        ax.axhspan(-1.05, 0, color=color("bad"), alpha=0.06)
        ax.set_xlim(-0.05, 1.1)
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlabel("difficulty: mean share of points earned (0 = everyone fails, 1 = nobody fails)")
        ax.set_ylabel("discrimination (corrected item–total r)")
        ax.set_title(title)
        ax.text(0.01, 0.02, "red: flagged   x: no variance, r undefined", transform=ax.transAxes, fontsize=8)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
        plt.close(fig)
    return path


def format_table(stats: list[ItemStats], lesson: str, learners: int) -> str:
    lines = [f"Item analysis of {lesson}: {learners} graded submissions", "",
             f"{'item':<32} {'points':>6} {'n':>4} {'difficulty':>10} {'discrimination':>14}  flags", "-" * 96]
    for s in stats:
        diff = "—" if math.isnan(s.difficulty) else f"{s.difficulty:.2f}"
        disc = "—" if math.isnan(s.discrimination) else f"{s.discrimination:+.2f}"
        lines.append(f"{s.item:<32} {s.max_points:>6g} {s.n:>4} {diff:>10} {disc:>14}  {', '.join(s.flags)}")
    flagged = [s for s in stats if s.flags and s.flags != ["not graded yet"]]
    lines.append("")
    if learners < MIN_LEARNERS:
        lines.append(f"Only {learners} graded submission(s): discrimination needs at least {MIN_LEARNERS}.")
    lines.append(f"{len(flagged)} item(s) to look at." if flagged else "No item is flagged.")
    return "\n".join(lines)


def write_csv(stats: list[ItemStats], path: Path) -> Path:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["item", "label", "max_points", "n", "difficulty", "discrimination", "flags"])
        for s in stats:
            w.writerow([s.item, s.label, f"{s.max_points:g}", s.n,
                        "" if math.isnan(s.difficulty) else f"{s.difficulty:.4f}",
                        "" if math.isnan(s.discrimination) else f"{s.discrimination:.4f}", "; ".join(s.flags)])
    return path


def report(lesson: str, course_dir: str | Path = REPO_ROOT, out_dir: str | Path | None = None) -> tuple[str, Path, Path]:
    """Compute, print-format and save the item analysis; return (table, csv path, figure path)."""
    scores, max_points, labels = load_scores(course_dir, lesson)
    if not scores:
        raise ValueError(f"No graded submissions of {lesson} in {course_dir}: run `make grade LESSON={lesson}` first.")
    stats = item_statistics(scores, max_points, labels)
    out = Path(out_dir) if out_dir else Path(course_dir) / "reports" / lesson
    csv_path = write_csv(stats, out / "item-analysis.csv")
    fig_path = plot_items(stats, out / "item-analysis.png", f"{lesson}: item analysis ({len(scores)} learners)")
    return format_table(stats, lesson, len(scores)), csv_path, fig_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aipmlab.grading.report",
                                     description="Item analysis (difficulty, discrimination) of a graded lesson.")
    parser.add_argument("lesson", help="lesson slug, e.g. 00-orientation")
    parser.add_argument("--course-dir", default=str(REPO_ROOT), help="the nbgrader course folder (default: repo root)")
    args = parser.parse_args(argv)
    try:
        table, csv_path, fig_path = report(args.lesson, args.course_dir)
    except (ValueError, TypeError) as exc:
        print(f"make report: {exc}", file=sys.stderr)
        return 2
    print(table)
    print(f"\ntable:  {csv_path}\nfigure: {fig_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
