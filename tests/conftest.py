"""Shared fixtures. Lessons are discovered by listing solutions/, so a new lesson is tested without
editing any test. Expensive per-lesson work (nbgrader generate + autograde, mutant runs) happens
once per lesson: `make test` runs xdist with `--dist loadscope`, so one lesson's contract class and
one notebook's nbval cells each stay on a single worker."""

from __future__ import annotations

import os

import pytest

from aipmlab import llm
from aipmlab.grading.notebook import list_lessons

os.environ.setdefault("AIPMLAB_HEADLESS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# Tests never call a model, whatever the machine has configured (tests/test_llm.py lifts it per test).
os.environ["AIPMLAB_LLM_OFFLINE"] = "1"

LESSONS = list_lessons()



@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh HOME with no model configured and live calls allowed (make test sets the offline flag)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", llm.ENV_BASE_URL, llm.ENV_MODEL, llm.ENV_API_KEY,
                llm.ENV_TIMEOUT, llm.ENV_MAX_RETRIES, llm.ENV_CONFIG, llm.ENV_CACHE, llm.ENV_OFFLINE):
        monkeypatch.delenv(var, raising=False)
    return home
