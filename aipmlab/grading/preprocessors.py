"""nbgrader preprocessors used by the course's ``nbgrader_config.py``."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

EXPECTED_ERROR_TAG = "raises-exception"
#: Tag for an ordinary cell that calls a learner's function (a demo or a plot of their result).
USES_EXERCISE_TAG = "uses-exercise"


def is_solution_code(cell: NotebookNode) -> bool:
    """True for a code cell the learner writes (an nbgrader solution cell)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("solution"))


def is_graded_test(cell: NotebookNode) -> bool:
    """True for an auto-graded test cell (an nbgrader grade cell that is not a solution)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


class TagExpectedErrors(NbGraderPreprocessor):
    """Tag exercise stubs and their test cells in the learner copy with ``raises-exception``.

    In the learner copy an exercise stub raises ``NotImplementedError`` and its tests fail, on
    purpose; so does any cell tagged ``uses-exercise`` (it calls a function the learner writes). nbval honours the tag, so the learner copy still runs top to bottom in CI, while the
    solution notebooks (which carry no such tags) must run without a single error.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        uses_exercise = USES_EXERCISE_TAG in cell.get("metadata", {}).get("tags", [])
        if is_solution_code(cell) or is_graded_test(cell) or uses_exercise:
            tags = list(cell.metadata.get("tags", []))
            if EXPECTED_ERROR_TAG not in tags:
                tags.append(EXPECTED_ERROR_TAG)
            cell.metadata["tags"] = tags
        return cell, resources


# --- Autograding: sanitising a submission ---------------------------------------------------------

def _safe_cell_id(grade_id: str) -> str:
    import re

    return ("restored-" + re.sub(r"[^A-Za-z0-9_-]", "-", grade_id))[:64]


class RestoreMissingCells(NbGraderPreprocessor):
    """Put back every locked or graded cell a learner deleted, and forget grade ids nbgrader does not know.

    nbgrader's ``OverwriteCells.add_missing_cells`` re-adds deleted *grade* cells only, and fails the
    whole submission when the cell before the deleted one is a locked cell that is not graded (a
    written answer's prompt, for instance). It also fails on a duplicated locked cell (the copy that
    ``DeduplicateIds`` demotes keeps an empty ``nbgrader`` entry), and a cell whose grade id was
    changed fails metadata validation. This step runs before ``OverwriteCells`` and handles all
    three: duplicates and cells with an
    unknown grade id becomes an ordinary cell, and each missing locked or graded cell (the setup
    cell, a test cell, a written answer) is inserted after the nearest earlier cell that is present,
    with its source from the gradebook. Missing exercise (solution) cells are not put back: their
    tests then fail, as they should. A locked or graded cell whose type was changed (a test cell
    turned into markdown) gets its type back, so it is graded instead of failing the submission.
    """

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        from nbformat.v4 import new_code_cell, new_markdown_cell
        from nbgrader.api import Gradebook
        from nbgrader.nbgraderformat import MetadataValidator

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            master = gb.find_notebook(info["notebook"], info["assignment"])
            sources = [(c.name, c.cell_type, bool(c.locked), c.source, c.checksum) for c in master.source_cells]
            points = {c.name: float(c.max_score) for c in master.grade_cells}
            solutions = {c.name for c in master.solution_cells}
        known = {s[0] for s in sources} | set(points) | solutions

        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if meta is not None and not meta.get("grade_id"):
                # DeduplicateIds leaves `nbgrader: {}` on a duplicated cell, which OverwriteCells trips over.
                del cell.metadata["nbgrader"]
                continue
            if not meta:
                continue
            gid = meta.get("grade_id")
            if (meta.get("grade") or meta.get("solution") or meta.get("locked")) and gid not in known:
                self.log.warning("Cell with unknown grade id %r: grading it as an ordinary cell.", gid)
                del cell.metadata["nbgrader"]

        kinds = {name: cell_type for name, cell_type, *_ in sources}
        for i, cell in enumerate(nb.cells):
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in kinds and cell.get("cell_type") != kinds[gid]:
                # A test or setup cell turned into markdown (or the reverse): give it back its type;
                # OverwriteCells then restores its source from the gradebook.
                fixed = (new_code_cell if kinds[gid] == "code" else new_markdown_cell)(source=cell.get("source", ""))
                fixed.metadata = cell.metadata
                if "id" in cell:
                    fixed["id"] = cell["id"]
                else:
                    fixed.pop("id", None)
                nb.cells[i] = fixed
                self.log.warning("Cell %r had its type changed to %s; graded as the %s cell it is.",
                                 gid, cell.get("cell_type"), kinds[gid])

        def present() -> dict[str, int]:
            return {c.metadata["nbgrader"]["grade_id"]: i for i, c in enumerate(nb.cells)
                    if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}

        for k, (name, cell_type, locked, source, checksum) in enumerate(sources):
            where = present()
            if name in where or not (locked or name in points):
                continue
            position = 0
            for prev_name, *_ in reversed(sources[:k]):
                if prev_name in where:
                    position = where[prev_name] + 1
                    break
            maker = new_code_cell if cell_type == "code" else new_markdown_cell
            cell = maker(source=source or "")
            if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
                cell["id"] = _safe_cell_id(name)  # deterministic, unlike nbformat's random one
            else:
                cell.pop("id", None)  # notebooks before format 4.5 have no cell ids
            meta = {"grade": name in points, "grade_id": name, "locked": locked, "solution": name in solutions,
                    "schema_version": 3, "cell_type": cell_type, "checksum": checksum}
            if name in points:
                meta["points"] = points[name]
            cell.metadata["nbgrader"] = meta
            cell.metadata["deletable"] = False
            if locked:
                cell.metadata["editable"] = False
            cell = MetadataValidator().upgrade_cell_metadata(cell)
            nb.cells.insert(position, cell)
            self.log.warning("Cell %r was missing from the submission; put it back from the gradebook.", name)
        return nb, resources


