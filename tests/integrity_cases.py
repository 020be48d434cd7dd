"""Submissions written to attack the grader itself, one family each (issue: grading integrity).

Two kinds of attack live here, each graded in a cohort beside honest learners:

* **Escapes** (lesson 00, the first block of ``ATTACKS``): each answers lesson 00 correctly, so any
  points it loses are the grader's doing. An attack that reaches something it must not (a file
  outside its submission, another process, the network) gives itself away: it then answers
  *wrongly* on purpose, so a full score proves the sandbox held. The course folder's path is
  written into the attacks, as a learner who knows the instructor's layout would.
* **Verdicts** (issue 18: "verdicts out of reach"): each answers some exercises *wrongly* with a
  realistic mistake (most are the lesson's own mutants, tests/mutants/), then tries to make the
  failing tests pass anyway: by patching the libraries a hidden test compares against, rebinding
  the data or helpers a test reads, rewriting test cells before they run, hiding the failure,
  faking exception classes, or reading the expected values out of the running test. Its expected
  points are those the wrong answers earn honestly, so any extra point is a successful cheat.
  Lesson 00's are in ``ATTACKS``; lesson 06's (whose hidden tests compare with scikit-learn,
  statsmodels and scipy) in ``VERDICT_ATTACKS_06``, graded by tests/test_integrity_verdicts.py.
  Each builder takes ``cheat=False`` to build the same wrong answers without the cheat: the control
  that shows the expected points are what those answers honestly earn.
"""

from __future__ import annotations

import functools
import re

from hardening_cases import (
    EX1,
    EX2,
    EX3,
    FULL,
    LESSON,
    MARKERS,
    ZERO,
    cell,
    correct_submission,
    prepend,
    set_source,
)
from nbformat import NotebookNode
from nbformat.v4 import new_output

from aipmlab.grading.contract import cheat_notebook, load_mutants
from aipmlab.grading.notebook import grade_id, read_notebook, release_path, solution_path

ORPHAN_MARK = "aipmlab-orphan-7f3c"


def _escape_check(course: str) -> str:
    """Code that sets ``_escaped`` to a list of everything the kernel could reach and must not."""
    from aipmlab.paths import REPO_ROOT

    return f'''
import os, socket, glob
_escaped = []
for _path in [{str(REPO_ROOT / "solutions" / "00-orientation" / "00-orientation.ipynb")!r},
              {str(REPO_ROOT / "tests" / "hardening_cases.py")!r}, {course + "/gradebook.db"!r},
              {course + "/solutions/00-orientation/00-orientation.ipynb"!r}, "/root/.bash_history", "/etc/shadow"]:
    try:
        with open(_path, "rb") as _fh:
            _fh.read(16)
        _escaped.append("read " + _path)
    except OSError:
        pass
_escaped += ["saw " + _p for _p in glob.glob({course + "/submitted/*"!r})]
for _path in [{course + "/owned.txt"!r}, {str(REPO_ROOT / "owned.txt")!r}, "/work/owned.txt", "/usr/owned.txt"]:
    try:
        with open(_path, "w") as _fh:
            _fh.write("owned")
        _escaped.append("wrote " + _path)
    except OSError:
        pass
for _addr in [("127.0.0.1", 22), ("127.0.0.1", 8888), ("1.1.1.1", 53)]:
    try:
        socket.create_connection(_addr, timeout=0.5).close()
        _escaped.append("connected %s" % (_addr,))
    except OSError:
        pass
'''


def reads_and_writes_beyond(nb: NotebookNode, course: str) -> NotebookNode:
    """Filesystem: read the solution, the tests, the gradebook, others' submissions; write outside; network."""
    return set_source(nb, EX3, _escape_check(course)
                      + "which_question = 3 if not _escaped else 2\nprint(_escaped)\n")


def answer_from_the_solution_file(nb: NotebookNode, course: str) -> NotebookNode:
    """Reading the test: takes exercise 3's answer from the solution notebook on disk (wrong otherwise)."""
    from aipmlab.paths import REPO_ROOT

    path = REPO_ROOT / "solutions" / "00-orientation" / "00-orientation.ipynb"
    return set_source(nb, EX3, f'''
import re
try:
    _text = open({str(path)!r}).read()
    which_question = int(re.search(r"which_question = (\\\\d)", _text).group(1))
except OSError:
    which_question = 2
''')


