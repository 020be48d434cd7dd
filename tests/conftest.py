"""Shared fixtures. Lessons are discovered by listing solutions/, so a new lesson is tested without
editing any test. Expensive per-lesson work (nbgrader generate + autograde, mutant runs) happens
once per lesson: `make test` runs xdist with `--dist loadscope`, so one lesson's contract class and
one notebook's nbval cells each stay on a single worker."""

from __future__ import annotations

import os

from aipmlab.grading.notebook import list_lessons

os.environ.setdefault("AIPMLAB_HEADLESS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# Tests never call a model, whatever the machine has configured (tests/test_llm.py lifts it per test).
os.environ["AIPMLAB_LLM_OFFLINE"] = "1"

LESSONS = list_lessons()

