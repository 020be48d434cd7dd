"""Item analysis (make report): difficulty, corrected item–total discrimination, flags, figure and CSV."""

from __future__ import annotations

import csv
import math

import pytest

from aipmlab.grading import report

MAX = {"easy": 1.0, "good1": 1.0, "good2": 1.0, "hard": 2.0, "never": 1.0, "always": 1.0, "odd": 1.0}
# Five learners, strongest first. "odd" is passed only by the two weakest: negative discrimination.
SCORES = {
    "l1": {"easy": 1, "good1": 1, "good2": 1, "hard": 2, "never": 0, "always": 1, "odd": 0},
    "l2": {"easy": 1, "good1": 1, "good2": 1, "hard": 2, "never": 0, "always": 1, "odd": 0},
    "l3": {"easy": 1, "good1": 1, "good2": 0, "hard": 1, "never": 0, "always": 1, "odd": 0},
    "l4": {"easy": 1, "good1": 0, "good2": 0, "hard": 0, "never": 0, "always": 1, "odd": 1},
    "l5": {"easy": 0, "good1": 0, "good2": 0, "hard": 0, "never": 0, "always": 1, "odd": 1},
}


def by_item(stats):
    return {s.item: s for s in stats}


def test_difficulty_is_the_mean_share_of_points():
    stats = by_item(report.item_statistics(SCORES, MAX))
    assert stats["easy"].difficulty == pytest.approx(0.8), "4 of 5 learners earned the point: difficulty 0.8."
    assert stats["hard"].difficulty == pytest.approx(0.5), "Points 2+2+1+0+0 of 5x2: difficulty 0.5."
    assert stats["never"].difficulty == 0 and stats["always"].difficulty == 1, "Extremes must be exactly 0 and 1."


def test_discrimination_is_the_corrected_item_total_correlation():
    stats = by_item(report.item_statistics(SCORES, MAX))
    # For "hard", the rest score sums every other item (all are complete here).
    learners = sorted(SCORES)
    x = [SCORES[learner]["hard"] for learner in learners]
    rest = [sum(v for k, v in SCORES[learner].items() if k != "hard") for learner in learners]
    assert stats["hard"].discrimination == pytest.approx(report.pearson(x, rest)), (
        "Discrimination must correlate the item with the rest of the score, excluding the item itself.")
    assert stats["odd"].discrimination < 0, f"'odd' is passed by the weakest learners; got {stats['odd'].discrimination}."
    assert math.isnan(stats["always"].discrimination), "An item with no variance has no defined correlation."


def test_flags_point_at_items_to_fix():
    stats = by_item(report.item_statistics(SCORES, MAX))
    assert stats["never"].flags == [report.FLAG_ALL_FAIL], f"Got {stats['never'].flags}."
    assert stats["always"].flags == [report.FLAG_NONE_FAIL], f"Got {stats['always'].flags}."
    assert report.FLAG_NEGATIVE in stats["odd"].flags, f"Got {stats['odd'].flags}."
    for item in ("easy", "good1", "good2", "hard"):
        assert stats[item].flags == [], f"A working item must not be flagged; {item} got {stats[item].flags}."
        assert stats[item].discrimination > 0.3, f"{item} follows ability; got r = {stats[item].discrimination:.2f}."


def test_pearson_matches_a_reference_and_handles_degenerate_input():
    import numpy as np

    x, y = [1.0, 2.0, 3.0, 5.0], [2.0, 1.0, 4.0, 3.0]
    assert report.pearson(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1]), "Must agree with numpy.corrcoef."
    assert math.isnan(report.pearson([1, 1, 1], [1, 2, 3])), "No variance: undefined (NaN)."
    assert math.isnan(report.pearson([1, 2], [2, 1])), "Fewer than 3 learners: undefined (NaN)."
    with pytest.raises(ValueError, match="same length"):
        report.pearson([1, 2, 3], [1, 2])


def test_ungraded_written_answers_are_left_out_of_rest_scores():
    scores = {k: {**v, "essay": None} for k, v in SCORES.items()}
    stats = by_item(report.item_statistics(scores, {**MAX, "essay": 2.0}))
    assert stats["essay"].flags == ["not graded yet"] and stats["essay"].n == 0, f"Got {stats['essay']}."
    assert stats["hard"].discrimination == pytest.approx(by_item(report.item_statistics(SCORES, MAX))["hard"]
                                                         .discrimination), "An ungraded item must not change others."


@pytest.mark.parametrize(("scores", "max_points", "error", "match"), [
    ([1, 2], MAX, TypeError, "mappings"),
    ({"a": {"easy": 1}}, {"easy": 0}, ValueError, "positive number"),
    ({"a": {"nope": 1}}, {"easy": 1}, ValueError, "not in max_points"),
    ({"a": {"easy": "1"}}, {"easy": 1}, TypeError, "number or None"),
    ({"a": {"easy": 3}}, {"easy": 1}, ValueError, "outside"),
    ({"a": [1]}, {"easy": 1}, TypeError, "must map item"),
])
def test_bad_input_is_explained(scores, max_points, error, match):
    with pytest.raises(error, match=match):
        report.item_statistics(scores, max_points)


def test_figure_csv_and_table_are_written(tmp_path):
    stats = report.item_statistics(SCORES, MAX, {"easy": "Ex 1: easy one"})
    fig = report.plot_items(stats, tmp_path / "reports" / "x" / "item-analysis.png", "test")
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "The figure must be a PNG file."
    path = report.write_csv(stats, tmp_path / "item-analysis.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["item"] for r in rows] == list(MAX), f"One CSV row per item, in order; got {[r['item'] for r in rows]}."
    assert rows[0]["label"] == "Ex 1: easy one" and rows[4]["flags"] == report.FLAG_ALL_FAIL, f"Rows: {rows[:5]}"
    table = report.format_table(stats, "00-orientation", 5)
    assert "3 item(s) to look at" in table and "negative discrimination" in table, f"Table:\n{table}"


def test_reports_folder_is_git_ignored():
    from aipmlab.paths import REPO_ROOT

    ignored = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/reports/" in ignored and "/grades.csv" in ignored, "reports/ and grades.csv must never be committed."
