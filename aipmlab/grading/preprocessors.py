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