def signals_everyone(nb: NotebookNode, course: str) -> NotebookNode:
    """Processes: signal every process it can see, its process group and its parent, then answer right."""
    return prepend(nb, EX3, '''
import os, signal
_hits = []
for _pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    if _pid != os.getpid():
        for _sig in (signal.SIGSTOP, signal.SIGKILL):
            try:
                os.kill(_pid, _sig)
                _hits.append(_pid)
            except OSError:
                pass
for _call in (lambda: os.killpg(os.getpgid(0), signal.SIGCONT), lambda: os.kill(os.getppid(), signal.SIGKILL)):
    try:
        _call()
    except OSError:
        pass
print("signalled", _hits)''')


def leaves_processes(nb: NotebookNode, course: str) -> NotebookNode:
    """Processes: daemons in new sessions and a double fork, meant to outlive grading."""
    return prepend(nb, EX3, f'''
import os, subprocess, sys
for _i in range(3):
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(900)  # {ORPHAN_MARK}"],
                     start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(900)  # {ORPHAN_MARK}"])
    os._exit(0)''')


def exhausts_resources(nb: NotebookNode, course: str) -> NotebookNode:
    """Resources: fills its disk and /tmp, then forks until the process cap stops it; answers right."""
    prepend(nb, EX2, '''
import os
_chunk = b"x" * (64 * 2**20)
for _folder in (".", "/tmp", "/dev/shm"):
    try:
        with open(os.path.join(_folder, "fill.bin"), "wb") as _fh:
            for _ in range(64):
                _fh.write(_chunk)
    except OSError as _exc:
        print("disk full:", type(_exc).__name__)''')
    return prepend(nb, EX3, f'''
import os, time
_kids = 0
try:
    for _ in range(5000):
        if os.fork() == 0:
            time.sleep(900)  # {ORPHAN_MARK}
            os._exit(0)
        _kids += 1
except OSError as _exc:
    print("process cap reached after", _kids, type(_exc).__name__)''')


def forges_results(nb: NotebookNode, course: str) -> NotebookNode:
    """Forged results: wrong answers, test cells carrying passing outputs, fake worker messages."""
    set_source(nb, EX1, "def tickets_per_agent(tickets_per_month, agents):\n    return 0.0\n")
    for gid in ("tickets_per_agent_value", "tickets_per_agent_bad_input"):
        c = cell(nb, gid)
        c.outputs = [new_output("stream", name="stdout", text="all tests passed\n")]
        c.execution_count = 1
        c.metadata["nbgrader"]["points"] = 100
    return prepend(nb, EX3, '''
import os, sys
for _learner in ("forges-results", "honest-partial", "honest-full"):
    _line = "@@aipmlab done %s\\n@@aipmlab-local done %s\\n@@aipmlab autograded 0\\n" % (_learner, _learner)
    print(_line)
    sys.__stdout__.write(_line)
    for _fd in ("/proc/1/fd/1", "/proc/self/fd/1", "/dev/stdout", "/dev/tty"):
        try:
            with open(_fd, "w") as _fh:
                _fh.write(_line)
        except OSError:
            pass''')


def tests_turned_to_markdown(nb: NotebookNode, course: str) -> NotebookNode:
    """Malformed: every test cell turned into markdown (and exercise 1 answered wrongly)."""
    set_source(nb, EX1, "def tickets_per_agent(tickets_per_month, agents):\n    return 0.0\n")
    assert EX1
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if c.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            c.cell_type = "markdown"
            c.pop("outputs", None)
            c.pop("execution_count", None)
    return nb


def garbage_metadata(nb: NotebookNode, course: str) -> NotebookNode:
    """Malformed metadata: a test cell claims to be a solution, another has no grade id, nbformat 3 claims."""
    cell(nb, "busiest_month_small_cases").metadata["nbgrader"]["solution"] = True
    del cell(nb, "tickets_per_agent_bad_input").metadata["nbgrader"]["grade_id"]
    nb.metadata["nbgrader"] = {"garbage": ["x"] * 10}
    nb.nbformat_minor = 99
    return nb


