"""The grading contract's moving parts: mutants (realistic wrong answers) and cheating submissions.

A *mutant* is a realistic wrong answer to one exercise, kept as a small patch against one solution
cell, in ``tests/mutants/<lesson>/<name>.mutant``::

    # replaces: tickets_per_agent_solution          <- the solution cell it patches
    # fails: tickets_per_agent_value                <- the graded test cell(s) that must lose points
    # mistake: floor division throws the fraction away
    <<<<<<< solution
        return float(tickets_per_month / agents)
    =======
        return float(tickets_per_month // agents)
    >>>>>>> mutant

Each ``solution`` block is a run of whole lines of the solution cell and must occur there exactly
once; the ``mutant`` part replaces it (it may be empty). A block that no longer matches fails with a
message naming the mutant, so an edited solution says which mutants need the same edit. The test
suite proves each mutant loses the named cells' points, both in isolation (one kernel per lesson,
re-running the cells between the mutant and its test) and through real ``nbgrader autograde``.
``python -m aipmlab.grading.contract convert`` turns a full copy of a cell into this form.
"""

from __future__ import annotations

import ast
import copy
import difflib
import itertools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from aipmlab.grading.notebook import grade_id, is_autograded_test, is_solution, read_notebook, solution_path
from aipmlab.paths import REPO_ROOT

MUTANTS_DIR = REPO_ROOT / "tests" / "mutants"
MUTANT_SUFFIX = ".mutant"
HEADER_RE = re.compile(r"^#\s*(replaces|fails|mistake):\s*(.+?)\s*$")
BLOCK_OPEN, BLOCK_MID, BLOCK_CLOSE = "<<<<<<< solution", "=======", ">>>>>>> mutant"


@dataclass(frozen=True)
class Mutant:
    lesson: str
    name: str
    replaces: str
    fails: tuple[str, ...]
    mistake: str
    source: str  # the whole mutated cell, after the patch is applied


@dataclass(frozen=True)
class Patch:
    replaces: str
    fails: tuple[str, ...]
    mistake: str
    blocks: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (solution lines, mutant lines)


def parse_patch(text: str, where: str = "mutant") -> Patch:
    """Parse a mutant file's text; raise ValueError naming ``where`` when it is malformed."""
    header: dict[str, str] = {}
    blocks: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    state, old, new = "header", [], []
    for number, line in enumerate(text.splitlines(), 1):
        if state == "header":
            m = HEADER_RE.match(line)
            if m:
                header[m.group(1)] = m.group(2)
            elif line.rstrip() == BLOCK_OPEN:
                state, old, new = "old", [], []
            elif line.strip():
                raise ValueError(f"{where}, line {number}: expected a header line or '{BLOCK_OPEN}', got {line!r}.")
        elif state == "old":
            if line.rstrip() == BLOCK_MID:
                state = "new"
            else:
                old.append(line)
        elif state == "new":
            if line.rstrip() == BLOCK_CLOSE:
                if not old:
                    raise ValueError(f"{where}, line {number}: a block has no solution lines; add context lines.")
                blocks.append((tuple(old), tuple(new)))
                state = "header"
            else:
                new.append(line)
    missing = {"replaces", "fails", "mistake"} - set(header)
    if missing:
        raise ValueError(f"{where} lacks header line(s) {sorted(missing)}; see aipmlab/grading/contract.py.")
    if state != "header":
        raise ValueError(f"{where}: a block is not closed with '{BLOCK_CLOSE}'.")
    if not blocks:
        raise ValueError(f"{where} has no '{BLOCK_OPEN}' ... '{BLOCK_CLOSE}' block: it changes nothing.")
    fails = tuple(s.strip() for s in header["fails"].split(",") if s.strip())
    return Patch(header["replaces"], fails, header["mistake"], tuple(blocks))


def _occurrences(lines: list[str], run: tuple[str, ...] | list[str]) -> list[int]:
    n = len(run)
    return [i for i in range(len(lines) - n + 1) if tuple(lines[i:i + n]) == tuple(run)]


def apply_patch(cell_source: str, patch: Patch, where: str = "mutant") -> str:
    """The cell's source with every block of ``patch`` applied; ValueError when a block does not apply."""
    lines = cell_source.splitlines()
    spans = []
    for old, new in patch.blocks:
        found = _occurrences(lines, old)
        if len(found) != 1:
            how = "no longer occurs" if not found else f"occurs {len(found)} times"
            raise ValueError(
                f"{where}: its solution block starting {old[0]!r} {how} in cell {patch.replaces!r}. "
                "The solution changed: update the mutant's block (it must match exactly one run of lines)."
            )
        spans.append((found[0], found[0] + len(old), list(new)))
    spans.sort()
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        if start < end:
            raise ValueError(f"{where}: two of its blocks overlap in cell {patch.replaces!r}.")
    for start, end, new in reversed(spans):
        lines[start:end] = new
    return "\n".join(lines)


def _solution_sources(lesson: str) -> dict[str, str]:
    nb = read_notebook(solution_path(lesson))
    return {grade_id(c): c.source for c in nb.cells if grade_id(c)}


