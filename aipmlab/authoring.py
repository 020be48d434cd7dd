"""Write and edit lessons as plain text, packed into the .ipynb that stays the only source.

The notebook in ``solutions/`` is the lesson's source of truth. This module converts it to a
readable text form and back, so a course author can edit a lesson in any editor and review it in a
diff. Cells are separated by marker lines:

    %%md                                   a markdown cell
    %%code [tags=a,b]                      an ordinary code cell (tag ``uses-exercise`` when it calls
                                           a learner's function: it may fail in the learner copy)
    %%setup                                the locked setup cell (grade id ``setup``)
    %%solution id=NAME                     a code cell the learner writes (BEGIN/END SOLUTION inside)
    %%test id=NAME points=N                a locked, auto-graded test cell
    %%answer id=NAME points=N              a written answer, graded by an instructor
    %%locked id=NAME [md]                  a locked cell that is not graded (e.g. a written prompt)

    python -m aipmlab.authoring unpack solutions/00-orientation/00-orientation.ipynb > /tmp/00.txt
    python -m aipmlab.authoring pack /tmp/00.txt solutions/00-orientation/00-orientation.ipynb
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

MARKER_RE = re.compile(r"^%%(md|code|setup|solution|test|answer|locked)\b(.*)$")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _options(text: str) -> dict[str, str]:
    opts: dict[str, str] = {}
    for token in text.split():
        key, _, value = token.partition("=")
        opts[key] = value if value else "true"
    return opts


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None,
          task: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": task}
    if grade:
        meta["points"] = points if points is not None else 0
    return meta


def pack(text: str) -> NotebookNode:
    """Turn the text form into a notebook with nbgrader metadata and no outputs."""
    chunks: list[tuple[str, dict[str, str], list[str]]] = []
    for line in text.splitlines():
        m = MARKER_RE.match(line)
        if m:
            chunks.append((m.group(1), _options(m.group(2)), []))
        elif chunks:
            chunks[-1][2].append(line)
        elif line.strip():
            raise ValueError(f"Text before the first cell marker: {line!r}. Start the file with a %%md line.")
    if not chunks:
        raise ValueError("No cells found: the text form needs lines such as '%%md' or '%%code' between cells.")
    cells = []
    seen: set[str] = set()
    for kind, opts, lines in chunks:
        source = "\n".join(lines).strip("\n")
        gid = opts.get("id", "setup" if kind == "setup" else "")
        if kind in {"setup", "solution", "test", "answer", "locked"}:
            if not gid:
                raise ValueError(f"A %%{kind} cell needs id=NAME (a descriptive grade id).")
            if gid in seen:
                raise ValueError(f"Grade id {gid!r} is used twice; every graded or locked cell needs its own.")
            seen.add(gid)
        if kind == "md":
            cell = new_markdown_cell(source)
        elif kind == "code":
            cell = new_code_cell(source)
        elif kind == "setup":
            cell = new_code_cell(source)
            cell.metadata["nbgrader"] = _meta(gid, grade=False, solution=False, locked=True)
        elif kind == "solution":
            cell = new_code_cell(source)
            cell.metadata["nbgrader"] = _meta(gid, grade=False, solution=True, locked=False)
        elif kind == "test":
            cell = new_code_cell(source)
            cell.metadata["nbgrader"] = _meta(gid, grade=True, solution=False, locked=True,
                                              points=float(opts.get("points", "0")))
        elif kind == "answer":
            cell = new_markdown_cell(source)
            cell.metadata["nbgrader"] = _meta(gid, grade=True, solution=True, locked=False,
                                              points=float(opts.get("points", "0")))
        else:  # locked
            cell = new_markdown_cell(source) if "md" in opts else new_code_cell(source)
            cell.metadata["nbgrader"] = _meta(gid, grade=False, solution=False, locked=True)
        tags = [t for t in opts.get("tags", "").split(",") if t]
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:  # stable files: no random cell ids in diffs
        cell.pop("id", None)
    nb.nbformat_minor = 4
    return nb


def unpack(nb: NotebookNode) -> str:
    """Turn a lesson notebook into the text form (the inverse of :func:`pack`)."""
    parts = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        tags = cell.metadata.get("tags", [])
        gid = meta.get("grade_id", "")
        if meta.get("grade") and meta.get("solution"):
            head = f"%%answer id={gid} points={_num(meta.get('points', 0))}"
        elif meta.get("grade"):
            head = f"%%test id={gid} points={_num(meta.get('points', 0))}"
        elif meta.get("solution"):
            head = f"%%solution id={gid}"
        elif meta.get("locked") and gid == "setup":
            head = "%%setup"
        elif meta.get("locked"):
            head = f"%%locked id={gid}" + (" md" if cell.cell_type == "markdown" else "")
        else:
            head = "%%md" if cell.cell_type == "markdown" else "%%code"
        tags = [t for t in tags if t != "raises-exception"] if not head.startswith("%%code") else tags
        if tags:
            head += " tags=" + ",".join(tags)
        parts.append(head + "\n" + cell.source)
    return "\n\n".join(parts) + "\n"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def write_notebook(nb: NotebookNode, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack", help="text form -> notebook")
    p.add_argument("text")
    p.add_argument("notebook")
    u = sub.add_parser("unpack", help="notebook -> text form (printed)")
    u.add_argument("notebook")
    args = parser.parse_args(argv)
    if args.cmd == "pack":
        write_notebook(pack(Path(args.text).read_text(encoding="utf-8")), args.notebook)
    else:
        sys.stdout.write(unpack(nbformat.read(args.notebook, as_version=4)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
