"""Measure the course against its budgets (COURSE_DESIGN §8). Speed is measured here, never in tests.

    make bench                                   # both parts
    make bench BENCH_ARGS="--notebooks"          # (a) only
    make bench BENCH_ARGS="--grading --submissions 30 --lesson 00-orientation"   # (b) only
    make bench BENCH_ARGS="--check --lessons 00-orientation 05-baselines-vs-ml"   # (c) only

(a) Each solution notebook is executed with nbclient, headless (``AIPMLAB_HEADLESS=1``), ``--runs``
    times in a fresh process per lesson. The table shows the median execution time (kernel start
    included) and the kernel's peak resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of
    that process, whose only children are the kernels), against the 30 s and 1 GB budgets.
(b) ``--submissions`` submissions of one lesson (solution, learner copy and mutant notebooks in
    turn) are graded from the same starting point with plain sequential ``nbgrader autograde`` and
    with ``make grade``'s cohort grader (which also writes feedback and grades.csv), alternating,
    ``--repeat`` times. It prints the median times, the speed-up and whether every cell's score is
    identical. On a shared machine other work slows both; the load average is printed with them.
    Each round also grades the cohort with **stock nbgrader** (nbgrader's own preprocessors: no
    sandbox, no trusted test process, no hardening) to show what the hardened path costs.
    ``--loop`` adds a second cohort with one looping submission (it costs both graders the same
    cell timeout, which caps any speed-up), reported separately.
(c) ``make check`` on each lesson's full-marks notebook (its solution) against plain
    ``jupyter nbconvert --execute`` of the same notebook, both as the commands a learner types (a
    fresh process each), alternating, ``--runs`` times; medians, their difference and the 1.5 s goal.
    The first ``make check`` of a lesson version prepares it once (cached under .aipmlab/): that
    run is shown as "first" and left out of the median.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIME_BUDGET_S = 30.0
TIME_GOAL_S = 15.0
MEMORY_BUDGET_MB = 1024.0
SPEEDUP_GOAL = 1.9
CHECK_OVERHEAD_GOAL_S = 1.5


# --- (a) notebooks ---------------------------------------------------------------------------------

def _headless_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"AIPMLAB_HEADLESS": "1", "AIPMLAB_LLM_OFFLINE": "1", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"})
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def run_notebook(path: Path, runs: int) -> dict:
    """Execute one notebook ``runs`` times in this process's kernels; called in a fresh process."""
    import resource

    import nbformat
    from nbclient import NotebookClient

    times = []
    for _ in range(runs):
        nb = nbformat.read(str(path), as_version=4)
        with tempfile.TemporaryDirectory(prefix="aipmlab-bench-") as tmp:
            client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                                    resources={"metadata": {"path": tmp}})
            start = time.perf_counter()
            client.execute()
            times.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
    return {"times": times, "peak_mb": peak_kb / 1024.0}


def bench_notebooks(lessons: list[str], runs: int) -> list[dict]:
    from aipmlab.grading.notebook import solution_path

    rows = []
    for lesson in lessons:
        cmd = [sys.executable, "-m", "aipmlab.bench", "_run-notebook", str(solution_path(lesson)), "--runs", str(runs)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_headless_env(), check=False)
        if proc.returncode != 0:
            rows.append({"lesson": lesson, "error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]})
            continue
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append({"lesson": lesson, "median_s": statistics.median(data["times"]), "times": data["times"],
                     "peak_mb": data["peak_mb"]})
    return rows


def format_notebook_table(rows: list[dict], runs: int) -> str:
    lines = [f"(a) Solution notebooks: execution time (median of {runs}, kernel start included) and kernel peak memory",
             "",
             f"{'lesson':<24} {'time':>8}  {'budget':>8}  {'peak memory':>12}  {'budget':>9}  verdict",
             "-" * 82]
    for row in rows:
        if "error" in row:
            lines.append(f"{row['lesson']:<24} FAILED: {' '.join(row['error'])}")
            continue
        ok_time = row["median_s"] <= TIME_BUDGET_S
        ok_mem = row["peak_mb"] <= MEMORY_BUDGET_MB
        verdict = "ok" if ok_time and ok_mem else "OVER BUDGET"
        if ok_time and row["median_s"] > TIME_GOAL_S:
            verdict += f" (over the {TIME_GOAL_S:g} s goal)"
        lines.append(f"{row['lesson']:<24} {row['median_s']:>6.1f} s  {'≤ 30 s':>8}  {row['peak_mb']:>9.0f} MB  "
                     f"{'≤ 1 GB':>9}  {verdict}")
    return "\n".join(lines)


# --- (c) make check against plain execution ---------------------------------------------------------

def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**_headless_env(), **(env or {})}, check=False)
    return time.perf_counter() - start, proc.returncode, (proc.stderr or proc.stdout)[-400:]