def parse_mutant(path: Path, lesson: str, cells: dict[str, str] | None = None) -> Mutant:
    """Read one mutant file and apply it to its solution cell (``cells``: grade id -> source)."""
    path = Path(path)
    where = f"Mutant {lesson}/{path.name}"
    patch = parse_patch(path.read_text(encoding="utf-8"), where)
    cells = _solution_sources(lesson) if cells is None else cells
    if patch.replaces not in cells:
        raise ValueError(f"{where} replaces {patch.replaces!r}, which is not a cell of the lesson.")
    source = apply_patch(cells[patch.replaces], patch, where)
    return Mutant(lesson, path.stem, patch.replaces, patch.fails, patch.mistake, source)


def load_mutants(lesson: str, mutants_dir: Path = MUTANTS_DIR, cells: dict[str, str] | None = None) -> list[Mutant]:
    folder = Path(mutants_dir) / lesson
    if not folder.is_dir():
        return []
    stale = sorted(p.name for p in folder.glob("*.py"))
    if stale:
        raise ValueError(
            f"tests/mutants/{lesson} holds full-copy mutants {stale}: convert them to patches with "
            f"`python -m aipmlab.grading.contract convert {lesson}`."
        )
    paths = sorted(folder.glob(f"*{MUTANT_SUFFIX}"))
    if paths and cells is None:
        cells = _solution_sources(lesson)
    return [parse_mutant(p, lesson, cells) for p in paths]


def make_patch_text(header: dict[str, str], cell_source: str, mutated: str) -> str:
    """Write a mutant file whose blocks turn ``cell_source`` into ``mutated`` with as little context as needed."""
    a, b = cell_source.splitlines(), mutated.splitlines()
    groups = [[g[0][1], g[-1][2], g[0][3], g[-1][4]] for g in difflib.SequenceMatcher(None, a, b, autojunk=False)
              .get_grouped_opcodes(0)]
    if not groups:
        raise ValueError(f"Mutant {header.get('replaces')}: the mutated cell is identical to the solution.")
    context = 0
    while True:
        spans = []
        for i1, i2, j1, j2 in groups:
            s0, e = max(0, i1 - context), min(len(a), i2 + context)
            spans.append([s0, e, j1 - (i1 - s0), j2 + (e - i2)])
        merged: list[list[int]] = []
        for s in spans:
            if merged and s[0] <= merged[-1][1]:
                merged[-1][1], merged[-1][3] = max(merged[-1][1], s[1]), max(merged[-1][3], s[3])
            else:
                merged.append(s)
        if all(e > s0 and len(_occurrences(a, a[s0:e])) == 1 for s0, e, _, _ in merged):
            break
        context += 1
        if context > len(a):
            raise ValueError(f"Mutant {header.get('replaces')}: could not find a unique run of lines to patch.")
    out = [f"# {k}: {header[k]}" for k in ("replaces", "fails", "mistake")]
    for s0, e, j1, j2 in merged:
        out += [BLOCK_OPEN, *a[s0:e], BLOCK_MID, *b[j1:j2], BLOCK_CLOSE]
    text = "\n".join(out) + "\n"
    patch = parse_patch(text)
    if apply_patch(cell_source, patch) != "\n".join(b):
        raise AssertionError(f"Mutant {header.get('replaces')}: the patch does not reproduce the mutated cell.")
    return text


def convert_full_copies(lesson: str, mutants_dir: Path = MUTANTS_DIR) -> list[Path]:
    """Turn every full-copy ``*.py`` mutant of ``lesson`` into a ``*.mutant`` patch; return the new files."""
    cells = _solution_sources(lesson)
    written = []
    for path in sorted((Path(mutants_dir) / lesson).glob("*.py")):
        header: dict[str, str] = {}
        body: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            m = HEADER_RE.match(line)
            if m and not body:
                header[m.group(1)] = m.group(2)
            else:
                body.append(line)
        if header.get("replaces") not in cells:
            raise ValueError(f"{path}: replaces {header.get('replaces')!r}, not a cell of {lesson}.")
        text = make_patch_text(header, cells[header["replaces"]], "\n".join(body).strip("\n"))
        target = path.with_suffix(MUTANT_SUFFIX)
        target.write_text(text, encoding="utf-8")
        path.unlink()
        written.append(target)
    return written


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
        original = nb.cells[index]
        cell = copy.deepcopy(original)
        if cell.cell_type != "code":
            return ""
        if source is not None:
            cell.source = source
        cell.outputs = []
        try:
            client.execute_cell(cell, index)
        finally:
            # nbclient stores the executed cell in the notebook; put the correct answer back, or the
            # "restore" step below would re-run the mutant and leak it into later mutants' runs.
            nb.cells[index] = original
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


def main(argv: list[str] | None = None) -> int:
    """``python -m aipmlab.grading.contract convert [LESSON ...]``: full-copy mutants become patches."""
    from aipmlab.grading.notebook import list_lessons

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "convert":
        print("Usage: python -m aipmlab.grading.contract convert [LESSON ...]", file=sys.stderr)
        return 2
    for lesson in args[1:] or list_lessons():
        for path in convert_full_copies(lesson):
            print(f"converted {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
