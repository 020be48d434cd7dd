"""The helper package, the generator and the tests stay lint-clean (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aipmlab.paths import REPO_ROOT


def test_ruff_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    proc = subprocess.run([str(ruff), "check", "aipmlab", "tests", "assets/generator"], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"ruff found problems (run `make lint` to see them):\n{proc.stdout[-3000:]}"
