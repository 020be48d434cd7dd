"""Widgets that let a learner move a trade-off, and fall back to a static figure when run headless.

In JupyterLab, :func:`explore` shows sliders and redraws on every move. When a lesson is executed
without a browser (autograding, ``make check``, CI), there is nobody to move a slider and widget
output would be lost in the widget state, so the function is simply called once with the default
values and its figure lands in the notebook as ordinary output.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

HEADLESS_ENV = "AIPMLAB_HEADLESS"


def is_headless() -> bool:
    """True when lessons run without a browser (grading, tests): ``AIPMLAB_HEADLESS=1`` is set."""
    return os.environ.get(HEADLESS_ENV, "") not in ("", "0", "false", "False")


def explore(fn: Callable[..., Any], **controls: Any) -> None:
    """Show ``fn`` with a widget per keyword argument, or call it once when headless.

    It returns nothing, so a cell that ends with ``explore(...)`` shows the controls once.

    Each control must be an ipywidgets value widget (``IntSlider``, ``FloatSlider``, ``Dropdown`` ...)
    whose ``value`` is the default.

    >>> from ipywidgets import FloatSlider
    >>> explore(lambda t: None, t=FloatSlider(value=0.5, min=0, max=1))  # doctest: +SKIP
    """
    import ipywidgets

    if not callable(fn):
        raise TypeError(f"explore() needs a function to redraw; got {type(fn).__name__}.")
    if not controls:
        raise ValueError("explore() needs at least one control, e.g. threshold=FloatSlider(value=0.5, min=0, max=1).")
    for name, widget in controls.items():
        if not isinstance(widget, ipywidgets.ValueWidget):
            raise TypeError(
                f"Control {name!r} must be an ipywidgets value widget such as FloatSlider(...); "
                f"got {type(widget).__name__}."
            )
    if is_headless():
        fn(**{name: widget.value for name, widget in controls.items()})
        return
    from IPython.display import display

    display(ipywidgets.interactive(fn, **controls))
