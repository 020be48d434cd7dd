"""Submissions of lesson 00 that try to break grading, built from the released notebook.

Each case is a function ``(correct: NotebookNode) -> NotebookNode | bytes`` plus the points every
auto-graded cell must get. ``correct`` is the released learner copy with the solution code filled in,
as a learner who solved everything would submit it. The cases are generated, not stored, so they
follow lesson 00 when it changes; only the exercise names below tie them to the lesson.

Lesson 00's auto-graded cells (1 point each)::

    tickets_per_agent_value  tickets_per_agent_bad_input   (exercise 1, solution cell tickets_per_agent_solution)
    busiest_month_small_cases  busiest_month_on_basketly   (exercise 2, busiest_month_solution)
    decision_automation_target                             (exercise 3, automation_target_solution)
    which_question_answer                                  (exercise 4, which_question_solution)
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from aipmlab.grading.contract import CHEAT_PRELUDE, cheat_notebook
from aipmlab.grading.notebook import grade_id, read_notebook, release_path, solution_path

LESSON = "00-orientation"
AUTO = ("tickets_per_agent_value", "tickets_per_agent_bad_input", "busiest_month_small_cases",
        "busiest_month_on_basketly", "decision_automation_target", "which_question_answer")
EX1, EX2, EX3 = "tickets_per_agent_solution", "busiest_month_solution", "which_question_solution"
FULL = dict.fromkeys(AUTO, 1.0)
ZERO = dict.fromkeys(AUTO, 0.0)
MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.MULTILINE)
WRITTEN = ("Ticket volume climbs in November and December, well above the monthly average, so the team is most "
           "stretched when customers order most. I would check handle time and CSAT by intent for those months.")


def correct_submission(lesson: str = LESSON) -> NotebookNode:
    """The released notebook with every exercise solved (the solution code, without its markers)."""
    released = read_notebook(release_path(lesson))
    solution = {grade_id(c): c for c in read_notebook(solution_path(lesson)).cells if grade_id(c)}
    for cell in released.cells:
        gid = grade_id(cell)
        meta = cell.metadata.get("nbgrader", {})
        if gid and meta.get("solution"):
            source = MARKERS.sub("", solution[gid].source)
            cell.source = WRITTEN if cell.cell_type == "markdown" else source
    return released


def cell(nb: NotebookNode, gid: str) -> NotebookNode:
    for c in nb.cells:
        if grade_id(c) == gid:
            return c
    raise ValueError(f"Lesson {LESSON} has no cell with grade id {gid!r}; the hardening cases need updating.")


def index(nb: NotebookNode, gid: str) -> int:
    return nb.cells.index(cell(nb, gid))


def set_source(nb: NotebookNode, gid: str, source: str) -> NotebookNode:
    cell(nb, gid).source = source
    return nb


def prepend(nb: NotebookNode, gid: str, code: str) -> NotebookNode:
    c = cell(nb, gid)
    c.source = code.rstrip("\n") + "\n" + c.source
    return nb


# --- the cases -----------------------------------------------------------------------------------

def honest_full(nb):
    return nb


def honest_partial(nb):
    """Exercise 1 right, exercise 2 not attempted, exercise 3 wrong."""
    released = read_notebook(release_path(LESSON))
    set_source(nb, EX2, cell(released, EX2).source)
    return set_source(nb, EX3, "which_question = 2\n")


def always_equal(nb):
    """Always-equal objects and no-op comparison helpers, patched when the cell runs."""
    return cheat_notebook(nb)


def call_time_patches(nb):
    """The same cheat, but the helpers are patched only when a test calls the learner's function."""
    patch = CHEAT_PRELUDE.replace("\n", "\n    ")
    set_source(nb, EX1, f"def tickets_per_agent(*args, **kwargs):\n    {patch}\n    return _AlwaysEqual()\n")
    set_source(nb, EX2, f"def busiest_month(*args, **kwargs):\n    {patch}\n    return _AlwaysEqual()\n")
    return set_source(nb, EX3, f"{CHEAT_PRELUDE}\nwhich_question = _AlwaysEqual()\n")


