"""`make bench` measures; these tests only check that it measures the right things (never how fast)."""

from __future__ import annotations

import nbformat
import pytest

from aipmlab import bench


def test_submissions_cycle_through_solution_release_and_mutants():
    subs = bench.make_submissions("00-orientation", 7)
    assert len(subs) == 7, f"Asked for 7 submissions, got {len(subs)}."
    notebooks = [nbformat.reads(s.decode("utf-8"), as_version=4) for s in subs]
    sources = ["".join(c.source for c in nb.cells) for nb in notebooks]
    assert len(set(sources[:3])) == 3 and sources[3] == sources[0], (
        "Submissions should be the solution, the learner copy and the mutants, in turn.")


def test_tables_report_budgets_and_speedup():
    rows = [{"lesson": "00-orientation", "median_s": 4.2, "times": [4.0, 4.2, 4.5], "peak_mb": 150.0},
            {"lesson": "99-heavy", "median_s": 31.0, "times": [31.0], "peak_mb": 1500.0},
            {"lesson": "98-broken", "error": ["NameError: x"]}]
    table = bench.format_notebook_table(rows, 3)
    assert "00-orientation" in table and "ok" in table.splitlines()[4], f"A lesson within budget is ok:\n{table}"
    assert "OVER BUDGET" in table and "FAILED: NameError: x" in table, f"Problems must be visible:\n{table}"
    res = {"lesson": "00-orientation", "submissions": 30, "workers": 3, "cores": 2, "sequential_s": 60.0,
           "cohort_s": 30.0, "speedup": 2.0, "sequential_cpu_s": 45.0, "cohort_cpu_s": 55.0, "identical": True,
           "differences": [], "phases": {"grade and record": 29.0}, "load": (1.0, 1.0, 1.0)}
    text = bench.format_grading(res)
    assert "2.00x (meets the 1.9x goal)" in text and "identical in every cell: yes" in text, f"Got:\n{text}"
    text = bench.format_grading({**res, "stock_s": 20.0})
    assert "stock sequential nbgrader" in text and "takes 1.50x stock's time" in text and "3.00x" in text, (
        f"The hardened path's cost against stock nbgrader must be printed:\n{text}")


def test_options_are_checked():
    with pytest.raises(SystemExit):
        bench.main(["--runs", "0", "--notebooks"])
    with pytest.raises(SystemExit):
        bench.main(["--notebooks", "--lessons", "99-nope"])


@pytest.mark.slow
def test_a_notebook_is_timed_and_its_kernel_memory_measured():
    rows = bench.bench_notebooks(["00-orientation"], runs=1)
    assert "error" not in rows[0], f"Lesson 00's solution must execute headless: {rows[0]}"
    assert 0 < rows[0]["median_s"] < 600, f"Implausible execution time: {rows[0]}"
    assert 50 < rows[0]["peak_mb"] < 4096, f"The kernel's peak memory (pandas, matplotlib) is 50 MB-4 GB: {rows[0]}"


def test_a_looping_submission_is_added_on_request_and_reported_apart():
    subs = bench.make_submissions("00-orientation", 4, loop=True)
    sources = ["".join(c.source for c in nbformat.reads(s.decode("utf-8"), as_version=4).cells) for s in subs]
    assert "while True" in sources[-1] and not any("while True" in s for s in sources[:-1]), (
        "Only the last submission loops.")
    res = {"lesson": "00-orientation", "submissions": 30, "loop": True, "workers": 3, "cores": 2,
           "sequential_s": 120.0, "cohort_s": 80.0, "speedup": 1.5, "sequential_cpu_s": 45.0, "cohort_cpu_s": 55.0,
           "identical": True, "differences": [], "load": (1.0, 1.0, 1.0)}
    text = bench.format_grading(res)
    assert "loops until the cell timeout" in text and "MISSES" not in text, f"Got:\n{text}"


def test_check_table_shows_both_times_and_their_difference():
    rows = [{"lesson": "00-orientation", "check_s": 4.0, "plain_s": 3.0, "overhead_s": 1.0, "first_s": 6.0,
             "load": (0.5, 0.5, 0.5)},
            {"lesson": "05-baselines-vs-ml", "check_s": 9.0, "plain_s": 6.0, "overhead_s": 3.0, "first_s": 12.0,
             "load": (0.5, 0.5, 0.5)}]
    table = bench.format_check_table(rows, 3)
    assert "+1.0 s" in table and "3.0 s" in table and "4.0 s" in table, f"Both figures and the difference:\n{table}"
    assert "OVER the 1.5 s goal" in table.splitlines()[5], f"A lesson over the goal is flagged:\n{table}"