def bench_check(lessons: list[str], runs: int, cache_dir: Path | None = None) -> list[dict]:
    """Time ``make check`` (warm cache) and ``jupyter nbconvert --execute`` per lesson, alternating."""
    from aipmlab.grading.notebook import solution_path

    rows = []
    for lesson in lessons:
        with tempfile.TemporaryDirectory(prefix="aipmlab-bench-check-") as tmp:
            nb = Path(tmp) / f"{lesson}.ipynb"
            shutil.copy(solution_path(lesson), nb)
            check_cmd = [sys.executable, "-m", "aipmlab.grading.check", str(nb)]
            plain_cmd = [str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--execute", "--to", "notebook",
                         "--output", str(Path(tmp) / "executed.ipynb"), str(nb)]
            cache = {"AIPMLAB_CHECK_CACHE": str(Path(tmp) / "cache")}  # empty: the first check prepares the lesson
            first, code, err = _timed(check_cmd, cache)
            if code != 0:
                rows.append({"lesson": lesson, "error": err.strip().splitlines()[-1:]})
                continue
            checks, plains = [], []
            for _ in range(runs):
                t, code, err = _timed(plain_cmd)
                plains.append(t)
                t, code, err = _timed(check_cmd, cache)
                checks.append(t)
            load = os.getloadavg() if hasattr(os, "getloadavg") else None
        check_s, plain_s = statistics.median(checks), statistics.median(plains)
        rows.append({"lesson": lesson, "check_s": check_s, "plain_s": plain_s, "overhead_s": check_s - plain_s,
                     "first_s": first, "checks": checks, "plains": plains, "load": load})
    return rows


def format_check_table(rows: list[dict], runs: int) -> str:
    lines = [(f"(c) make check on a full-marks notebook against plain `jupyter nbconvert --execute` "
              f"(median of {runs}, alternating)"),
             "",
             (f"{'lesson':<24} {'nbconvert':>9}  {'make check':>10}  {'difference':>10}  {'first check':>11}  "
              f"{'load (1 min)':>12}  verdict"),
             "-" * 100]
    for row in rows:
        if "error" in row:
            lines.append(f"{row['lesson']:<24} FAILED: {' '.join(row['error'])}")
            continue
        verdict = "ok" if row["overhead_s"] <= CHECK_OVERHEAD_GOAL_S else f"OVER the {CHECK_OVERHEAD_GOAL_S:g} s goal"
        load = f"{row['load'][0]:.1f}" if row.get("load") else "?"
        lines.append(f"{row['lesson']:<24} {row['plain_s']:>7.1f} s  {row['check_s']:>8.1f} s  "
                     f"{row['overhead_s']:>+8.1f} s  {row['first_s']:>9.1f} s  {load:>12}  {verdict}")
    lines.append(f"(goal: make check at most {CHECK_OVERHEAD_GOAL_S:g} s more than plain execution on a quiet 2-core "
                 f"machine; other work on the machine slows both)")
    return "\n".join(lines)


# --- (b) cohort grading throughput -------------------------------------------------------------------

def make_submissions(lesson: str, count: int, loop: bool = False) -> list[bytes]:
    """``count`` submissions of ``lesson``: the solution, the learner copy and the mutants, in turn.

    With ``loop``, the last one is the solution with an endless loop in its first answer cell: it
    costs any grader the cell timeout (``c.Execute.timeout``), then the rest of it is graded.
    """
    import copy

    import nbformat

    from aipmlab.grading.contract import apply_mutants, load_mutants
    from aipmlab.grading.notebook import is_solution, read_notebook, release_path, solution_path

    solution = read_notebook(solution_path(lesson))
    kinds = [solution, read_notebook(release_path(lesson))]
    mutants = load_mutants(lesson)
    if mutants:
        kinds.append(apply_mutants(solution, mutants))
    subs = [kinds[i % len(kinds)] for i in range(count)]
    if loop:
        looping = copy.deepcopy(solution)
        cell = next(c for c in looping.cells if c.cell_type == "code" and is_solution(c))
        cell.source = "while True:\n    pass\n" + cell.source
        subs[-1] = looping
    return [nbformat.writes(nb).encode("utf-8") for nb in subs]


