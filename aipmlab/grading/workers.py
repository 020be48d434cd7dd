"""The nbgrader processes of ``make grade`` (see ``aipmlab.grading.cohort``).

    python -m aipmlab.grading.workers _host LESSON COURSE_DIR WORK_DIR WORKERS   # in the course folder

One host process starts nbgrader and forks the workers, which run nbgrader's commands in-process,
exactly as the ``nbgrader`` command line would (the same application classes, the same
``nbgrader_config.py``): starting nbgrader costs over a second of CPU, which a cohort run pays once.
This module imports nothing heavy at the top, so ``quiet_imports`` can act before nbformat loads.
"""

from __future__ import annotations

import os
import sys

#: Lines a worker prints for the parent start with this mark and the run's secret nonce, which only
#: the grader's own processes know (sandboxed kernels get a cleared environment): learner code cannot
#: print a line the parent would believe.
MARK = "@@aipmlab-" + os.environ.get("AIPMLAB_GRADING_NONCE", "local")


def say(text: str) -> None:
    """Tell the parent something: one marked line, in one write, so that lines the workers and their
    libraries write to the same pipe at the same moment never cut into it."""
    sys.stdout.flush()
    os.write(sys.stdout.fileno(), f"{MARK} {text}\n".encode("utf-8", "replace"))


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
    ``submitted/<learner>/<assignment>/<notebook>.ipynb``. In a ``make grade`` worker, the learner's
    feedback is written first, while the other workers go on (see :class:`InlineFeedback`).
    """
    from pathlib import Path

    for learner in sorted({Path(nb).parent.parent.name for nb in notebooks}):
        if FEEDBACK is not None:
            FEEDBACK(learner)
        say(f"done {learner}")


class InlineFeedback:
    """``nbgrader generate_feedback`` for one learner at a time, as soon as their scores are recorded.

    Written all at once after the last learner, feedback would leave the other cores idle at the end
    of a cohort. One nbgrader feedback converter serves every learner of the worker: the first call
    runs it as ``nbgrader generate_feedback --student <learner>`` would, later calls reuse its
    exporter (building the HTML templates is most of a call's fixed cost).
    """

    def __init__(self, lesson: str, argv: list[str]) -> None:
        self.lesson, self.argv = lesson, argv
        self.app = self.converter = None

    def __call__(self, learner: str) -> None:
        from nbgrader.apps.generatefeedbackapp import GenerateFeedbackApp
        from nbgrader.converters import GenerateFeedback

        try:
            if self.converter is None:
                self.app = GenerateFeedbackApp()
                self.app.initialize([self.lesson, "--force", *self.argv])
                self.app.coursedir.assignment_id = self.lesson
                self.app.coursedir.student_id = learner
                self.converter = GenerateFeedback(coursedir=self.app.coursedir, parent=self.app)
                self.converter.start()
                return
            self.app.coursedir.student_id = learner
            here = os.getcwd()
            os.chdir(self.app.coursedir.root)
            try:
                self.converter.init_notebooks()
                self.converter.convert_notebooks()
            finally:
                os.chdir(here)
        except Exception as exc:  # noqa: BLE001 - one learner without feedback; the cohort goes on
            print(f"Could not write feedback for {learner}: {exc!r}", flush=True)


#: Set in a ``make grade`` worker: writes each learner's feedback once they are graded.
FEEDBACK: InlineFeedback | None = None


def _db_url(course_dir: str) -> str:
    """The instructor's gradebook, which every worker writes to directly.

    SQLite lets one process write at a time; the others wait for the lock (up to two minutes here,
    against SQLite's default of five seconds). nbgrader's writes take milliseconds, so waits are short.
    """
    return f"sqlite:///{os.path.join(os.path.abspath(course_dir), 'gradebook.db')}?timeout=120"


#: A learner's id, as one record of the host's work queue (a pipe): folder names have at most 255 bytes.
RECORD = 256


def worker_main(lesson: str, course_dir: str, root: str, queue: int) -> None:
    """A forked worker: ``nbgrader autograde --student <learner>`` for each learner it takes off the queue.

    All workers share the work folder ``root`` (the course's config, the lesson and every submission)
    and the instructor's gradebook, so nbgrader records every score itself, exactly as sequential
    ``nbgrader autograde`` would. A worker takes the next learner as soon as it is free, so a slow
    submission holds up one worker and never a share of the cohort; running nbgrader once per
    learner costs nothing here, since nbgrader is loaded already. Each learner's feedback is written
    as soon as they are graded (:class:`InlineFeedback`). A learner nbgrader read but could not
    execute gets a zero notebook recorded in its place (``aipmlab.grading.cohort.record_zero``).
    """
    import glob
    from pathlib import Path

    from nbgrader.apps.autogradeapp import AutogradeApp

    from aipmlab.grading.cohort import record_zero

    global FEEDBACK

    os.chdir(root)
    db = f"--CourseDirectory.db_url={_db_url(course_dir)}"
    hook = f"--Autograde.post_convert_hook={__name__}.announce_done"
    FEEDBACK = InlineFeedback(lesson, [db])
    while True:
        record = os.read(queue, RECORD)  # the host writes whole records: a read takes exactly one
        if not record:
            return
        learner = record.rstrip(b"\0").decode("utf-8")
        student = f"--student={glob.escape(learner)}"  # nbgrader matches it as a file pattern
        _run_app(AutogradeApp, [lesson, "--force", student, db, hook])
        record_zero(lesson, Path(root), learner, lambda argv: _run_app(AutogradeApp, [*argv, db, hook]))


def early_template(course_dir: str, lesson: str, workers: int):
    """Start the test-process template before nbgrader loads: ``(key, zygote, folder)``, or None.

    Loading nbgrader keeps one core busy for about a second; the template's setup cell can use the
    other meanwhile. This reads the course's settings the way ``HardenedExecute`` would, without
    importing it; ``aipmlab.grading.execute.start_shared_template`` then checks the key against the
    real one and starts another template if they differ.
    """
    import json
    from pathlib import Path

    from traitlets.config.loader import PyFileConfigLoader

    from aipmlab.grading import sandbox
    from aipmlab.grading.verdict import Zygote, setup_source, template_key

    cfg = PyFileConfigLoader("nbgrader_config.py", path=course_dir).load_config().get("HardenedExecute", {})
    setup = setup_source(json.loads(Path(course_dir, "solutions", lesson, f"{lesson}.ipynb").read_text("utf-8")))
    mode = cfg.get("sandbox", "required")
    if setup is None or not cfg.get("verdicts_apart", True) or not cfg.get("share_setup", True) or mode == "off":
        return None
    if sandbox.problem():  # HardenedExecute decides what then happens
        return None
    kernel_env = cfg.get("kernel_env", sandbox.KERNEL_ENV)
    memory, processes = int(cfg.get("memory_limit_mb", sandbox.MEMORY_MB)), int(cfg.get("max_processes",
                                                                                         sandbox.MAX_PROCESSES))
    key = template_key(setup, True, kernel_env, memory, processes)
    argv_for, env, folder = sandbox.trusted_launch(True, kernel_env, memory, processes)
    return key, Zygote(argv_for, env, setup, channels=workers), folder


def host_main(lesson: str, course_dir: str, root: str, workers: int) -> int:
    """``make grade``'s one nbgrader process: imports nbgrader once, then forks ``workers`` workers.

    Starting nbgrader costs about a second of CPU; forked workers inherit the imports instead of
    paying for them again, and share one template of the trusted test process. Before forking, the
    host adds every learner to the gradebook in sorted order, as sequential ``nbgrader autograde``
    does, so ``grades.csv`` lists them identically; then it deals the learners out through a queue.
    Once every worker is done (scores and feedback), it exports ``grades.csv``.
    """
    import atexit
    from pathlib import Path

    try:  # one template of the trusted test process for every worker, set up while nbgrader loads
        early = early_template(course_dir, lesson, workers)
    except Exception:  # noqa: BLE001 - start_shared_template starts one once nbgrader is loaded
        early = None
    from aipmlab.grading import execute

    try:
        execute.start_shared_template(course_dir, lesson, workers, early)
    except Exception as exc:  # noqa: BLE001 - each worker then starts its own, as nbgrader autograde does
        print(f"Could not start a shared test-process template ({exc}); each worker starts its own.", flush=True)
    from nbgrader.apps.autogradeapp import AutogradeApp  # noqa: F401  (imported once, for every worker)
    from nbgrader.apps.exportapp import ExportApp
    from nbgrader.apps.generatefeedbackapp import GenerateFeedbackApp  # noqa: F401

    import aipmlab.grading.cohort  # noqa: F401

    learners = sorted(p.parent.name for p in Path(root, "submitted").glob(f"*/{lesson}"))
    add_students(learners)
    sys.stdout.flush()
    take, give = os.pipe()
    children: list[int] = []
    for number in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker
            os.close(give)
            try:
                execute.adopt_shared_template(number)
                worker_main(lesson, course_dir, root, take)
            except BaseException:  # noqa: BLE001 - a worker reports its crash, then exits all the same
                import traceback

                traceback.print_exc(file=sys.stdout)
            finally:
                sys.stdout.flush()
                atexit._run_exitfuncs()  # closes this worker's channel to the test-process template
                os._exit(0)
        children.append(pid)
    os.close(take)
    execute.release_shared_template()
    for learner in learners:  # blocks while the queue is full; the workers empty it
        data = learner.encode("utf-8")
        if len(data) >= RECORD:
            print(f"Not graded: the learner id {learner!r} is longer than {RECORD - 1} bytes.", flush=True)
            continue
        os.write(give, data.ljust(RECORD, b"\0"))
    os.close(give)  # no more learners: each worker stops when it finds the queue empty
    for pid in children:  # a worker that died leaves its learner ungraded; it is reported as such
        os.waitpid(pid, 0)
    code = _run_app(ExportApp, ["--to", "grades.csv"])
    say(f"exported {code}")
    execute._close_zygote()
    say("finished")
    sys.stdout.flush()
    atexit._run_exitfuncs()
    os._exit(0)  # everything is written and closed: skip tearing down the interpreter


def add_students(learners: list[str]) -> None:
    """Create the learners nbgrader does not know yet, in this order.

    ``nbgrader export`` lists learners in the order the gradebook got them, and sequential
    ``nbgrader autograde`` adds them in sorted order. ``make grade``'s workers reach learners in
    parallel, so the host adds them all first, sorted, to keep ``grades.csv`` identical and
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
    if argv[:1] == ["_host"] and len(argv) == 5 and argv[4].isdigit() and int(argv[4]) >= 1:
        return host_main(argv[1], argv[2], argv[3], int(argv[4]))
    print("usage: python -m aipmlab.grading.workers _host LESSON COURSE_DIR WORK_DIR WORKERS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    quiet_imports()
    raise SystemExit(main())
