"""The environment check that every lesson's setup cell runs."""

from __future__ import annotations

import sys
from importlib import metadata

from aipmlab.paths import DATA_DIR, REPO_ROOT


#: Packages a lesson needs, mapped to the version pinned in requirements.txt.
def pinned_versions() -> dict[str, str]:
    """Read the exact pins from requirements.txt (``name==version`` lines)."""
    pins: dict[str, str] = {}
    req = REPO_ROOT / "requirements.txt"
    for line in req.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def check_environment(packages: list[str] | tuple[str, ...] = ("numpy", "pandas", "matplotlib", "ipywidgets"),
                      verbose: bool = True) -> dict[str, str]:
    """Check that Python and the given packages match the course's pins; raise if they do not.

    Returns ``{package: installed_version}``. Raises ``RuntimeError`` with instructions when a
    package is missing or at a different version than ``requirements.txt`` pins, because a
    different version can change numbers the lesson states.

    >>> check_environment(["numpy"], verbose=False)["numpy"] == pinned_versions()["numpy"]
    True
    """
    if isinstance(packages, str) or not all(isinstance(p, str) for p in packages):
        raise TypeError(f"packages must be a list of package names; got {packages!r}.")
    problems: list[str] = []
    if sys.version_info[:2] != (3, 11):
        problems.append(f"Python {sys.version.split()[0]} is running; the course needs Python 3.11.")
    pins = pinned_versions()
    found: dict[str, str] = {}
    for name in packages:
        key = name.lower()
        if key not in pins:
            raise ValueError(f"{name!r} is not a course dependency; pinned packages are: {', '.join(sorted(pins))}.")
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} is not installed (the course pins {pins[key]}).")
            continue
        if found[name] != pins[key]:
            problems.append(f"{name} {found[name]} is installed; the course pins {pins[key]}.")
    if not DATA_DIR.is_dir():
        problems.append(f"The course data folder {DATA_DIR} is missing.")
    if problems:
        raise RuntimeError(
            "Your environment does not match the course:\n  - " + "\n  - ".join(problems)
            + "\nFix: from the repository root run `make lab` (it builds .venv from requirements.txt), "
            "and pick the 'Python 3 (ipykernel)' kernel."
        )
    if verbose:
        listed = ", ".join(f"{k} {v}" for k, v in found.items())
        print(f"Environment OK: Python {sys.version.split()[0]}, {listed}.")
    return found