def shadowed_builtins(nb):
    """Globals that shadow the built-ins the tests use (isinstance, abs, float, type), with wrong answers."""
    shadows = ("def isinstance(obj, cls):\n    return True\n\n"
               "def abs(x):\n    return 0.0\n\n"
               "def float(x=0.0):\n    return 0.0\n\n")
    set_source(nb, EX1, shadows + "def tickets_per_agent(tickets_per_month, agents):\n    return 'junk'\n")
    return set_source(nb, EX3, f"{CHEAT_PRELUDE}\ndef type(obj):\n    return int\n\nwhich_question = _AlwaysEqual()\n")


def patched_builtins_and_grader(nb):
    """Patches builtins.abs, fakes a partial-credit result, and hides tracebacks, all with wrong answers."""
    right = MARKERS.sub("", cell(read_notebook(solution_path(LESSON)), EX1).source)
    set_source(nb, EX1, "import builtins\nbuiltins.abs = lambda x: 0.0\n\n"
               + right.replace("return float(tickets_per_month / agents)", "return 0.0"))
    set_source(nb, EX2, "import sys\n\ndef busiest_month(tickets):\n"
                        "    sys.displayhook('full marks please')\n    return None\n")
    return set_source(nb, EX3, "get_ipython().showtraceback = lambda *args, **kwargs: None\nwhich_question = 2\n")


def exits(nb):
    """sys.exit() before exercise 2's answer, os._exit() in exercise 3."""
    prepend(nb, EX2, "import sys\nsys.exit()")
    return set_source(nb, EX3, "import os\nos._exit(1)\nwhich_question = 3\n")


def memory_bombs(nb):
    """A bomb the address-space cap stops (exercise 2), and child processes the watchdog stops (exercise 3)."""
    prepend(nb, EX2, "_hog = [bytearray(2**28) for _ in range(4096)]")
    return set_source(nb, EX3, (
        "import subprocess, sys, time\n"
        "_children = [subprocess.Popen([sys.executable, '-c', "
        "\"x = bytearray(b'\\\\x01') * (450 * 2**20); import time; time.sleep(120)\"]) for _ in range(4)]\n"
        "time.sleep(60)\nwhich_question = 3\n"))


def endless_flood(nb):
    """An infinite loop that floods output, in exercise 3."""
    return set_source(nb, EX3, "while True:\n    print('flood ' * 50)\n")


def stuck_loop(nb):
    """A loop that swallows the interrupt, in exercise 2."""
    return prepend(nb, EX2, "import time\nwhile True:\n    try:\n        time.sleep(0.01)\n"
                            "    except BaseException:\n        continue")


def finite_floods(nb):
    """Lots of output, but the answers are right."""
    prepend(nb, EX1, "for _i in range(200_000):\n    print(_i)")
    return prepend(nb, EX2, "print('x' * 5_000_000)")


def tampered(nb):
    """Edited, deleted, duplicated and renamed locked cells, and a deleted setup cell and written answer."""
    # Exercise 1: a wrong answer (floor division) whose value test was edited to pass, and a deleted bad-input test.
    set_source(nb, EX1, MARKERS.sub("", cell(read_notebook(solution_path(LESSON)), EX1).source)
               .replace("tickets_per_month / agents", "tickets_per_month // agents"))
    set_source(nb, "tickets_per_agent_value", "pass\n")
    del nb.cells[index(nb, "tickets_per_agent_bad_input")]
    # Exercise 2: a test cell duplicated above its exercise, another one given a new grade id.
    nb.cells.insert(index(nb, EX2), copy.deepcopy(cell(nb, "busiest_month_small_cases")))
    cell(nb, "busiest_month_on_basketly").metadata["nbgrader"]["grade_id"] = "my_own_cell"
    # The setup cell and the written answer deleted.
    del nb.cells[index(nb, "setup")]
    del nb.cells[index(nb, "first_look_answer")]
    return nb


