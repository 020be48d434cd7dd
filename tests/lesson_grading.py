"""Grade each lesson once per test worker and share the results between tests."""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from aipmlab.grading.contract import (
    Mutant,
    apply_mutants,
    cheat_notebook,
    load_mutants,
    run_mutants_in_kernel,
)
from aipmlab.grading.notebook import read_notebook, solution_path
from aipmlab.grading.runner import GradingCourse, SubmissionResult


@dataclass
class LessonGrading:
    lesson: str
    generated: nbformat.NotebookNode
    results: dict[str, SubmissionResult]
    mutants: list[Mutant]
    isolated: dict[str, dict[str, str]] = field(default_factory=dict)


@functools.cache
def grade_lesson(lesson: str) -> LessonGrading:
    """Generate the lesson, autograde the standard submissions, run every mutant in isolation."""
    course = GradingCourse([lesson])
    generated_path = course.generate(lesson)
    generated = read_notebook(generated_path)
    solution = read_notebook(solution_path(lesson))
    mutants = load_mutants(lesson)
    course.add_submission("solution", lesson, solution_path(lesson))
    course.add_submission("release", lesson, generated_path)
    course.add_submission("cheat", lesson, cheat_notebook(solution))
    if mutants:
        course.add_submission("mutants", lesson, apply_mutants(solution, mutants))
    results = course.autograde(lesson)
    workdir = Path(tempfile.mkdtemp(prefix=f"aipmlab-mutants-{lesson}-"))
    isolated = run_mutants_in_kernel(solution, mutants, workdir) if mutants else {}
    return LessonGrading(lesson, generated, results, mutants, isolated)


@functools.cache
def check_lesson_grades(lesson: str) -> dict[str, SubmissionResult]:
    """The solution, learner copy and mutants graded the way `make check` grades (prepared copy,
    nbgrader in-process), all three in one nbgrader run, for comparison with :func:`grade_lesson`."""
    from aipmlab.grading.check import check_course

    graded = grade_lesson(lesson)
    course = check_course(lesson)
    course.add_submission("solution", lesson, solution_path(lesson))
    course.add_submission("release", lesson, graded.generated)
    if graded.mutants:
        course.add_submission("mutants", lesson, apply_mutants(read_notebook(solution_path(lesson)), graded.mutants))
    return course.autograde_in_process(lesson)