def sabotages_others(nb: NotebookNode, course: str) -> NotebookNode:
    """Sabotage: tries to overwrite other learners' submissions and results and the gradebook."""
    return prepend(nb, EX3, f'''
import glob, os
for _pattern in ({course + "/submitted/*/00-orientation/*.ipynb"!r}, {course + "/autograded/*/00-orientation/*.ipynb"!r},
                 {course + "/.aipmlab/cohort/00-orientation/*/*/*/00-orientation/*.ipynb"!r},
                 {course + "/gradebook.db"!r}, {course + "/.aipmlab/cohort/00-orientation/*/gradebook.db"!r}):
    for _path in glob.glob(_pattern):
        try:
            with open(_path, "w") as _fh:
                _fh.write("{{}}")
        except OSError:
            pass
for _path in glob.glob("../../*/00-orientation/*.ipynb") + glob.glob("../../../*/*/00-orientation/*.ipynb"):
    try:
        open(_path, "w").write("{{}}")
    except OSError:
        pass''')


# --- Verdicts: wrong answers that try to make their failing tests pass (issue 18) -----------------

EX_TARGET = "automation_target_solution"


@functools.cache
def _mutants(lesson: str) -> dict:
    return {m.name: m for m in load_mutants(lesson)}


def mutant(lesson: str, name: str) -> str:
    """The source of one of the lesson's mutants (tests/mutants/<lesson>/<name>.mutant), without markers."""
    return MARKERS.sub("", _mutants(lesson)[name].source)


def solution_source(lesson: str, gid: str) -> str:
    """The solution code of one exercise cell, without its markers."""
    return MARKERS.sub("", cell(correct_submission(lesson), gid).source)


def renamed(source: str, function: str, new: str) -> str:
    """``source`` with the function ``function`` defined (and called) as ``new``."""
    renamed_source, count = re.subn(rf"\b{function}\(", f"{new}(", source)
    if not count:
        raise ValueError(f"{function}() is not defined in this cell any more; the attack needs updating.")
    return renamed_source


def add_code(nb: NotebookNode, gid: str, code: str) -> NotebookNode:
    """Append ``code`` to a cell, after the answer it holds."""
    c = cell(nb, gid)
    c.source = c.source.rstrip("\n") + "\n\n" + code.strip("\n") + "\n"
    return nb


#: Exercise 2 answered with the quietest month: idxmin where idxmax was meant.
QUIETEST_MONTH = '''def busiest_month(tickets):
    """The 'YYYY-MM' month with the most tickets (the earliest one on a tie)."""
    months = tickets["created_at"].dt.strftime("%Y-%m")
    return str(months.groupby(months).size().idxmin())
'''


def patches_reference_libraries(nb: NotebookNode, course: str, cheat: bool = True) -> NotebookNode:
    """References: counts weeks for months (a mutant), then patches pandas so the hidden test's pandas
    reference counts weeks too; also turns math.isclose and pandas.testing's asserts into yes-men."""
    set_source(nb, EX2, mutant(LESSON, "week_not_month"))
    if cheat:
        add_code(nb, EX2, '''
import math
import pandas.testing
from pandas.core.indexes.accessors import DatetimeProperties

_to_period = DatetimeProperties.to_period


def _weeks_for_months(self, *args, **kwargs):
    if (args[:1] or (kwargs.get("freq"),))[0] == "M":
        return self.strftime("%Y-%W")
    return _to_period(self, *args, **kwargs)


DatetimeProperties.to_period = _weeks_for_months
math.isclose = lambda *args, **kwargs: True
for _name in dir(pandas.testing):
    if _name.startswith("assert_"):
        setattr(pandas.testing, _name, lambda *args, **kwargs: None)''')
    return nb


