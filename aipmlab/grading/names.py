"""Which global names a notebook cell reads and which it binds.

The trusted grader (``aipmlab.grading.verdict``) runs the setup cell, the locked data cells and the
test cells in a process of its own. Before a test cell runs there, the names it reads that the
trusted process does not have (the learner's functions and answers) are fetched from the learner's
kernel. ``tests/test_trusted_names.py`` uses the same analysis to check that every test reads its
data from a locked cell, never from a cell the learner can edit.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from functools import lru_cache

BUILTIN_NAMES = frozenset(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit"}


def python_source(source: str) -> str:
    """The cell's source as plain Python: IPython magics and shell escapes become calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


@lru_cache(maxsize=4096)
def cell_names(source: str) -> tuple[frozenset[str], frozenset[str]]:
    """``(reads, binds)``: the global names ``source`` reads without binding them first (including
    those it reads before rebinding them, ``x = f(x)``), and the names it binds at the top level."""
    reads, binds = _symbol_names(source)
    return reads | (read_before_bound(source) - BUILTIN_NAMES), binds


@lru_cache(maxsize=4096)
def _symbol_names(source: str) -> tuple[frozenset[str], frozenset[str]]:
    """``(reads, binds)``: the global names ``source`` reads without binding them first, and the
    names it binds at the top level (assignments, imports, ``def``, ``class``, loop targets).

    Names read inside functions and comprehensions count when they resolve to the notebook's
    globals. A cell that does not parse reads and binds nothing (it fails when it runs anyway).
    """
    try:
        top = symtable.symtable(python_source(source), "<cell>", "exec")
    except (SyntaxError, ValueError):
        return frozenset(), frozenset()
    binds = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    reads: set[str] = set()

    def walk(table: symtable.SymbolTable) -> None:
        for sym in table.get_symbols():
            if sym.is_referenced() and (table is top or sym.is_global()):
                reads.add(sym.get_name())
        for child in table.get_children():
            walk(child)

    walk(top)
    return frozenset(reads - binds - BUILTIN_NAMES), frozenset(binds)


def _stored(node: ast.AST) -> set[str]:
    """Names a statement binds: targets, loop and ``with`` variables, ``def``/``class``, imports, ``except ... as``."""
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or (
                isinstance(n, ast.ExceptHandler) and n.name):
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            out |= {(a.asname or a.name).split(".")[0] for a in n.names}
    return out


def _loaded(node: ast.AST) -> set[str]:
    """Names a statement or expression loads when it runs (not in function bodies, which run later)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]
    elif isinstance(node, ast.ClassDef):
        parts = [*node.decorator_list, *node.bases]
    else:
        parts = [node]
    nodes = [n for p in parts for n in ast.walk(p)]
    local = {n.id for c in nodes if isinstance(c, ast.comprehension) for n in ast.walk(c.target)
             if isinstance(n, ast.Name)}
    return {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - local


def read_before_bound(source: str) -> frozenset[str]:
    """Names a cell reads at the top level before it binds them itself (`failures = failures.assign(...)`).

    A symbol table counts such a name as bound only (it has no order), yet the cell needs the value
    an earlier cell bound. An assignment reads its value first; any other statement counts
    as reading the names it loads but does not store itself.
    """
    binds = _symbol_names(source)[1]
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return frozenset()
    bound: set[str] = set()
    early: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            loaded = _loaded(stmt.value) if stmt.value is not None else set()
            for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                loaded |= _loaded(target)  # x["col"] = ... reads x
            if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                loaded.add(stmt.target.id)
        else:
            loaded = _loaded(stmt) - _stored(stmt)
        early |= (loaded & binds) - bound
        bound |= _stored(stmt)
    return frozenset(early)
