"""Load the Basketly datasets shipped in ``assets/data/``, with dtypes set and dates parsed.

One loader per file. Each returns a fresh pandas DataFrame, so a lesson can change it freely.
``assets/data/DATASHEET.md`` describes every column and the properties the lessons rely on.

Conventions:

- timestamps (``created_at``, ``shown_at``, ``assigned_at``) are ``datetime64[ns]`` in Basketly's
  local time, without a time zone;
- label-like columns (``intent``, ``channel``, ``action``, ...) are ``category``;
- counts and scores that can be missing (``csat``, ``edit_chars``) are nullable ``Int64``, so a
  missing CSAT is ``<NA>``, never 0 or NaN in a float column;
- 0/1 flags (``reopened``, ``undone``, ``resolved_first_contact``) are ``int64``;
- empty labels (``intent_b`` on rows a second annotator did not see, ``thumbs`` when no thumb was
  given) are ``<NA>`` in a category column;
- ``article_ids`` in ``load_article_queries()`` is a Python list of article ids per query (empty for
  a query the help centre cannot answer);
- ``;``-separated lists in the files (``retrieved_article_ids``, ``failure_modes``) become Python lists;
- ``True``/``False`` columns are ``bool``; a verdict that can be missing (``passed_b``) is the nullable
  ``boolean`` dtype.

Part II (lessons 14-17): replies and judge verdicts are SIMULATED by the course's data generator,
never recordings of a real model.

Nothing runs at import time.
"""

from __future__ import annotations

import pandas as pd

from aipmlab.paths import asset_path

__all__ = [
    "FAILURE_MODES",
    "INTENTS",
    "JUDGE_VERSIONS",
    "MODEL_TIERS",
    "TIER_PRICES",
    "load_article_queries",
    "load_experiment",
    "load_golden_set",
    "load_help_article_versions",
    "load_help_articles",
    "load_judge_verdicts",
    "load_predictions",
    "load_reply_drafts",
    "load_reply_events",
    "load_reply_labels",
    "load_tickets",
    "load_tier_prices",
]

#: The eleven ticket intents, in the order the datasheet lists them.
INTENTS: tuple[str, ...] = (
    "late_delivery",
    "missing_item",
    "damaged_item",
    "refund_status",
    "billing_charge",
    "account_access",
    "promo_code",
    "app_bug",
    "product_question",
    "other",
    "membership_pause",
)
_PREDICTION_VERSIONS = ("v1", "v2")

#: The simulated assistant's model tiers, cheapest first.
MODEL_TIERS: tuple[str, ...] = ("small", "medium", "large")
#: Price per model tier in euros per million tokens: (input, output). The cost of one reply is
#: ``input_tokens * price_in / 1e6 + output_tokens * price_out / 1e6``.
TIER_PRICES: dict[str, tuple[float, float]] = {
    "small": (0.10, 0.40),
    "medium": (0.60, 2.40),
    "large": (3.00, 15.00),
}
#: Failure modes of a drafted reply, as named in ``reply_labels.csv`` (see the datasheet).
FAILURE_MODES: tuple[str, ...] = (
    "invented_policy",
    "stale_policy",
    "ignores_article",
    "wrong_language",
    "leaks_data",
    "obeys_injection",
    "promises_action",
    "unhelpful_refusal",
    "tone",
)
#: The two versions of the simulated automated judge: v1 is lenient, v2 better aligned with people.
JUDGE_VERSIONS: tuple[str, ...] = ("judge_v1", "judge_v2")
_PROMPT_VERSIONS = ("v1", "v2")


def _read(name: str) -> pd.DataFrame:
    """Read one CSV as strings, keeping empty cells as empty strings (not NaN)."""
    return pd.read_csv(asset_path("data", name), dtype=str, keep_default_na=False, encoding="utf-8")


def _category(values: pd.Series, categories: tuple[str, ...] | list[str]) -> pd.Series:
    """A categorical with a fixed category order; empty strings become missing."""
    return pd.Categorical(values.where(values != ""), categories=list(categories))


def _nullable_int(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.where(values != ""), errors="raise").astype("Int64")


