"""The loaders in aipmlab.data return correctly typed tables, from any folder, and reject bad input clearly.

Load speed is a budget, measured by `make bench`, not a timed test here.
"""

from __future__ import annotations

import doctest
import os
import subprocess
import sys

import pandas as pd
import pytest

from aipmlab import data
from aipmlab.paths import REPO_ROOT, asset_path

INTENTS = list(data.INTENTS)


@pytest.fixture(scope="module")
def loaded() -> dict[str, pd.DataFrame]:
    return {
        "tickets": data.load_tickets(),
        "help_articles": data.load_help_articles(),
        "article_queries": data.load_article_queries(),
        "reply_events": data.load_reply_events(),
        "experiment": data.load_experiment(),
        "golden_set": data.load_golden_set(),
        "predictions_v1": data.load_predictions("v1"),
        "predictions_v2": data.load_predictions("v2"),
    }


def _raw_rows(name: str) -> int:
    return len(pd.read_csv(asset_path("data", name), dtype=str, keep_default_na=False))


@pytest.mark.parametrize(
    "key, file",
    [("tickets", "tickets.csv"), ("help_articles", "help_articles.csv"), ("article_queries", "article_queries.csv"),
     ("reply_events", "reply_events.csv"), ("experiment", "experiment.csv"), ("golden_set", "golden_set.csv"),
     ("predictions_v1", "predictions_v1.csv"), ("predictions_v2", "predictions_v2.csv")],
)
def test_loaders_return_every_row(loaded, key, file):
    df = loaded[key]
    assert isinstance(df, pd.DataFrame), f"load_{key}() must return a pandas DataFrame."
    assert len(df) == _raw_rows(file), f"load_{key}() must return every row of {file}."


def test_tickets_dtypes(loaded):
    t = loaded["tickets"]
    assert t["created_at"].dtype == "datetime64[ns]", "created_at must be parsed to datetime64[ns]."
    for col in ("channel", "segment", "language", "intent", "intent_b"):
        assert isinstance(t[col].dtype, pd.CategoricalDtype), f"tickets.{col} should be a category."
    assert list(t["intent"].cat.categories) == INTENTS, "intent categories are the 11 intents in datasheet order."
    assert str(t["csat"].dtype) == "Int64", "csat is a nullable integer, so a missing score is <NA>, not 0."
    assert t["csat"].isna().any() and t["csat"].dropna().between(1, 5).all()
    assert t["intent_b"].isna().mean() > 0.7, "intent_b is missing (<NA>) where no second annotator looked."
    assert t["handle_minutes"].dtype == "float64" and t["reopened"].dtype == "int64"
    assert set(t["reopened"].unique()) <= {0, 1}


def test_other_dtypes(loaded):
    ev = loaded["reply_events"]
    assert ev["shown_at"].dtype == "datetime64[ns]"
    assert str(ev["edit_chars"].dtype) == "Int64" and ev["edit_chars"].isna().any()
    assert isinstance(ev["thumbs"].dtype, pd.CategoricalDtype) and ev["thumbs"].isna().any()
    assert ev["undone"].dtype == "int64"
    x = loaded["experiment"]
    assert x["assigned_at"].dtype == "datetime64[ns]" and x["first_response_minutes"].dtype == "float64"
    assert x["resolved_first_contact"].dtype == "int64" and str(x["csat"].dtype) == "Int64"
    q = loaded["article_queries"]
    assert all(isinstance(ids, list) for ids in q["article_ids"]), "article_ids is a list per query."
    n_empty = sum(not ids for ids in q["article_ids"])
    assert 0 < n_empty < len(q) / 2, "Unanswerable queries have an empty list; most queries have at least one id."
    assert {id_ for ids in q["article_ids"] for id_ in ids} <= set(loaded["help_articles"]["article_id"])
    g = loaded["golden_set"]
    assert list(g["case_type"].cat.categories) == ["typical", "hard", "edge", "adversarial"]
    for v in ("v1", "v2"):
        p = loaded[f"predictions_{v}"]
        assert p["confidence"].dtype == "float64" and p["confidence"].between(0, 1).all()
        assert isinstance(p["predicted_intent"].dtype, pd.CategoricalDtype)


def test_each_call_returns_a_fresh_copy():
    first = data.load_tickets()
    first.loc[0, "text"] = "changed by a lesson"
    assert data.load_tickets().loc[0, "text"] != "changed by a lesson", "Loaders must not share state between calls."


def test_load_predictions_rejects_bad_versions_clearly():
    with pytest.raises(ValueError, match=r"'v1' or 'v2'.*'v3'"):
        data.load_predictions("v3")
    with pytest.raises(ValueError, match="'V1'"):
        data.load_predictions("V1")
    with pytest.raises(TypeError, match="string.*int: 2"):
        data.load_predictions(2)
    with pytest.raises(TypeError):
        data.load_predictions()  # type: ignore[call-arg]


def test_loaders_work_from_another_working_directory(tmp_path):
    code = "from aipmlab.data import load_tickets, load_predictions; print(len(load_tickets()), len(load_predictions('v2')))"
    env = {k: v for k, v in os.environ.items() if k != "AIPMLAB_ASSETS"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    n_tickets, n_pred = (int(x) for x in out.stdout.split())
    assert n_tickets == _raw_rows("tickets.csv") and n_pred == _raw_rows("predictions_v2.csv")


def test_importing_the_module_reads_nothing(tmp_path):
    """Nothing runs at import time: importing works even when the data folder is missing."""
    env = dict(os.environ, AIPMLAB_ASSETS=str(tmp_path / "nowhere"))
    out = subprocess.run([sys.executable, "-c", "import aipmlab.data"], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, f"Importing aipmlab.data must not touch the data files:\n{out.stderr[-2000:]}"


def test_docstring_examples_hold():
    result = doctest.testmod(data, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 7, "Each public loader should have an example in its docstring."
    assert result.failed == 0, "The examples in aipmlab.data docstrings must be true."