def rebinds_test_data(nb: NotebookNode, course: str, cheat: bool = True) -> NotebookNode:
    """Test data: answers with the quietest month and the slider's maximum, then rebinds the ticket
    table and MAX_PER_AGENT (which tests read from ordinary cells) so both answers pass."""
    set_source(nb, EX2, QUIETEST_MONTH)
    set_source(nb, EX_TARGET, mutant(LESSON, "automate_as_much_as_possible"))
    if cheat:
        add_code(nb, EX2, 'tickets = tickets[tickets["created_at"].dt.month == 1]  # one month: busiest is quietest')
        add_code(nb, EX_TARGET, "MAX_PER_AGENT = (1.05 - automation_target) * float(monthly.max()) * SCALE / AGENTS")
    return nb


def rewrites_test_cells(nb: NotebookNode, course: str, cheat: bool = True) -> NotebookNode:
    """Input and AST transformers: floor division and weeks for months (mutants), then an input
    transformer that blanks exercise 1's test cells and an AST transformer that drops exercise 2's asserts."""
    set_source(nb, EX1, mutant(LESSON, "floor_division"))
    set_source(nb, EX2, mutant(LESSON, "week_not_month"))
    if cheat:
        add_code(nb, EX1, '''
def _blank_the_tests(lines):
    source = "".join(lines)
    return ["pass\\n"] if "tickets_per_agent(" in source and "assert" in source.lower() else lines


get_ipython().input_transformers_cleanup.append(_blank_the_tests)''')
        add_code(nb, EX2, '''
import ast


class _DropAsserts(ast.NodeTransformer):
    def visit_Module(self, node):
        if any(isinstance(n, ast.Name) and n.id == "busiest_month" for n in ast.walk(node)):
            self.generic_visit(node)
        return node

    def visit_Assert(self, node):
        return ast.copy_location(ast.Pass(), node)


get_ipython().ast_transformers.append(_DropAsserts())''')
    return nb


def hides_failures(nb: NotebookNode, course: str, cheat: bool = True) -> NotebookNode:
    """Display hooks: floor division and weeks for months (mutants); exercise 1 silences IPython's
    traceback display and sys.excepthook, exercise 2 also wraps run_cell so its failing tests report success."""
    set_source(nb, EX1, mutant(LESSON, "floor_division"))
    set_source(nb, EX2, mutant(LESSON, "week_not_month"))
    if cheat:
        add_code(nb, EX1, '''
import sys

_ip = get_ipython()
_ip.showtraceback = lambda *args, **kwargs: None
_ip._showtraceback = lambda *args, **kwargs: None
_ip.showsyntaxerror = lambda *args, **kwargs: None
_ip.set_custom_exc((BaseException,), lambda *args, **kwargs: [])
sys.excepthook = lambda *args: None''')
        add_code(nb, EX2, '''
_ip = get_ipython()


def _is_my_test(raw_cell):
    return "busiest_month(" in str(raw_cell) and "assert" in str(raw_cell)


def _succeeds(result, raw_cell):
    if _is_my_test(raw_cell):
        result.error_in_exec = None
        result.error_before_exec = None
        _ip._last_traceback = None
    return result


_run_cell, _run_cell_async = _ip.run_cell, _ip.run_cell_async
_ip.run_cell = lambda raw_cell, *args, **kwargs: _succeeds(_run_cell(raw_cell, *args, **kwargs), raw_cell)


async def _quiet_run_cell_async(raw_cell, *args, **kwargs):
    return _succeeds(await _run_cell_async(raw_cell, *args, **kwargs), raw_cell)


_ip.run_cell_async = _quiet_run_cell_async''')
    return nb


def fakes_exception_classes(nb: NotebookNode, course: str, cheat: bool = True) -> NotebookNode:
    """Exception classes: rejects bad input with TypeError instead of ValueError, then binds the name
    ValueError to a tuple that also matches TypeError (a tuple is not callable, unlike a class)."""
    set_source(nb, EX1, solution_source(LESSON, EX1).replace("raise ValueError", "raise TypeError"))
    if cheat:
        add_code(nb, EX1, "ValueError = (ValueError, TypeError)  # `except ValueError:` now catches TypeError too")
    return nb


