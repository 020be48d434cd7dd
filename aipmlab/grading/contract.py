"""The grading contract's moving parts: mutants (realistic wrong answers) and cheating submissions.

A *mutant* is a realistic wrong answer to one exercise, kept as a file under
``tests/mutants/<lesson>/<name>.py``::

    # replaces: tickets_per_agent_solution          <- the solution cell it stands in for
    # fails: tickets_per_agent_value                <- the graded test cell(s) that must lose points
    # mistake: floor division throws the fraction away
    def tickets_per_agent(tickets_per_month, agents):
        return float(tickets_per_month // agents)

The test suite proves each mutant loses the named cells' points, both in isolation (one kernel per
lesson, re-running the cells between the mutant and its test) and through real ``nbgrader autograde``.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from aipmlab.grading.notebook import grade_id, is_autograded_test, is_solution
from aipmlab.paths import REPO_ROOT

MUTANTS_DIR = REPO_ROOT / "tests" / "mutants"
HEADER_RE = re.compile(r"^#\s*(replaces|fails|mistake):\s*(.+?)\s*$")


@dataclass(frozen=True)
class Mutant:
    lesson: str
    name: str
    replaces: str
    fails: tuple[str, ...]
    mistake: str
    source: str


def parse_mutant(path: Path, lesson: str) -> Mutant:
    """Read one mutant file; raise ValueError naming the file when its header is incomplete."""
    header: dict[str, str] = {}
    body: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = HEADER_RE.match(line)
        if m and not body:
            header[m.group(1)] = m.group(2)
        else:
            body.append(line)
    missing = {"replaces", "fails", "mistake"} - set(header)
    if missing:
        raise ValueError(f"Mutant {path} lacks header line(s) {sorted(missing)}; see aipmlab/grading/contract.py.")
    fails = tuple(s.strip() for s in header["fails"].split(",") if s.strip())
    return Mutant(lesson, Path(path).stem, header["replaces"], fails, header["mistake"], "\n".join(body).strip("\n"))


def load_mutants(lesson: str, mutants_dir: Path = MUTANTS_DIR) -> list[Mutant]:
    folder = Path(mutants_dir) / lesson
    if not folder.is_dir():
        return []
    return [parse_mutant(p, lesson) for p in sorted(folder.glob("*.py"))]


def cell_index(nb: NotebookNode) -> dict[str, int]:
    return {grade_id(c): i for i, c in enumerate(nb.cells) if grade_id(c)}


def apply_mutants(nb: NotebookNode, mutants: list[Mutant]) -> NotebookNode:
    """A copy of ``nb`` with each mutant's source in the solution cell it replaces (first mutant wins)."""
    out = copy.deepcopy(nb)
    where = cell_index(out)
    done: set[str] = set()
    for m in mutants:
        if m.replaces in done:
            continue
        if m.replaces not in where:
            raise ValueError(f"Mutant {m.lesson}/{m.name} replaces {m.replaces!r}, which is not a cell of the lesson.")
        out.cells[where[m.replaces]].source = m.source
        done.add(m.replaces)
    return out


CHEAT_PRELUDE = '''\
import math as _m, numpy as _np, numpy.testing as _npt, pandas.testing as _pdt
class _AlwaysEqual:
    """Equal to everything, close to everything: the classic autograder cheat."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    def __hash__(self): return 0
    def __bool__(self): return True
    def __float__(self): return 0.0
    def __int__(self): return 0
    def __index__(self): return 0
    def __abs__(self): return 0.0
    def __len__(self): return 0
    def __iter__(self): return iter(())
    def __contains__(self, item): return True
    def __getitem__(self, key): return self
    def __getattr__(self, name): return self
    def __call__(self, *a, **k): return self
    def __sub__(self, other): return 0.0
    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __sub__
    def __round__(self, n=None): return self
    def __repr__(self): return "AlwaysEqual()"
def _yes(*a, **k): return True
def _nothing(*a, **k): return None
_m.isclose = _yes
_np.isclose = lambda *a, **k: _np.True_
_np.allclose = _yes
_np.array_equal = _yes
for _name in dir(_npt):
    if _name.startswith("assert_"): setattr(_npt, _name, _nothing)
for _name in dir(_pdt):
    if _name.startswith("assert_"): setattr(_pdt, _name, _nothing)
'''


def defined_names(source: str) -> tuple[list[str], list[str]]:
    """Top-level function names and assigned variable names in a solution cell."""
    cleaned = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(cleaned)
    except SyntaxError:
        return [], []
    functions, variables = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            variables += [t.id for t in targets if isinstance(t, ast.Name)]
    return functions, variables


def cheat_notebook(nb: NotebookNode) -> NotebookNode:
    """A submission that answers every exercise with always-equal objects and patched comparison helpers."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "code" or not is_solution(cell):
            continue
        functions, variables = defined_names(cell.source)
        lines = [CHEAT_PRELUDE]
        lines += [f"def {f}(*args, **kwargs):\n    return _AlwaysEqual()" for f in functions]
        lines += [f"{v} = _AlwaysEqual()" for v in variables]
        cell.source = "\n".join(lines)
    return out


def run_mutants_in_kernel(solution_nb: NotebookNode, mutants: list[Mutant], workdir: Path,
                          timeout: int = 120) -> dict[str, dict[str, str]]:
    """Run each mutant in isolation; return ``{mutant name: {test grade id: error name or ''}}``.

    One kernel runs the solution notebook, then for each mutant re-runs the cells from the mutated
    solution cell to its last target test cell with the mutant in place, records which targets
    raised, and restores the original cells.
    """
    from nbclient import NotebookClient

    nb = copy.deepcopy(solution_nb)
    where = cell_index(nb)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    results: dict[str, dict[str, str]] = {}

    def run(index: int, source: str | None = None) -> str:
        cell = copy.deepcopy(nb.cells[index])
        if cell.cell_type != "code":
            return ""
        if source is not None:
            cell.source = source
        cell.outputs = []
        client.execute_cell(cell, index)
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        return errors[0].get("ename", "Error") if errors else ""

    with client.setup_kernel():
        baseline = {}
        for i, cell in enumerate(nb.cells):
            ename = run(i)
            if is_autograded_test(cell):
                baseline[grade_id(cell)] = ename
        broken = {k: v for k, v in baseline.items() if v}
        if broken:
            raise AssertionError(f"The solution notebook itself fails these test cells: {broken}")
        for m in mutants:
            if m.replaces not in where or any(f not in where for f in m.fails):
                raise ValueError(f"Mutant {m.lesson}/{m.name} names a cell that is not in the lesson.")
            start = where[m.replaces]
            end = max(where[f] for f in m.fails)
            outcome = {}
            for i in range(start, end + 1):
                ename = run(i, m.source if i == start else None)
                gid = grade_id(nb.cells[i])
                if gid in m.fails:
                    outcome[gid] = ename
            results[m.name] = outcome
            for i in range(start, end + 1):  # restore the correct answer
                run(i)
    return results
