"""Long-lived nbgrader processes for ``make grade`` (see ``aipmlab.grading.cohort``).

    python -m aipmlab.grading.workers _worker LESSON        # in a shard folder
    python -m aipmlab.grading.workers _record LESSON ...    # in the instructor's course folder

Each process starts nbgrader once and runs its commands in-process, exactly as the ``nbgrader``
command line would (the same application classes, the same ``nbgrader_config.py``): starting
nbgrader costs over a second of CPU, which a cohort run should pay once per worker, not per step.
This module imports nothing heavy at the top, so ``quiet_imports`` can act before nbformat loads.
"""

from __future__ import annotations

import os
import sys

#: Lines a worker prints for the parent start with this mark and the run's secret nonce, which only
#: the grader's own processes know (sandboxed kernels get a cleared environment): learner code cannot
#: print a line the parent would believe.
MARK = "@@aipmlab-" + os.environ.get("AIPMLAB_GRADING_NONCE", "local")


def quiet_imports() -> None:
    """Skip an optional import that costs about 1 s of CPU in every nbgrader process.

    jsonschema (used by nbformat) imports ``rfc3987_syntax`` when it is installed, to check IRI
    formats, and that package builds a grammar at import time. Notebook validation never checks
    IRIs, so processes that only grade can do without it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def _run_app(app_class, argv: list[str]) -> int:
    """Run one nbgrader command in this process, exactly as ``nbgrader <command> <argv>`` would."""
    app = app_class()
    try:
        app.initialize(argv)
        app.start()
        code = 0
    except SystemExit as exc:  # nbgrader exits 1 when any submission failed; the others are done
        code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
    finally:
        app.reset()
    return code


def announce_done(assignment: str, student: str, notebooks: list[str]) -> None:
    """nbgrader's post-convert hook: tell the parent which learner is fully graded.

    nbgrader calls it after writing a learner's autograded notebooks; ``student`` is the pattern
    being graded ('*'), so the learner comes from the notebooks' paths,
    ``submitted/<learner>/<assignment>/<notebook>.ipynb``.
    """
    from pathlib import Path

    for learner in sorted({Path(nb).parent.parent.name for nb in notebooks}):
        print(f"{MARK} done {learner}", flush=True)


def worker_main(lesson: str) -> int:
    """A shard worker, run in the shard folder: plain nbgrader autograde, then generate_feedback."""
    quiet_imports()
    from nbgrader.apps.autogradeapp import AutogradeApp
    from nbgrader.apps.generatefeedbackapp import GenerateFeedbackApp

    code = _run_app(AutogradeApp, [lesson, "--force", f"--Autograde.post_convert_hook={__name__}.announce_done"])
    print(f"{MARK} autograded {code}", flush=True)
    _run_app(GenerateFeedbackApp, [lesson, "--force"])
    print(f"{MARK} feedback", flush=True)
    return 0


def recorder_main(lesson: str, submitted: str, sanitize: str, autograde: str) -> int:
    """Record learners as the parent names them on stdin ('record <learner>'), then export ('export')."""
    quiet_imports()
    import nbformat
    from nbgrader.apps.autogradeapp import AutogradeApp
    from nbgrader.apps.exportapp import ExportApp

    # The recorder only reads notebooks that nbgrader has just read, validated and written in a
    # shard; validating them again (twice per read and write) changes nothing and is most of its work.
    nbformat.validate = lambda *args, **kwargs: None
    print(f"{MARK} ready", flush=True)
    for line in sys.stdin:
        command, _, learner = line.strip().partition(" ")
        if command == "students":
            add_students(learner.split())
            print(f"{MARK} students", flush=True)
        elif command == "record":
            code = _run_app(AutogradeApp, [lesson, "--force", f"--student={learner}",
                                           f"--CourseDirectory.submitted_directory={submitted}",
                                           f"--Autograde.sanitize_preprocessors={sanitize}",
                                           f"--Autograde.autograde_preprocessors={autograde}"])
            print(f"{MARK} recorded {learner} {code}", flush=True)
        elif command == "export":
            code = _run_app(ExportApp, ["--to", "grades.csv"])
            print(f"{MARK} exported {code}", flush=True)
    return 0


def add_students(learners: list[str]) -> None:
    """Create the learners nbgrader does not know yet, in this order.

    ``nbgrader export`` lists learners in the order the gradebook got them, and sequential
    ``nbgrader autograde`` adds them in sorted order. The recorder sees learners in the order the
    workers finish, so it adds them all first, sorted, to keep ``grades.csv`` identical and
    deterministic.
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps.exportapp import ExportApp

    app = ExportApp()
    try:
        app.initialize([])
        db_url, course_id = app.coursedir.db_url, app.coursedir.course_id
    finally:
        app.reset()
    with Gradebook(db_url, course_id) as gb:
        for learner in sorted(learners):
            try:
                gb.find_student(learner)
            except MissingEntry:
                gb.add_student(learner)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_worker"] and len(argv) == 2:
        return worker_main(argv[1])
    if argv[:1] == ["_record"] and len(argv) == 5:
        return recorder_main(*argv[1:5])
    print("usage: python -m aipmlab.grading.workers _worker LESSON | _record LESSON SUBMITTED SANITIZE AUTOGRADE",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    quiet_imports()
    raise SystemExit(main())
