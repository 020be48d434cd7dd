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
    "DeadKernelError": "Python stopped while running this cell (often memory exhaustion or an exit call). "
    "Avoid building huge objects and never call sys.exit() or os._exit() in a lesson.",
    "MemoryError": "Your code ran out of memory. Look for a structure that grows without bound.",
    "KernelDied": "Python stopped while running this cell (often memory exhaustion or an exit call).",
}


def explain(cell: CellResult) -> str:
    """One message for a failed auto-graded cell: the test's teaching message, or a hint about the error."""
    ename, evalue = cell.ename, (cell.evalue or "").strip()
    if ename == "AssertionError":
        message = evalue or "A check failed (no further detail)."
    elif ename in FIXED_HINTS:
        message = FIXED_HINTS[ename]
    elif ename == "NameError":
        message = (f"{evalue}. The test needs a name your notebook does not define: keep the function and variable "
                   "names you were given, and make sure the cell that defines them runs without error.")
    elif ename == "SystemExit":
        message = "Your code called sys.exit() or exit(); remove it, a lesson must run to the end."
    elif ename:
        message = (f"Your code raised {ename}: {evalue}. The test called it with valid input; "
                   "check that your function handles it.")
    else:
        message = "This check did not pass (it failed without raising an error message)."
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return message
