"""`make lab` really serves the course (checked headless through the contents API, no browser needed)."""

from __future__ import annotations

import os

import psutil
import pytest

from aipmlab.grading.notebook import NOTEBOOKS_DIR, list_lessons
from aipmlab.paths import REPO_ROOT
from e2e.labserver import api_get, free_port, new_token, running_server

pytestmark = pytest.mark.slow


def test_make_lab_serves_the_course(tmp_path):
    port, token = free_port(), new_token()
    base = f"http://127.0.0.1:{port}"
    cmd = ["make", "--no-print-directory", "lab", f"LAB_PORT={port}",
           f"LAB_ARGS=--no-browser --ip=127.0.0.1 --IdentityProvider.token={token}"]
    with running_server(cmd, base, token, tmp_path / "lab.log", cwd=REPO_ROOT) as proc:
        listing = api_get(base, token, "/api/contents/notebooks")
        served = sorted(item["name"] for item in listing["content"] if item["type"] == "directory")
        assert served == list_lessons(NOTEBOOKS_DIR), f"`make lab` should serve every lesson in notebooks/; it served {served}."
        pid = proc.pid
        lesson = api_get(base, token, "/api/contents/notebooks/00-orientation/00-orientation.ipynb")
        assert lesson["type"] == "notebook", "The served lesson 00 should open as a notebook."
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, (
        "`make lab` was still running after the test stopped it."
    )
    if os.geteuid() == 0:
        assert "--allow-root" in (REPO_ROOT / "Makefile").read_text(), "As root, `make lab` must pass --allow-root."
