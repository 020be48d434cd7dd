"""Where the course's files live, resolved from this package and never from the working directory.

Lessons are executed from many folders (``notebooks/NN-slug``, nbgrader's ``autograded/<student>/...``,
temporary grading folders), so every path is built from ``__file__``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: the folder that holds ``aipmlab/``, ``assets/`` and ``solutions/``.
REPO_ROOT: Path = Path(__file__).resolve().parent.parent
#: ``assets/``; can be overridden with the ``AIPMLAB_ASSETS`` environment variable (tests use this).
ASSETS_DIR: Path = Path(os.environ.get("AIPMLAB_ASSETS", REPO_ROOT / "assets")).resolve()
DATA_DIR: Path = ASSETS_DIR / "data"
IMG_DIR: Path = ASSETS_DIR / "img"


def asset_path(*parts: str, must_exist: bool = True) -> Path:
    """Return the path of a file under ``assets/``.

    >>> asset_path("data", "tickets.csv").name
    'tickets.csv'
    """
    if not parts:
        raise ValueError("asset_path() needs at least one path part, e.g. asset_path('data', 'tickets.csv').")
    for part in parts:
        if not isinstance(part, str):
            raise TypeError(f"asset_path() parts must be strings; got {type(part).__name__}: {part!r}.")
        if part in ("", "..") or os.path.isabs(part):
            raise ValueError(f"asset_path() parts must be plain relative names inside assets/; got {part!r}.")
    path = ASSETS_DIR.joinpath(*parts)
    if must_exist and not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist. The course ships all its data in assets/; "
            "if you deleted a file, restore it with `git checkout -- assets/`."
        )
    return path
