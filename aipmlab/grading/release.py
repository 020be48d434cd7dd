"""Regenerate the learner notebooks (``notebooks/``) from the instructor sources (``solutions/``).

    make release                 # every lesson
    python -m aipmlab.grading.release 03-prototype-first

Generation runs plain ``nbgrader generate_assignment`` in a private course folder, so the
repository never collects a stray ``gradebook.db``; the test suite uses the same function to prove
the committed ``notebooks/`` are exactly what nbgrader generates.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from aipmlab.grading.notebook import NOTEBOOKS_DIR, list_lessons
from aipmlab.grading.runner import GradingCourse


def generate_release(lessons: list[str], dest: Path) -> dict[str, Path]:
    """Generate learner copies of ``lessons`` into ``dest/<lesson>/``; return their paths."""
    course = GradingCourse(lessons)
    out: dict[str, Path] = {}
    for lesson in lessons:
        generated = course.generate(lesson)
        target = Path(dest) / lesson
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(generated.parent, target)
        out[lesson] = target / generated.name
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate notebooks/ from solutions/ with nbgrader.")
    parser.add_argument("lessons", nargs="*", help="lesson slugs (default: all lessons in solutions/)")
    args = parser.parse_args(argv)
    lessons = args.lessons or list_lessons()
    unknown = sorted(set(lessons) - set(list_lessons()))
    if unknown:
        parser.error(f"unknown lesson(s) {unknown}; lessons are {list_lessons()}")
    for lesson, path in generate_release(lessons, NOTEBOOKS_DIR).items():
        print(f"released {lesson} -> {path.relative_to(NOTEBOOKS_DIR.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