def reads_the_running_test(nb: NotebookNode, course: str, cheat: bool = True) -> NotebookNode:
    """Frame inspection: rounds to 3 decimals and counts weeks for months, then returns the hidden
    test's `expected` from the caller's f_locals and the test's own literals from its source (linecache)."""
    rounded = solution_source(LESSON, EX1).replace("return float(tickets_per_month / agents)",
                                                   "return float(round(tickets_per_month / agents, 3))")
    set_source(nb, EX1, rounded)
    set_source(nb, EX2, mutant(LESSON, "week_not_month"))
    if cheat:
        set_source(nb, EX1, renamed(rounded, "tickets_per_agent", "_tickets_per_agent") + '''

import sys


def tickets_per_agent(tickets_per_month, agents):
    caller = sys._getframe(1).f_locals  # the hidden test's loop: for tickets, agents, expected in ...
    if caller.get("tickets") is tickets_per_month and caller.get("agents") is agents and "expected" in caller:
        return float(caller["expected"])
    return _tickets_per_agent(tickets_per_month, agents)
''')
        set_source(nb, EX2, renamed(mutant(LESSON, "week_not_month"), "busiest_month", "_busiest_month") + '''

import linecache
import re
import sys


def busiest_month(tickets):
    caller = sys._getframe(1)
    for line in linecache.getlines(caller.f_code.co_filename)[caller.f_lineno - 1:]:
        found = re.search(r'got == "(\\d{4}-\\d{2})"', line)
        if found:
            return found.group(1)
    return _busiest_month(tickets)
''')
    return nb


def breaks_the_grading_channel(nb: NotebookNode, course: str) -> NotebookNode:
    """Forged answers: answers exercise 3 right, then fakes the channel the tests reach its code through.

    Whatever the learner's kernel says back is only ever data about the learner's own code; with the
    channel broken the later test cannot see the answer, so it fails (quickly, not at the time limit).
    The tests before the sabotage ran already and keep their points.
    """
    return set_source(nb, EX3, """which_question = 3
import sys
_rpc = sys.modules.get("_aipmlab_rpc")
if _rpc is not None:
    _rpc.serve = lambda request: None
    _rpc.last = "not base64 at all"
""")


#: name -> (builder, expected points per auto-graded cell or None when any score is acceptable).
#: A notebook nbgrader cannot read scores zero, with the reason given to the learner and instructor;
#: test cells turned into markdown are turned back and graded.
ATTACKS = {
    "reads_and_writes_beyond": (reads_and_writes_beyond, FULL),
    "answer_from_the_solution_file": (answer_from_the_solution_file, {**FULL, "which_question_answer": 0.0}),
    "signals_everyone": (signals_everyone, FULL),
    "leaves_processes": (leaves_processes, FULL),
    "exhausts_resources": (exhausts_resources, None),
    "forges_results": (forges_results, {**FULL, "tickets_per_agent_value": 0.0, "tickets_per_agent_bad_input": 0.0}),
    "tests_turned_to_markdown": (tests_turned_to_markdown, {**FULL, "tickets_per_agent_value": 0.0,
                                                            "tickets_per_agent_bad_input": 0.0}),
    "garbage_metadata": (garbage_metadata, ZERO),
    "sabotages_others": (sabotages_others, FULL),
    # Verdicts: the points the wrong answers earn honestly (issue 18).
    "patches_reference_libraries": (patches_reference_libraries, {**FULL, "busiest_month_small_cases": 0.0,
                                                                  "busiest_month_on_basketly": 0.0}),
    "rebinds_test_data": (rebinds_test_data, {**FULL, "busiest_month_small_cases": 0.0,
                                              "busiest_month_on_basketly": 0.0, "decision_automation_target": 0.0}),
    "rewrites_test_cells": (rewrites_test_cells, {**FULL, "tickets_per_agent_value": 0.0,
                                                  "tickets_per_agent_bad_input": 0.0, "busiest_month_small_cases": 0.0,
                                                  "busiest_month_on_basketly": 0.0}),
    "hides_failures": (hides_failures, {**FULL, "tickets_per_agent_value": 0.0, "tickets_per_agent_bad_input": 0.0,
                                        "busiest_month_small_cases": 0.0, "busiest_month_on_basketly": 0.0}),
    "fakes_exception_classes": (fakes_exception_classes, {**FULL, "tickets_per_agent_bad_input": 0.0}),
    "breaks_the_grading_channel": (breaks_the_grading_channel, {**FULL, "which_question_answer": 0.0}),
    "reads_the_running_test": (reads_the_running_test, {**FULL, "tickets_per_agent_value": 0.0,
                                                        "busiest_month_small_cases": 0.0,
                                                        "busiest_month_on_basketly": 0.0}),
}
HONEST = ("honest_full", "honest_partial")