def _scores(course: Path, lesson: str) -> dict[str, dict[str, float | None]]:
    from nbgrader.api import Gradebook, MissingEntry

    from aipmlab.grading.runner import COURSE_ID

    out: dict[str, dict[str, float | None]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission_notebook(lesson, lesson, student.id)
            except MissingEntry:
                continue
            out[student.id] = {g.name: (None if g.score is None else float(g.score)) for g in sub.grades}
    return out


def _busy_cpu() -> float:
    """CPU seconds the whole machine has spent busy so far (all cores; Linux ``/proc/stat``).

    Grading runs in sandboxed kernels that the grader does not wait for itself, so its own resource
    usage misses most of the work; on a quiet machine, the machine's busy time is the run's.
    """
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


#: nbgrader as shipped, for the hardened path's cost: only the course layout, none of its hardening.
STOCK_CONFIG = """c = get_config()
c.CourseDirectory.course_id = "aipmlab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.Execute.timeout = 60
"""


def bench_grading(lesson: str, submissions: int, workers: int | None, repeat: int = 1, loop: bool = False) -> dict:
    """Grade the same cohort sequentially and with the cohort grader, ``repeat`` times, alternating."""
    from aipmlab.grading.cohort import grade_cohort, quiet_imports
    from aipmlab.grading.runner import GradingError, nbgrader_env
    from aipmlab.paths import REPO_ROOT

    quiet_imports()
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    rounds = []
    with tempfile.TemporaryDirectory(prefix="aipmlab-bench-grading-") as tmp:
        base = Path(tmp) / "base"
        (base / "solutions").mkdir(parents=True)
        shutil.copy(REPO_ROOT / "nbgrader_config.py", base / "nbgrader_config.py")
        shutil.copytree(REPO_ROOT / "solutions" / lesson, base / "solutions" / lesson)
        gen = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", lesson, "--force"],
                             cwd=base, env=nbgrader_env(), capture_output=True, text=True, check=False)
        if gen.returncode != 0:
            raise GradingError(f"nbgrader generate_assignment {lesson} failed:\n{gen.stdout}\n{gen.stderr}")
        for i, data in enumerate(make_submissions(lesson, submissions, loop=loop)):
            path = base / "submitted" / f"learner{i + 1:03d}" / lesson / f"{lesson}.ipynb"
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
        for r in range(repeat):
            sequential, cohort = Path(tmp) / f"sequential-{r}", Path(tmp) / f"cohort-{r}"
            stock = Path(tmp) / f"stock-{r}"
            shutil.copytree(base, sequential)
            shutil.copytree(base, cohort)
            shutil.copytree(base, stock)
            (stock / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "nbgrader", "autograde", lesson, "--force"], cwd=stock,
                           env=nbgrader_env(), capture_output=True, text=True, check=False)
            stock_s = time.perf_counter() - start
            shutil.rmtree(stock)

            cpu0 = _busy_cpu()
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "nbgrader", "autograde", lesson, "--force"], cwd=sequential,
                           env=nbgrader_env(), capture_output=True, text=True, check=False)
            seq_s = time.perf_counter() - start
            cpu1 = _busy_cpu()
            start = time.perf_counter()
            res = grade_cohort(lesson, cohort, workers=workers, progress=False)
            par_s = time.perf_counter() - start
            cpu2 = _busy_cpu()

            a, b = _scores(sequential, lesson), _scores(cohort, lesson)
            rounds.append({"sequential_s": seq_s, "cohort_s": par_s, "stock_s": stock_s, "sequential_cpu_s": cpu1 - cpu0,
                           "cohort_cpu_s": cpu2 - cpu1, "workers": res.workers, "phases": res.timings,
                           "identical": a == b and len(a) == submissions,
                           "differences": sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))})
            shutil.rmtree(sequential)
            shutil.rmtree(cohort)
    seq = statistics.median(r["sequential_s"] for r in rounds)
    par = statistics.median(r["cohort_s"] for r in rounds)
    return {"lesson": lesson, "submissions": submissions, "loop": loop, "workers": rounds[0]["workers"],
            "cores": os.cpu_count(),
            "rounds": rounds, "sequential_s": seq, "cohort_s": par, "speedup": seq / par,
            "stock_s": statistics.median(r["stock_s"] for r in rounds),
            "sequential_cpu_s": statistics.median(r["sequential_cpu_s"] for r in rounds),
            "cohort_cpu_s": statistics.median(r["cohort_cpu_s"] for r in rounds),
            "identical": all(r["identical"] for r in rounds),
            "differences": sorted({d for r in rounds for d in r["differences"]}),
            "load_before": load_before, "load": os.getloadavg() if hasattr(os, "getloadavg") else None}