# --- Autograding: scoring --------------------------------------------------------------------------

class GradeTestsByErrors(NbGraderPreprocessor):
    """A graded test cell earns its points exactly when it raised no error.

    nbgrader also reads a test cell's first ``execute_result`` as partial credit (and gives full
    points for any value that is not a number, even when an error follows), and gives zero for any
    text on stderr. The first lets learner code that calls ``sys.displayhook`` from inside a test
    claim the points; the second costs a correct answer its points when a library prints a warning.
    Course tests are assert-based, so this step, run before ``SaveAutoGrades``, turns results of
    graded test cells into plain displays and their stderr into ordinary output.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any],
                        index: int) -> tuple[NotebookNode, dict[str, Any]]:
        if not is_graded_test(cell):
            return cell, resources
        for out in cell.get("outputs", []):
            if out.get("output_type") == "execute_result":
                out["output_type"] = "display_data"
                out.pop("execution_count", None)
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                out["name"] = "stdout"
        return cell, resources


# --- Feedback --------------------------------------------------------------------------------------

from aipmlab.grading.notebook import HIDDEN_BEGIN, HIDDEN_END, MARK_BEGIN, MARK_END

HIDDEN_NOTE = "# (hidden tests ran here; their code is not shown)"


def strip_region(source: str, begin: str, end: str, note: str | None) -> tuple[str, bool]:
    """Remove the lines from a ``begin`` marker line to the matching ``end`` line (an unclosed region
    runs to the end of the cell); put ``note`` in its place. Return the new source and whether a
    region was found."""
    out: list[str] = []
    inside = found = False
    for line in source.split("\n"):
        if not inside and begin in line:
            inside = found = True
            if note is not None:
                out.append(line[: len(line) - len(line.lstrip())] + note)
        elif inside:
            if end in line:
                inside = False
        else:
            out.append(line)
    return "\n".join(out), found


class StripHiddenTests(NbGraderPreprocessor):
    """Keep hidden tests (and rubrics) out of the feedback a learner receives (nbgrader issue #917).

    Hidden tests leak into nbgrader's feedback in two places: the source of each graded test cell,
    and the traceback of a failing hidden assert, which prints the lines around the failure. This
    step, run by ``nbgrader generate_feedback``, removes hidden-test regions from every code cell,
    replaces the traceback of every error in a test or locked cell with the error's name and
    message plus a hint from ``aipmlab.grading.feedback``, and drops mark-scheme regions, which the
    learner copy does not show either.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any],
                        index: int) -> tuple[NotebookNode, dict[str, Any]]:
        from aipmlab.grading.feedback import explain_error

        if cell.get("cell_type") == "markdown":
            cell.source, _ = strip_region(cell.source, MARK_BEGIN, MARK_END, None)
            return cell, resources
        if cell.get("cell_type") != "code":
            return cell, resources
        cell.source, had_hidden = strip_region(cell.source, HIDDEN_BEGIN, HIDDEN_END, HIDDEN_NOTE)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if had_hidden or is_graded_test(cell) or (meta.get("locked") and not meta.get("solution")):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    ename, evalue = out.get("ename", ""), _strip_ansi(out.get("evalue", ""))
                    lines = [f"\x1b[0;31m{ename}\x1b[0m: {evalue}"]
                    hint = explain_error(ename, evalue)
                    if hint and hint.strip() != evalue.strip():
                        lines += ["", hint]
                    out["traceback"] = lines
        return cell, resources


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text or "")