def build_attack(name: str, course: str, cheat: bool = True) -> NotebookNode:
    """One lesson 00 attack; ``cheat=False`` builds a verdict attack's control (its wrong answers alone)."""
    if name not in ATTACKS:
        raise ValueError(f"Unknown attack {name!r}; expected one of {sorted(ATTACKS)}.")
    builder = ATTACKS[name][0]
    if cheat:
        return builder(correct_submission(), course)
    return builder(correct_submission(), course, cheat=False)


# --- Verdicts on lesson 06, whose hidden tests compare with scikit-learn, statsmodels and scipy -----

LESSON_06 = "06-evals"
PRF, WILSON, BOOTSTRAP = "precision_recall_f1_solution", "wilson_interval_solution", "bootstrap_ci_solution"
INVARIANCE = "invariance_rate_solution"


def _auto_points(lesson: str) -> dict[str, float]:
    return {grade_id(c): float(c.metadata["nbgrader"]["points"]) for c in read_notebook(solution_path(lesson)).cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")}


#: Lesson 06's auto-graded cells and their points, read from the lesson's metadata.
FULL_06 = _auto_points(LESSON_06)
ZERO_06 = dict.fromkeys(FULL_06, 0.0)


def honest_full_06(nb: NotebookNode, cheat: bool = True) -> NotebookNode:
    return nb


def honest_partial_06(nb: NotebookNode, cheat: bool = True) -> NotebookNode:
    """precision_recall_f1 not attempted (the released stub), the flip rate for invariance_rate."""
    set_source(nb, PRF, cell(read_notebook(release_path(LESSON_06)), PRF).source)
    return set_source(nb, INVARIANCE, mutant(LESSON_06, "invariance_flip_rate"))


def patches_reference_libraries_06(nb: NotebookNode, cheat: bool = True) -> NotebookNode:
    """References: precision and recall swapped, the Wald interval, alpha not halved (mutants), then
    patches scikit-learn's precision_recall_fscore_support, statsmodels' proportion_confint and scipy's
    bootstrap (what the hidden tests import) to make the same mistakes, plus math.isclose and
    pandas.testing for good measure."""
    set_source(nb, PRF, mutant(LESSON_06, "prf_precision_recall_swapped"))
    set_source(nb, WILSON, mutant(LESSON_06, "wilson_wald"))
    set_source(nb, BOOTSTRAP, mutant(LESSON_06, "bootstrap_alpha_not_halved"))
    if not cheat:
        return nb
    add_code(nb, PRF, '''
import math
import pandas.testing
import sklearn.metrics

_prfs = sklearn.metrics.precision_recall_fscore_support


def _swapped_prfs(*args, **kwargs):
    precision, recall, f1, support = _prfs(*args, **kwargs)
    return recall, precision, f1, support


sklearn.metrics.precision_recall_fscore_support = _swapped_prfs
math.isclose = lambda *args, **kwargs: True
for _name in dir(pandas.testing):
    if _name.startswith("assert_"):
        setattr(pandas.testing, _name, lambda *args, **kwargs: None)''')
    add_code(nb, WILSON, '''
import statsmodels.stats.proportion


def _wald_confint(count, nobs, alpha=0.05, method="normal"):
    z = norm.isf(alpha / 2)
    p = np.asarray(count, dtype=float) / np.asarray(nobs, dtype=float)
    half = z * np.sqrt(p * (1 - p) / np.asarray(nobs, dtype=float))
    low, high = np.clip(p - half, 0.0, 1.0), np.clip(p + half, 0.0, 1.0)
    return (float(low), float(high)) if low.ndim == 0 else (low, high)


statsmodels.stats.proportion.proportion_confint = _wald_confint''')
    add_code(nb, BOOTSTRAP, '''
import scipy.stats

_original_bootstrap = scipy.stats.bootstrap  # (the hidden test binds _scipy_bootstrap itself)


def _not_halved_bootstrap(*args, confidence_level=0.95, **kwargs):
    return _original_bootstrap(*args, confidence_level=1 - 2 * (1 - confidence_level), **kwargs)


scipy.stats.bootstrap = _not_halved_bootstrap''')
    return nb


def rebinds_setup_and_helpers_06(nb: NotebookNode, cheat: bool = True) -> NotebookNode:
    """Setup constants and helpers: the arithmetic-mean F1, a hard-coded z and the flip rate (mutants),
    then rebinds INTENTS and norm (bound by the locked setup cell) and redefines predict (a helper an
    ordinary cell defines) so that the tests reading them agree with the wrong answers."""
    set_source(nb, PRF, mutant(LESSON_06, "prf_arithmetic_mean"))
    set_source(nb, WILSON, mutant(LESSON_06, "wilson_hardcoded_z"))
    set_source(nb, INVARIANCE, mutant(LESSON_06, "invariance_flip_rate"))
    if not cheat:
        return nb
    add_code(nb, PRF, "INTENTS = ()  # the reference test loops over no intent at all")
    add_code(nb, WILSON, '''
class _AlwaysNinetyFive:
    """norm, except that every z is read as 1.96: the reference then ignores z just as the answer does."""

    def __getattr__(self, name):
        return getattr(_real_norm, name)

    def sf(self, z):
        return _real_norm.sf(1.96)


_real_norm = norm
norm = _AlwaysNinetyFive()''')
    add_code(nb, INVARIANCE, '''
def predict(texts):
    """Every other prediction survives any perturbation, so the share kept and the share changed are both 1/2."""
    return ["same" if i % 2 == 0 else str(text) for i, text in enumerate(texts)]''')
    return nb


def fakes_exception_classes_06(nb: NotebookNode, cheat: bool = True) -> NotebookNode:
    """Exception classes: wilson_interval rejects bad input with an exception *named* ValueError (from
    module builtins, matching everything) that is really a ZeroDivisionError; bootstrap_ci raises
    RuntimeError and, while the test runs, makes builtins.ValueError mean Exception."""
    wilson = renamed(solution_source(LESSON_06, WILSON), "wilson_interval", "_wilson_interval")
    bootstrap = renamed(solution_source(LESSON_06, BOOTSTRAP), "bootstrap_ci", "_bootstrap_ci")
    disguise = '''
class _MatchesEverything(type):
    def __instancecheck__(cls, obj):
        return True

    def __subclasscheck__(cls, sub):
        return True


class _NamedValueError(ZeroDivisionError, metaclass=_MatchesEverything):
    pass


_NamedValueError.__name__ = _NamedValueError.__qualname__ = "ValueError"
_NamedValueError.__module__ = "builtins"
''' if cheat else "_NamedValueError = ZeroDivisionError\n"
    set_source(nb, WILSON, wilson + "\n\n" + disguise.lstrip("\n") + '''

def wilson_interval(successes, n, z=1.96):
    try:
        return _wilson_interval(successes, n, z)
    except ValueError as error:
        raise _NamedValueError(str(error)) from None
''')
    set_source(nb, BOOTSTRAP, bootstrap + f'''

import builtins

_REAL_VALUE_ERROR = builtins.ValueError


def bootstrap_ci(values, stat, n_boot, alpha, seed):
    builtins.ValueError = _REAL_VALUE_ERROR
    try:
        return _bootstrap_ci(values, stat, n_boot, alpha, seed)
    except _REAL_VALUE_ERROR as error:
        {"builtins.ValueError = Exception  # the test's `except ValueError:` runs after this returns" if cheat else "pass"}
        raise RuntimeError(str(error)) from None
''')
    return nb


def reads_the_running_test_06(nb: NotebookNode, cheat: bool = True) -> NotebookNode:
    """Frame inspection: a hard-coded z and the flip rate (mutants); wilson_interval finds the test's
    statsmodels reference with gc.get_objects(), invariance_rate its `reference` with inspect.stack()."""
    set_source(nb, WILSON, mutant(LESSON_06, "wilson_hardcoded_z"))
    set_source(nb, INVARIANCE, mutant(LESSON_06, "invariance_flip_rate"))
    if not cheat:
        return nb
    set_source(nb, WILSON, renamed(mutant(LESSON_06, "wilson_hardcoded_z"), "wilson_interval", "_wilson_interval") + '''

import gc
import sys


def wilson_interval(successes, n, z=1.96):
    if sys._getframe(1).f_code.co_name == "<module>":  # called from a cell, not from slice_metrics
        for obj in gc.get_objects():
            if type(obj) is dict and "ref_lo" in obj and obj.get("successes") == successes \\
                    and obj.get("n") == n and obj.get("z") == z:
                return float(obj["ref_lo"]), float(obj["ref_hi"])
    return _wilson_interval(successes, n, z)
''')
    set_source(nb, INVARIANCE, renamed(mutant(LESSON_06, "invariance_flip_rate"), "invariance_rate",
                                       "_invariance_rate") + '''

import inspect


def invariance_rate(predict, texts, perturb):
    for frame in inspect.stack(0)[1:3]:
        if "reference" in frame.frame.f_locals:
            return float(frame.frame.f_locals["reference"])
    return _invariance_rate(predict, texts, perturb)
''')
    return nb


def always_equal_06(nb: NotebookNode, cheat: bool = True) -> NotebookNode:
    """Always-equal values: every answer an object equal to everything, with comparison helpers patched
    (the course's standard cheat, aipmlab.grading.contract.cheat_notebook). Its control is the
    released notebook, nothing attempted."""
    return cheat_notebook(nb) if cheat else read_notebook(release_path(LESSON_06))


#: Lesson 06's verdict attacks: name -> (builder, expected points per auto-graded cell).
VERDICT_ATTACKS_06 = {
    "patches_reference_libraries_06": (patches_reference_libraries_06, {
        **FULL_06, "precision_recall_f1_example": 0.0, "precision_recall_f1_reference": 0.0,
        "wilson_interval_example": 0.0, "wilson_interval_statsmodels": 0.0, "bootstrap_ci_reproducible": 0.0,
        "bootstrap_ci_matches_scipy": 0.0, "slice_metrics_example": 0.0, "slice_metrics_reference": 0.0}),
    "rebinds_setup_and_helpers_06": (rebinds_setup_and_helpers_06, {
        **FULL_06, "precision_recall_f1_example": 0.0, "precision_recall_f1_reference": 0.0,
        "wilson_interval_statsmodels": 0.0, "invariance_rate_example": 0.0, "invariance_rate_on_stand_in": 0.0}),
    "fakes_exception_classes_06": (fakes_exception_classes_06, {
        **FULL_06, "wilson_interval_bad_input": 0.0, "bootstrap_ci_bad_input": 0.0}),
    "reads_the_running_test_06": (reads_the_running_test_06, {
        **FULL_06, "wilson_interval_statsmodels": 0.0, "invariance_rate_example": 0.0,
        "invariance_rate_on_stand_in": 0.0}),
    "always_equal_06": (always_equal_06, ZERO_06),
}
HONEST_06 = {
    "honest_full_06": (honest_full_06, FULL_06),
    "honest_partial_06": (honest_partial_06, {
        **FULL_06, "precision_recall_f1_example": 0.0, "precision_recall_f1_zero_division": 0.0,
        "precision_recall_f1_reference": 0.0, "invariance_rate_example": 0.0, "invariance_rate_on_stand_in": 0.0}),
}


def build_06(name: str, cheat: bool = True) -> NotebookNode:
    """One lesson 06 submission: an honest learner or a verdict attack (``cheat=False``: its control)."""
    cases = {**HONEST_06, **VERDICT_ATTACKS_06}
    if name not in cases:
        raise ValueError(f"Unknown lesson 06 case {name!r}; expected one of {sorted(cases)}.")
    return cases[name][0](correct_submission(LESSON_06), cheat)