def format_grading(res: dict) -> str:
    verdict = "meets" if res["speedup"] >= SPEEDUP_GOAL else "MISSES"
    verdict = f"{verdict} the {SPEEDUP_GOAL}x goal"
    if res.get("loop"):  # the loop's timeout is paid by both and caps the speed-up: no goal applies
        verdict = "the looping submission's cell timeout is paid by both and caps it; the goal is for a cohort without one"
    rounds = res.get("rounds", [])
    median = f" (median of {len(rounds)} alternating rounds)" if len(rounds) > 1 else ""
    plain = "plain sequential `nbgrader autograde`:"
    ours = f"`make grade` ({res['workers']} workers; + feedback, grades.csv):"
    looping = " (one of them loops until the cell timeout)" if res.get("loop") else ""
    lines = [(f"(b) Cohort grading: {res['submissions']} submissions of {res['lesson']}{looping} on {res['cores']} "
              f"cores{median}"),
             "",
             (f"{plain:<52}{res['sequential_s']:7.1f} s (machine busy {res['sequential_cpu_s']:.0f} CPU-s, "
              f"{res['sequential_cpu_s'] / res['sequential_s']:.2f} cores)"),
             (f"{ours:<52}{res['cohort_s']:7.1f} s (machine busy {res['cohort_cpu_s']:.0f} CPU-s, "
              f"{res['cohort_cpu_s'] / res['cohort_s']:.2f} cores)"),
             f"speed-up: {res['speedup']:.2f}x ({verdict})"]
    if res.get("stock_s"):
        stock = "stock sequential nbgrader (no sandbox, no hardening):"
        lines.append(f"{stock:<52}{res['stock_s']:7.1f} s")
        lines.append(f"hardened path (sandboxes, tests in a trusted process) against stock: `make grade` takes "
                     f"{res['cohort_s'] / res['stock_s']:.2f}x stock's time, sequential `nbgrader autograde` "
                     f"{res['sequential_s'] / res['stock_s']:.2f}x")
    if len(rounds) > 1:
        lines.append("    rounds: " + ", ".join(f"{r['sequential_s']:.1f} s / {r['cohort_s']:.1f} s = "
                                                 f"{r['sequential_s'] / r['cohort_s']:.2f}x" for r in rounds))
    lines.append(f"scores identical in every cell: {'yes' if res['identical'] else 'NO: ' + ', '.join(res['differences'])}")
    if res.get("load"):
        before = res.get("load_before")
        lines.append("load average (1, 5, 15 min) " + (f"before: {before[0]:.1f}, {before[1]:.1f}, {before[2]:.1f}; "
                                                         if before else "")
                     + "after: " + ", ".join(f"{x:.1f}" for x in res["load"])
                     + "  (other work on the machine slows both runs)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_run-notebook"]:
        inner = argparse.ArgumentParser()
        inner.add_argument("path")
        inner.add_argument("--runs", type=int, default=3)
        a = inner.parse_args(argv[1:])
        print(json.dumps(run_notebook(Path(a.path), a.runs)))
        return 0
    from aipmlab.grading.notebook import list_lessons

    parser = argparse.ArgumentParser(prog="python -m aipmlab.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--notebooks", action="store_true", help="only (a): notebook time and memory")
    parser.add_argument("--grading", action="store_true", help="only (b): cohort grading throughput")
    parser.add_argument("--check", action="store_true", help="only (c): make check against plain execution")
    parser.add_argument("--lessons", nargs="*", help="lessons for (a) (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="runs per notebook for (a) (default 3)")
    parser.add_argument("--lesson", default="00-orientation", help="lesson for (b) (default 00-orientation)")
    parser.add_argument("--submissions", type=int, default=30, help="submissions for (b) (default 30)")
    parser.add_argument("--workers", type=int, default=None, help="workers for (b) (default: make grade's)")
    parser.add_argument("--loop", action="store_true",
                        help="(b): also grade a cohort whose last submission loops (reported separately)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds for (b); medians are reported (default 3)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.submissions < 1 or args.repeat < 1:
        parser.error(f"--runs, --submissions and --repeat must be at least 1; got {args.runs}, {args.submissions} "
                     f"and {args.repeat}.")
    both = not (args.notebooks or args.grading or args.check)
    lessons = args.lessons or list_lessons()
    unknown = sorted(set(lessons + [args.lesson]) - set(list_lessons()))
    if unknown:
        parser.error(f"unknown lesson(s) {unknown}; lessons are {list_lessons()}")
    failed = False
    if both or args.notebooks:
        rows = bench_notebooks(lessons, args.runs)
        print(format_notebook_table(rows, args.runs), flush=True)
        failed |= any("error" in r or r["median_s"] > TIME_BUDGET_S or r["peak_mb"] > MEMORY_BUDGET_MB for r in rows)
    if both or args.check:
        if both:
            print()
        rows = bench_check(lessons, args.runs)
        print(format_check_table(rows, args.runs), flush=True)
        failed |= any("error" in r for r in rows)
    if both or args.grading:
        if both:
            print()
        res = bench_grading(args.lesson, args.submissions, args.workers, args.repeat)
        print(format_grading(res), flush=True)
        failed |= not res["identical"]
        if args.loop:
            print()
            res = bench_grading(args.lesson, args.submissions, args.workers, args.repeat, loop=True)
            print(format_grading(res), flush=True)
            failed |= not res["identical"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