def corrupt(nb):
    return json.dumps(nb)[: len(json.dumps(nb)) // 2].encode("utf-8")


def empty_file(nb):
    return b""


def no_cells(nb):
    nb.cells = []
    return nb


def wrong_kernel(nb):
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    return nb


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[NotebookNode], NotebookNode | bytes]
    expected: dict[str, float] | None  # None: nbgrader cannot grade it at all (zero, with an error)
    errors: dict[str, tuple[str, ...]] | None = None  # grade id -> acceptable error names


CASES = {c.name: c for c in [
    Case("honest_full", honest_full, FULL),
    Case("honest_partial", honest_partial, {**FULL, "busiest_month_small_cases": 0.0,
                                            "busiest_month_on_basketly": 0.0, "which_question_answer": 0.0}),
    Case("always_equal", always_equal, ZERO),
    Case("call_time_patches", call_time_patches, {**ZERO, "decision_automation_target": 1.0}),
    Case("shadowed_builtins", shadowed_builtins, {**FULL, "tickets_per_agent_value": 0.0,
                                                  "tickets_per_agent_bad_input": 0.0, "which_question_answer": 0.0,
                                                  "decision_automation_target": 0.0}),
    Case("patched_builtins_and_grader", patched_builtins_and_grader, {**ZERO, "tickets_per_agent_bad_input": 1.0,
                                                                      "decision_automation_target": 1.0}),
    Case("exits", exits, {**FULL, "busiest_month_small_cases": 0.0, "busiest_month_on_basketly": 0.0,
                          "which_question_answer": 0.0},
         {"which_question_answer": ("NameError",)}),
    Case("memory_bombs", memory_bombs, {**FULL, "busiest_month_small_cases": 0.0,
                                        "busiest_month_on_basketly": 0.0, "which_question_answer": 0.0},
         {"which_question_answer": ("NameError",)}),
    Case("endless_flood", endless_flood, {**FULL, "which_question_answer": 0.0}),
    Case("stuck_loop", stuck_loop, {**FULL, "busiest_month_small_cases": 0.0, "busiest_month_on_basketly": 0.0}),
    Case("finite_floods", finite_floods, FULL),
    Case("tampered", tampered, {**FULL, "tickets_per_agent_value": 0.0}),
    Case("corrupt", corrupt, None),
    Case("empty_file", empty_file, None),
    Case("no_cells", no_cells, ZERO),
    Case("wrong_kernel", wrong_kernel, FULL),
]}


def build(name: str) -> NotebookNode | bytes:
    """Build one case's submission (a notebook, or raw bytes for files that are not notebooks)."""
    if name not in CASES:
        raise ValueError(f"Unknown hardening case {name!r}; expected one of {sorted(CASES)}.")
    return CASES[name].build(correct_submission())


def to_bytes(submission: NotebookNode | bytes) -> bytes:
    return submission if isinstance(submission, bytes) else nbformat.writes(submission).encode("utf-8")


#: Test-only settings appended to the course config: short enough to keep the suite fast, long enough
#: for lesson 00's setup cell on a busy 2-core machine. The course itself keeps 60 s and 3 GB.
TEST_CONFIG = """
c.Execute.timeout = 20
c.HardenedExecute.memory_limit_mb = 1500
"""


def make_course(root, cases: list[str], learner=lambda case: case.replace("_", "-"), lesson: str = LESSON,
                config: str = TEST_CONFIG):
    """A throwaway nbgrader course folder holding ``lesson`` (00 unless told) and one submission per
    hardening case (cases are lesson 00's; pass none for another lesson and write its submissions)."""
    import shutil
    from pathlib import Path

    from aipmlab.paths import REPO_ROOT

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text((REPO_ROOT / "nbgrader_config.py").read_text() + config)
    shutil.copytree(REPO_ROOT / "solutions" / lesson, root / "solutions" / lesson)
    for case in cases:
        path = root / "submitted" / learner(case) / LESSON / f"{LESSON}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_bytes(build(case)))
    return root
