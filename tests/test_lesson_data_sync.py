"""Facts a lesson copies from the data generator stay identical to the generator's own copy."""

from __future__ import annotations

import ast
import sys

from aipmlab.grading.notebook import read_notebook, solution_path
from aipmlab.paths import REPO_ROOT


def _rules_in_lesson(lesson: str) -> list[tuple[str, list[str]]]:
    for cell in read_notebook(solution_path(lesson)).cells:
        if cell.cell_type != "code" or "RULES = {" not in cell.source:
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "RULES" for t in node.targets):
                return list(ast.literal_eval(node.value).items())
    raise AssertionError(f"{lesson} no longer defines RULES = {{...}} in a code cell.")


def test_lesson_05_keyword_rules_match_the_generator():
    sys.path.insert(0, str(REPO_ROOT / "assets" / "generator"))
    try:
        import bankio
    finally:
        sys.path.pop(0)
    lesson_rules = _rules_in_lesson("05-baselines-vs-ml")
    bank_rules = [(intent, list(keywords)) for intent, keywords in bankio.load_keyword_rules()]
    assert lesson_rules == bank_rules, (
        "Lesson 05's RULES differ from assets/generator/bank/keywords.txt, the keyword baseline the datasheet's "
        "measured properties use. Change both together, then run `make data` and `make release`."
    )