def _datetime(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%dT%H:%M:%S").astype("datetime64[ns]")


def _date(values: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` strings to datetime64 (midnight); empty strings become NaT."""
    return pd.to_datetime(values.where(values != ""), format="%Y-%m-%d").astype("datetime64[ns]")


def _bool(values: pd.Series) -> pd.Series:
    return values.map({"True": True, "False": False}).astype("bool")


def _split(values: pd.Series) -> pd.Series:
    """``a;b;c`` to ``[a, b, c]``; an empty cell to ``[]``."""
    return values.map(lambda v: v.split(";") if v else [])


def load_tickets() -> pd.DataFrame:
    """Load Basketly's 2025 support tickets (one row per ticket).

    Columns: ticket_id, created_at (datetime64), channel, segment, language, text, intent,
    intent_b (second annotator, <NA> on about 85% of rows), handle_minutes (float), csat (Int64,
    <NA> when the customer gave no score) and reopened (0/1).

    >>> tickets = load_tickets()
    >>> tickets["intent"].value_counts().index[0]
    'late_delivery'
    """
    df = _read("tickets.csv")
    df["created_at"] = _datetime(df["created_at"])
    df["channel"] = _category(df["channel"], ("email", "chat", "app"))
    df["segment"] = _category(df["segment"], ("new", "regular", "member"))
    df["language"] = _category(df["language"], ("en", "es", "fr"))
    df["intent"] = _category(df["intent"], INTENTS)
    df["intent_b"] = _category(df["intent_b"], INTENTS)
    df["handle_minutes"] = df["handle_minutes"].astype("float64")
    df["csat"] = _nullable_int(df["csat"])
    df["reopened"] = df["reopened"].astype("int64")
    return df


def load_help_articles() -> pd.DataFrame:
    """Load the help-centre articles (article_id, title, body).

    >>> articles = load_help_articles()
    >>> list(articles.columns)
    ['article_id', 'title', 'body']
    """
    return _read("help_articles.csv")


def load_article_queries() -> pd.DataFrame:
    """Load customer queries with the help articles judged relevant to each.

    ``article_ids`` is a list of article ids per query; it is empty (``[]``) for a query no article answers.

    >>> queries = load_article_queries()
    >>> isinstance(queries.loc[0, "article_ids"], list)
    True
    """
    df = _read("article_queries.csv")
    df["article_ids"] = _split(df["article_ids"])
    return df


def load_help_article_versions() -> pd.DataFrame:
    """Load every version of every help article (some policies change during 2025).

    Columns: article_id, version (int64, from 1), valid_from (datetime64, first day in force),
    valid_to (datetime64, first day no longer in force; NaT for the current version), title, body.
    A version is valid at time ``t`` when ``valid_from <= t < valid_to`` (or ``valid_to`` is NaT).
    The current versions are exactly ``load_help_articles()``.

    >>> versions = load_help_article_versions()
    >>> int(versions.groupby("article_id")["valid_to"].apply(lambda s: s.isna().sum()).min())
    1
    """
    df = _read("help_article_versions.csv")
    df["version"] = df["version"].astype("int64")
    df["valid_from"] = _date(df["valid_from"])
    df["valid_to"] = _date(df["valid_to"])
    return df


def load_reply_drafts() -> pd.DataFrame:
    """Load the SIMULATED drafted replies: one row per draft (ticket x prompt version x model tier x sample).

    Columns: draft_id, ticket_id, created_at (the ticket's, datetime64), intent (the ticket's label),
    prompt_version (v1|v2), model_tier (small|medium|large), temperature (float), sample (int64),
    injected_instruction ("" when none), retrieved_article_ids (ranked list), cited_article_id,
    article_version (int64), reply, input_tokens, output_tokens, latency_ms (int64).

    >>> drafts = load_reply_drafts()
    >>> list(drafts["model_tier"].cat.categories)
    ['small', 'medium', 'large']
    """
    df = _read("reply_drafts.csv")
    df["created_at"] = _datetime(df["created_at"])
    df["intent"] = _category(df["intent"], INTENTS)
    df["prompt_version"] = _category(df["prompt_version"], _PROMPT_VERSIONS)
    df["model_tier"] = _category(df["model_tier"], MODEL_TIERS)
    df["temperature"] = df["temperature"].astype("float64")
    for col in ("sample", "article_version", "input_tokens", "output_tokens", "latency_ms"):
        df[col] = df[col].astype("int64")
    df["retrieved_article_ids"] = _split(df["retrieved_article_ids"])
    return df


def load_reply_labels() -> pd.DataFrame:
    """Load the human review of drafted replies: draft_id, passed (bool), failure_modes (list, empty for a
    pass), note (reviewer A's words, may be empty), passed_b (a second reviewer's verdict, nullable
    ``boolean``, <NA> where only one reviewer looked).

    >>> labels = load_reply_labels()
    >>> labels["passed"].dtype == bool
    True
    """
    df = _read("reply_labels.csv")
    df["passed"] = _bool(df["passed"])
    df["failure_modes"] = _split(df["failure_modes"])
    df["passed_b"] = df["passed_b"].map({"True": True, "False": False, "": pd.NA}).astype("boolean")
    return df


def load_judge_verdicts(judge_version: str | None = None) -> pd.DataFrame:
    """Load the SIMULATED automated judge's verdicts on every draft: draft_id, judge_version, passed (bool),
    reason.

    ``judge_version`` is ``None`` (both versions), ``"judge_v1"`` (lenient) or ``"judge_v2"`` (better aligned).

    >>> sorted(load_judge_verdicts()["judge_version"].unique())
    ['judge_v1', 'judge_v2']
    """
    if judge_version is not None and not isinstance(judge_version, str):
        raise TypeError(
            "load_judge_verdicts() expects judge_version as a string, 'judge_v1' or 'judge_v2', or None for both; "
            f"got {type(judge_version).__name__}: {judge_version!r}."
        )
    if judge_version is not None and judge_version not in JUDGE_VERSIONS:
        raise ValueError(f"load_judge_verdicts() expects judge_version 'judge_v1', 'judge_v2' or None; got {judge_version!r}.")
    df = _read("judge_verdicts.csv")
    if judge_version is not None:
        df = df[df["judge_version"] == judge_version].reset_index(drop=True)
    df["judge_version"] = _category(df["judge_version"], JUDGE_VERSIONS)
    df["passed"] = _bool(df["passed"])
    return df


def load_tier_prices() -> pd.DataFrame:
    """The price table of the model tiers (``TIER_PRICES``): model_tier, price_in_per_mtok, price_out_per_mtok,
    in euros per million tokens.

    >>> load_tier_prices()["model_tier"].tolist()
    ['small', 'medium', 'large']
    """
    return pd.DataFrame({
        "model_tier": list(TIER_PRICES),
        "price_in_per_mtok": [float(p[0]) for p in TIER_PRICES.values()],
        "price_out_per_mtok": [float(p[1]) for p in TIER_PRICES.values()],
    })


def load_reply_events() -> pd.DataFrame:
    """Load the suggested-reply events: which model version suggested a reply and what the agent did.

    Columns: event_id, ticket_id, model_version (v1|v2), shown_at (datetime64), action
    (accepted|edited|rejected|ignored), edit_chars (Int64; 0 when accepted unedited, <NA> when the
    suggestion was not used), undone (0/1), thumbs (up|down|<NA>) and agent_id.

    >>> events = load_reply_events()
    >>> sorted(events["model_version"].unique())
    ['v1', 'v2']
    """
    df = _read("reply_events.csv")
    df["model_version"] = _category(df["model_version"], _PREDICTION_VERSIONS)
    df["shown_at"] = _datetime(df["shown_at"])
    df["action"] = _category(df["action"], ("accepted", "edited", "rejected", "ignored"))
    df["edit_chars"] = _nullable_int(df["edit_chars"])
    df["undone"] = df["undone"].astype("int64")
    df["thumbs"] = _category(df["thumbs"], ("up", "down"))
    return df


def load_experiment() -> pd.DataFrame:
    """Load the A/B test of suggested replies: one row per chat ticket (unit).

    Columns: unit_id, variant (control|treatment), assigned_at (datetime64),
    first_response_minutes (float), resolved_first_contact (0/1), csat (Int64 or <NA>), reopened (0/1).

    >>> experiment = load_experiment()
    >>> sorted(experiment["variant"].unique())
    ['control', 'treatment']
    """
    df = _read("experiment.csv")
    df["variant"] = _category(df["variant"], ("control", "treatment"))
    df["assigned_at"] = _datetime(df["assigned_at"])
    df["first_response_minutes"] = df["first_response_minutes"].astype("float64")
    df["resolved_first_contact"] = df["resolved_first_contact"].astype("int64")
    df["csat"] = _nullable_int(df["csat"])
    df["reopened"] = df["reopened"].astype("int64")
    return df


def load_golden_set() -> pd.DataFrame:
    """Load the golden evaluation set: case_id, text, expected_intent, case_type, note.

    ``case_type`` is one of typical, hard, edge, adversarial.

    >>> golden = load_golden_set()
    >>> sorted(golden["case_type"].unique())
    ['adversarial', 'edge', 'hard', 'typical']
    """
    df = _read("golden_set.csv")
    df["expected_intent"] = _category(df["expected_intent"], INTENTS)
    df["case_type"] = _category(df["case_type"], ("typical", "hard", "edge", "adversarial"))
    return df


def load_predictions(version: str) -> pd.DataFrame:
    """Load one model version's predictions on the golden set: case_id, predicted_intent, confidence.

    ``version`` is ``"v1"`` (the launch model) or ``"v2"`` (its update).

    >>> v2 = load_predictions("v2")
    >>> float(v2["confidence"].max()) <= 1.0
    True
    """
    if not isinstance(version, str):
        raise TypeError(
            f"load_predictions() expects the version as a string, 'v1' or 'v2'; got {type(version).__name__}: "
            f"{version!r}."
        )
    if version not in _PREDICTION_VERSIONS:
        raise ValueError(f"load_predictions() expects version 'v1' or 'v2'; got {version!r}.")
    df = _read(f"predictions_{version}.csv")
    df["predicted_intent"] = _category(df["predicted_intent"], INTENTS)
    df["confidence"] = df["confidence"].astype("float64")
    return df
