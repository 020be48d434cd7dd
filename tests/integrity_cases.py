"""Submissions of lesson 00 written to attack the grader itself, one family each (issue: grading integrity).

Each attack also answers lesson 00 correctly, so any points it loses are the grader's doing, and
each one is graded in a cohort beside honest learners. An attack that reaches something it must not
(a file outside its submission, another process, the network) gives itself away: it then answers
*wrongly* on purpose, so a full score proves the sandbox held. The course folder's path is written
into the attacks, as a learner who knows the instructor's layout would.
"""

from __future__ import annotations

from hardening_cases import EX1, EX2, EX3, FULL, ZERO, cell, correct_submission, prepend, set_source
from nbformat import NotebookNode
from nbformat.v4 import new_output

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
}
HONEST = ("honest_full", "honest_partial")


def build_attack(name: str, course: str) -> NotebookNode:
    if name not in ATTACKS:
        raise ValueError(f"Unknown attack {name!r}; expected one of {sorted(ATTACKS)}.")
    return ATTACKS[name][0](correct_submission(), course)
