"""Which global names a notebook cell reads and which it binds.

The trusted grader (``aipmlab.grading.verdict``) runs the setup cell, the locked data cells and the
test cells in a process of its own. Before a test cell runs there, the names it reads that the
trusted process does not have (the learner's functions and answers) are fetched from the learner's
kernel. ``tests/test_trusted_names.py`` uses the same analysis to check that every test reads its
data from a locked cell, never from a cell the learner can edit.
"""

from __future__ import annotations

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
