"""Widgets that let a learner move a trade-off, and fall back to a static figure when run headless.

In JupyterLab, :func:`explore` shows sliders and redraws on every move. When a lesson is executed
without anyone to move a slider (``jupyter nbconvert --execute``, papermill, autograding,
``make check``, CI), widget output would be lost in the widget state, so the function is simply
called once with the default values and its figure lands in the notebook as ordinary output.

Headless is detected on its own: no notebook kernel at all (plain Python), or a kernel driven by a
runner that cannot take input (nbclient, nbconvert, nbgrader, papermill and nbval send each cell
with ``allow_stdin`` false; JupyterLab, Notebook and VS Code send it true). The environment
variable ``AIPMLAB_HEADLESS`` overrides the detection: ``1`` always draws once, ``0`` always shows
the sliders (for a front end that renders widgets but runs cells without input, such as Voila).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

HEADLESS_ENV = "AIPMLAB_HEADLESS"


def is_headless() -> bool:
    """True when nobody can move a slider here, so :func:`explore` draws once with the defaults.

    ``AIPMLAB_HEADLESS=1`` (set by ``make test``, ``make check`` and grading) forces it on and
    ``AIPMLAB_HEADLESS=0`` forces it off; otherwise it is True outside a notebook kernel and in a
    kernel whose current cell was sent by a runner that cannot take input (``allow_stdin`` false).

    >>> import os
    >>> os.environ.get("AIPMLAB_HEADLESS") not in (None, "", "0") and is_headless()  # doctest: +SKIP
    True
    """
    value = os.environ.get(HEADLESS_ENV, "").strip().lower()
    if value in ("0", "false", "no", "off"):
        return False
    if value:
        return True
    return not frontend_attached()


def frontend_attached() -> bool:
    """True when the running cell came from a front end a person uses (JupyterLab, Notebook, VS Code).

    Such front ends send execute requests with ``allow_stdin`` true, so ``input()`` works; notebook
    runners (nbclient, nbconvert, nbgrader, papermill, nbval) send it false. Outside an IPython
    kernel (plain Python, a terminal IPython) there is no front end to draw widgets at all.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return False
    return bool(getattr(kernel, "_allow_stdin", True))


def explore(fn: Callable[..., Any], **controls: Any) -> None:
    """Show ``fn`` with a widget per keyword argument, or call it once when headless (see :func:`is_headless`).

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
