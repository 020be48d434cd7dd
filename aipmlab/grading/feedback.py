"""Turn a graded cell's error into feedback that teaches, without ever showing test source.

Only the error's name and message are used, never its traceback: a traceback prints the lines of
the (hidden) test around the failure (nbgrader issue #917).
"""

from __future__ import annotations

from aipmlab.grading.runner import CellResult

MAX_MESSAGE = 600

FIXED_HINTS = {
    "NotImplementedError": "Not attempted yet: replace `raise NotImplementedError()` in the exercise cell with your code.",
    "CellTimeoutError": "The cell ran for longer than the time limit and was stopped. Look for a loop that never ends, "
    "or work repeated inside a loop.",
    "KeyboardInterrupt": "The cell ran for longer than the time limit and was interrupted. Look for a loop that never "
    "ends, or work repeated inside a loop.",
    "KernelUnresponsive": "The cell ran past the time limit and could not be interrupted, so Python was restarted. "
    "Look for a loop that never ends (and do not catch KeyboardInterrupt or use a bare `except:` inside it).",
    "DeadKernelError": "Python stopped while running this cell (often memory exhaustion or an exit call). "
    "Avoid building huge objects and never call sys.exit() or os._exit() in a lesson.",
    "KernelDied": "Python stopped while running this cell (often os._exit(), a crash, or memory exhaustion). "
    "Never call os._exit() or sys.exit() in a lesson; the cells after it were graded in a fresh Python.",
    "MemoryError": "Your code ran out of memory. Look for a structure that grows without bound, or a table "
    "or array far bigger than the data.",
    "MemoryLimitExceeded": "Your code used more memory than the grader allows, so Python was stopped. Look for a "
    "structure that grows without bound, or a table or array far bigger than the data.",
    "NotebookTimeout": "Not graded: the whole notebook ran past the grader's time limit before reaching this "
    "check. Make the slow cells faster (look for loops that never end).",
    "NotRun": "Not graded: Python had to be restarted too many times earlier in the notebook. Fix the cells "
    "that stop Python (exit calls, endless loops, memory exhaustion) first.",
    "NotGraded": "Not graded: the grader could not execute this notebook or confirm its results, so its "
    "checks score zero. Make sure it opens and runs top to bottom in JupyterLab, then submit it again.",
    "GradingIntegrityError": "This check could not be trusted: your notebook removed or replaced part of the "
    "grader. Remove code that changes Python's built-ins, sys.modules or the notebook machinery.",
}


def explain_error(ename: str, evalue: str) -> str:
    """A teaching message for one error, from its name and message only (never its traceback)."""
    evalue = (evalue or "").strip()
    if ename.endswith("MemoryError"):  # numpy raises _ArrayMemoryError
        ename = "MemoryError"
    if ename == "AssertionError":
        message = evalue or "A check failed (no further detail)."
    elif FIXED_HINTS.get(ename):
        message = FIXED_HINTS[ename]
    elif ename == "NameError":
        message = (f"{evalue}. The test needs a name your notebook does not define: keep the function and variable "
                   "names you were given, and make sure the cell that defines them runs without error.")
    elif ename == "SystemExit":
        message = "Your code called sys.exit() or exit(); remove it, a lesson must run to the end."
    elif ename:
        # The error may come from the learner's function, from the setup of the check, or from a
        # bad-input check that expected another exception: say only what is known.
        message = (f"{ename} was raised during this check: {evalue}. Run the exercise's worked example and the "
                   "cells above it; if your function raised it, check which inputs the exercise says it must "
                   "accept and which it must reject, and with which exception.")
    else:
        message = "This check did not pass (it failed without raising an error message)."
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return message


def explain(cell: CellResult) -> str:
    """One message for a failed auto-graded cell: the test's teaching message, or a hint about the error."""
    return explain_error(cell.ename, cell.evalue)
