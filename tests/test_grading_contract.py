"""The grading contract (COURSE_DESIGN §6), proved for every lesson with real nbgrader."""

from __future__ import annotations

import nbformat
import pytest
from conftest import LESSONS
from lesson_grading import check_lesson_grades, grade_lesson

from aipmlab.grading.notebook import parse_structure, read_notebook, release_path, solution_path

pytestmark = pytest.mark.slow


def _normalise(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb)


class LessonContract:
    """The contract for one lesson; a subclass per lesson is made below, so that with
    `--dist loadscope` all of one lesson's checks share a worker and its grading runs once."""

    lesson = ""

    def test_release_is_in_sync_with_solutions(self):
        """notebooks/ holds exactly what `nbgrader generate_assignment` makes from solutions/."""
        lesson = self.lesson
        fresh = grade_lesson(lesson).generated
        committed = read_notebook(release_path(lesson))
        assert _normalise(committed) == _normalise(fresh), (
            f"notebooks/{lesson} is out of date with solutions/{lesson}. Edit only solutions/ and run `make release`."
        )

    def test_solution_scores_full_marks(self):
        lesson = self.lesson
        result = grade_lesson(lesson).results["solution"]
        assert not result.error, f"nbgrader could not grade the solution of {lesson}: {result.error}"
        failed = {gid: (c.ename, c.evalue[:200]) for gid, c in result.cells.items() if c.kind == "auto" and not c.passed}
        assert not failed, f"The solution of {lesson} loses points on: {failed}"
        assert result.auto_max > 0, f"{lesson} has no auto-graded points at all."

    def test_release_scores_zero(self):
        lesson = self.lesson
        result = grade_lesson(lesson).results["release"]
        assert not result.error, f"nbgrader could not grade the learner copy of {lesson}: {result.error}"
        scored = {gid: c.points for gid, c in result.cells.items() if c.kind == "auto" and c.points}
        assert not scored, f"The untouched learner copy of {lesson} already earns points on {scored}: a test passes without an answer."

    def test_cheating_submission_scores_zero(self):
        """Always-equal objects and no-op numpy/math/pandas comparison helpers earn nothing."""
        lesson = self.lesson
        result = grade_lesson(lesson).results["cheat"]
        assert not result.error, f"nbgrader crashed on the cheating submission of {lesson}: {result.error}"
        scored = {gid: c.points for gid, c in result.cells.items() if c.kind == "auto" and c.points}
        assert not scored, (
            f"In {lesson}, a submission of always-equal objects and patched isclose/testing helpers earns points on "
            f"{scored}. Compare float(x) with a tolerance and check exact types instead of trusting ==."
        )

    def test_every_graded_cell_has_a_mutant(self):
        lesson = self.lesson
        structure = parse_structure(read_notebook(solution_path(lesson)), lesson)
        covered = {gid for m in grade_lesson(lesson).mutants for gid in m.fails}
        missing = [i.grade_id for i in structure.auto_items if i.grade_id not in covered]
        assert not missing, (
            f"{lesson}: graded cells with no mutant under tests/mutants/{lesson}/: {missing}. "
            "Add a realistic wrong answer that must lose each cell's points."
        )

    def test_each_mutant_loses_its_points_in_isolation(self):
        lesson = self.lesson
        graded = grade_lesson(lesson)
        survivors = {name: [gid for gid, ename in outcome.items() if not ename]
                     for name, outcome in graded.isolated.items()}
        survivors = {k: v for k, v in survivors.items() if v}
        assert not survivors, (
            f"{lesson}: these mutants still pass the cells they should fail: {survivors}. "
            "The tests cannot tell that wrong answer from a right one."
        )

    def test_mutant_submission_grades_and_loses_points(self):
        """Through real nbgrader: the mutated notebook grades without crashing and loses the targeted points."""
        lesson = self.lesson
        graded = grade_lesson(lesson)
        if not graded.mutants:
            pytest.fail(f"{lesson} has no mutants under tests/mutants/{lesson}/.")
        result = graded.results["mutants"]
        assert not result.error, f"nbgrader could not grade the mutant submission of {lesson}: {result.error}"
        applied = {}
        for m in graded.mutants:
            applied.setdefault(m.replaces, m)
        still_full = [gid for m in applied.values() for gid in m.fails if result.cells[gid].passed]
        assert not still_full, f"{lesson}: through nbgrader, the mutant submission keeps full points on {still_full}."

    def test_make_check_scores_equal_plain_nbgrader(self):
        """make check's fast path (prepared lesson, nbgrader in-process) gives plain nbgrader's scores, cell by cell."""
        lesson = self.lesson
        plain = grade_lesson(lesson).results
        fast = check_lesson_grades(lesson)
        for who, result in fast.items():
            assert not result.error, f"{lesson}: make check could not grade the {who} submission: {result.error}"
            want = {gid: (c.points, c.ename) for gid, c in plain[who].cells.items()}
            got = {gid: (c.points, c.ename) for gid, c in result.cells.items()}
            differ = {gid: (want.get(gid), got.get(gid)) for gid in set(want) | set(got) if want.get(gid) != got.get(gid)}
            assert not differ, f"{lesson}: make check and plain nbgrader autograde disagree on the {who} submission " \
                               f"(plain, check): {differ}"


for _lesson in LESSONS:
    _name = "TestContract_" + _lesson.replace("-", "_")
    globals()[_name] = type(_name, (LessonContract,), {"lesson": _lesson})
