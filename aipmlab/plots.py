"""One plotting style for the whole course: readable, colour-blind safe (Okabe–Ito palette)."""

from __future__ import annotations

from typing import Any

#: Okabe & Ito (2008) colour-blind-safe palette, in the order the course uses it.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: Named roles so every lesson colours the same idea the same way.
ROLE_COLORS: dict[str, str] = {
    "model": PALETTE["blue"],
    "rules": PALETTE["orange"],
    "baseline": PALETTE["orange"],
    "good": PALETTE["green"],
    "bad": PALETTE["vermillion"],
    "threshold": PALETTE["black"],
    "neutral": "#7f7f7f",
}


def course_rc() -> dict[str, Any]:
    """The matplotlib settings of the course style (pure data, nothing is changed)."""
    from cycler import cycler

    return {
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 100,
        "axes.prop_cycle": cycler(color=list(PALETTE.values())),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "legend.frameon": False,
        "font.size": 10,
        "savefig.bbox": "tight",
    }


def use_course_style() -> None:
    """Apply the course style to matplotlib. Lesson setup cells call this once.

    >>> use_course_style()
    """
    import matplotlib as mpl

    mpl.rcParams.update(course_rc())


def color(role: str) -> str:
    """The colour for a role such as ``"model"``, ``"rules"``, ``"good"`` or ``"bad"``.

    >>> color("model")
    '#0072B2'
    """
    if not isinstance(role, str):
        raise TypeError(f"role must be a string such as 'model'; got {type(role).__name__}.")
    if role in ROLE_COLORS:
        return ROLE_COLORS[role]
    if role in PALETTE:
        return PALETTE[role]
    raise ValueError(f"Unknown colour role {role!r}; expected one of {sorted(ROLE_COLORS) + sorted(PALETTE)}.")
