"""Shared fixtures. Lessons are discovered by listing solutions/, so a new lesson is tested without
editing any test. Expensive per-lesson work (nbgrader generate + autograde, mutant runs) happens
once per lesson: tests of one lesson share an xdist group, so they land on the same worker."""

from __future__ import annotations

import os

import pytest

from aipmlab.grading.notebook import list_lessons

os.environ.setdefault("AIPMLAB_HEADLESS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

LESSONS = list_lessons()


def lesson_params(lessons=None):
    """Parametrise a test by lesson, keeping each lesson's tests on one xdist worker."""
    return [pytest.param(lesson, id=lesson, marks=pytest.mark.xdist_group(lesson)) for lesson in (lessons or LESSONS)]
