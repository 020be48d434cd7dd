"""Every name a trusted cell reads comes from a trusted cell or from the learner's answer (issue 18).

The grader runs the setup cell, the locked cells and the graded test cells in a process of its own
(``aipmlab.grading.verdict``). A trusted cell there sees what the last trusted cell before it bound;
any other name it reads is fetched from the learner's kernel. So, for every lesson in solutions/:

* a name a trusted cell reads must be bound by the setup cell, a locked cell, an earlier test cell or
  a solution cell (the learner's answer, the one thing meant to come from the learner), never only by
  an ordinary editable cell, which a learner can rewrite to say anything;
* an editable cell must not change such data in place (``df["col"] = ...``), nor rebind a name whose
  trusted value is a test cell's scratch variable: the trusted process never sees either;
* a solution cell must not rebind a name a trusted cell binds, or the grader would test that value;
* test cells no longer run in the learner's kernel, so no other cell may read a name a test binds last.

Fast and static: it reads each solution notebook with ``aipmlab.grading.names.cell_names``, plus the
names a cell reads before rebinding them (``x = f(x)``), which ``cell_names`` counts as bound only.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import nbformat
import pytest
from conftest import LESSONS

from aipmlab.grading.names import cell_names, python_source, read_before_bound
from aipmlab.grading.notebook import (
    grade_id,
    is_autograded_test,
    is_locked,
    is_solution,
    read_notebook,
    solution_path,
)

#: What a code cell is, for where its names come from.
SETUP, LOCKED, TEST, SOLUTION, EDITABLE = "setup cell", "locked cell", "test cell", "solution cell", "editable cell"
TRUSTED = (SETUP, LOCKED, TEST)


@dataclass(frozen=True)
class Cell:
    index: int
    kind: str
    gid: str | None
    first_line: str = ""

    def __str__(self) -> str:
        name = f" ({self.gid!r})" if self.gid else f" (`{self.first_line[:60]}`)" if self.first_line else ""
        return f"{self.kind} {self.index}{name}"


def _kind(cell) -> str:
    if is_autograded_test(cell):
        return TEST
    if is_solution(cell):
        return SOLUTION
    if is_locked(cell):
        return SETUP if grade_id(cell) == "setup" else LOCKED
    return EDITABLE


#: Methods that change the object they are called on (and ``inplace=True`` on any pandas method).
MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear", "remove",
                      "discard", "add", "sort", "reverse"})


def _base_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def changed_in_place(source: str) -> frozenset[str]:
    """Global names a cell's top-level code changes without rebinding them: ``df["col"] = ...``,
    ``df.index = ...``, ``del d[k]``, ``xs.append(...)``, ``df.drop(..., inplace=True)``."""
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return frozenset()
    out: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # runs later, if at all, and mostly on its own locals
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        out |= {name for t in targets if isinstance(t, (ast.Subscript, ast.Attribute)) and (name := _base_name(t))}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                node.func.attr in MUTATORS or any(k.arg == "inplace" for k in node.keywords)):
            name = _base_name(node.func.value)
            if name:
                out.add(name)
        todo.extend(ast.iter_child_nodes(node))
    return frozenset(out - cell_names(source)[1])


def untrusted_reads(nb, lesson: str) -> list[str]:
    """One message per name a cell takes from where it must not.

    A trusted cell gets a name from the last trusted cell before it that binds it; failing that, the
    grader fetches it from the learner's kernel, which holds what the last setup, locked, solution or
    editable cell bound (test cells run only in the trusted process).
    """
    problems: list[str] = []
    trusted: dict[str, Cell] = {}  # the last trusted cell so far to bind each name
    learner: dict[str, Cell] = {}  # the last cell so far to bind each name in the learner's kernel
    last: dict[str, Cell] = {}  # the last cell so far to bind each name, whatever its kind
    changed: dict[str, Cell] = {}  # the last editable cell so far to change each name in place
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        here = Cell(index, _kind(cell), grade_id(cell), next((ln for ln in cell.source.splitlines() if ln.strip()), ""))
        reads, binds = cell_names(cell.source)
        for name in sorted(reads | read_before_bound(cell.source)):
            where = f"{lesson}: {here} reads `{name}`"
            theirs = learner.get(name)
            if here.kind in TRUSTED:
                if name in trusted:
                    ours = trusted[name]
                    if theirs is not None and theirs.index > ours.index and theirs.kind == SOLUTION:
                        problems.append(
                            f"{where}, the learner's answer from {theirs}, but {ours} binds `{name}` too, "
                            "and the grader uses that value instead of the answer. Rename one of them."
                        )
                    elif theirs is not None and theirs.index > ours.index and ours.kind == TEST:
                        problems.append(
                            f"{where}, which {theirs} binds last, but the grader gives it the value {ours} "
                            f"left behind. Lock {theirs}, or rename `{name}` in one of them."
                        )
                    if name in changed and changed[name].index > ours.index:
                        problems.append(
                            f"{where}, which {changed[name]} changes in place after {ours} binds it; the grader never "
                            f"runs {changed[name]}, so this cell would not see the change (and a learner could make "
                            f"it anything). Lock {changed[name]}."
                        )
                elif theirs is None:
                    problems.append(f"{where}, which no earlier cell binds; bind it in a locked cell before it.")
                elif theirs.kind == EDITABLE:
                    problems.append(
                        f"{where}, bound only by {theirs}, which a learner can edit to say anything; the grader "
                        f"would fetch it from their kernel. Lock {theirs} (nbgrader metadata locked: true, "
                        f"grade: false, solution: false, a descriptive grade_id), or bind `{name}` in a locked cell."
                    )
            elif last.get(name) is not None and last[name].kind == TEST:
                problems.append(
                    f"{where}, which {last[name]} binds last; test cells no longer run in the learner's kernel. "
                    f"Move what binds `{name}` out of the test into a locked cell before it."
                )
        if here.kind == EDITABLE:
            changed.update(dict.fromkeys(changed_in_place(cell.source), here))
        for name in binds:
            last[name] = here
            if here.kind in TRUSTED:
                trusted[name] = here
            if here.kind != TEST:
                learner[name] = here
    return problems


@pytest.mark.parametrize("lesson", LESSONS)
def test_trusted_cells_read_only_trusted_names(lesson):
    problems = untrusted_reads(read_notebook(solution_path(lesson)), lesson)
    assert not problems, "\n".join(problems)


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        cell = nbformat.v4.new_code_cell(source)
        gid = f"c{len(nb.cells)}"
        meta = {
            "setup": {"grade": False, "locked": True, "solution": False, "grade_id": "setup"},
            "locked": {"grade": False, "locked": True, "solution": False, "grade_id": gid},
            "test": {"grade": True, "locked": True, "solution": False, "grade_id": gid, "points": 1},
            "solution": {"grade": False, "locked": False, "solution": True, "grade_id": gid},
            "editable": None,
        }[kind]
        if meta:
            cell.metadata["nbgrader"] = {**meta, "schema_version": 3}
        nb.cells.append(cell)
    return nb


def test_the_check_catches_each_way_a_test_can_be_fed():
    ok = _nb(("setup", "import numpy as np"), ("locked", "data = np.arange(3)"), ("solution", "def f(x): return x"),
             ("test", "got = f(data)\nassert len(got) == len(data), 'x'"), ("test", "assert got is not None, 'x'"))
    assert untrusted_reads(ok, "ok") == []
    editable = _nb(("setup", "import numpy as np"), ("editable", "data = np.arange(3)"), ("solution", "def f(x): return x"),
                   ("test", "assert f(data) is not None, 'x'"))
    [message] = untrusted_reads(editable, "L")
    assert "L: test cell 3 ('c3') reads `data`, bound only by editable cell 1 (`data = np.arange(3)`)" in message and "locked" in message
    rebound = _nb(("locked", "data = 1"), ("editable", "data = 2"), ("test", "assert data, 'x'"))
    assert untrusted_reads(rebound, "L") == []  # the grader uses the locked cell's value
    via_locked = _nb(("editable", "raw = [1]"), ("locked", "data = list(raw)"), ("test", "assert data, 'x'"))
    [message] = untrusted_reads(via_locked, "L")
    assert "locked cell 1 ('c1') reads `raw`" in message
    from_test = _nb(("test", "first = 1\nassert first, 'x'"), ("editable", "print(first)"))
    [message] = untrusted_reads(from_test, "L")
    assert "editable cell 1 (`print(first)`) reads `first`, which test cell 0 ('c0') binds last" in message
    reread = _nb(("editable", "raw = [1]"), ("locked", "raw = sorted(raw)"), ("test", "assert raw, 'x'"))
    [message] = untrusted_reads(reread, "L")
    assert "locked cell 1 ('c1') reads `raw`, bound only by editable cell 0" in message
    scratch = _nb(("test", "rows = [0]\nassert rows, 'x'"), ("editable", "rows = [1, 2]"), ("locked", "n = len(rows)"))
    assert "which editable cell 1 (`rows = [1, 2]`) binds last, but the grader gives it the value test cell 0" in \
        untrusted_reads(scratch, "L")[0]
    changed = _nb(("locked", "df = {}"), ("editable", "df['col'] = 1"), ("test", "assert df['col'], 'x'"))
    assert "which editable cell 1 (`df['col'] = 1`) changes in place after locked cell 0 ('c0') binds it" in \
        untrusted_reads(changed, "L")[0]
    shadowed = _nb(("locked", "answer = 0"), ("solution", "answer = 3"), ("test", "assert answer == 3, 'x'"))
    assert "the grader uses that value instead" in untrusted_reads(shadowed, "L")[0]
