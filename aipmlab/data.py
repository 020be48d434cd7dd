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


# ---------- agent traces (Part II) ------------------------------------------------------------------
#: The order assistant's tools, and what each trace's outcome and each step's failure label can be.
AGENT_TOOLS: tuple[str, ...] = ("lookup_order", "search_help", "issue_credit", "reschedule_slot", "handoff")
TRACE_OUTCOMES: tuple[str, ...] = ("resolved", "escalated", "wrong_action", "abandoned")
STEP_FAILURES: tuple[str, ...] = ("wrong_tool", "wrong_arguments", "credit_above_policy", "hallucinated_tool_result",
                                  "loop", "late_handoff", "needless_handoff")
__all__ += ["AGENT_TOOLS", "STEP_FAILURES", "TRACE_OUTCOMES", "load_agent_steps", "load_agent_traces"]


def _read_traces() -> list[dict]:
    import json

    path = asset_path("data", "agent_traces.jsonl")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_agent_traces(steps: bool = False) -> pd.DataFrame:
    """Load the order assistant's SIMULATED agent traces: one row per trace, or one per step.

    ``steps=False`` (the default) gives one row per trace: trace_id, ticket_id, intent (category),
    steps (the list of step dicts, as in the file), n_steps, reply, outcome (category: resolved,
    escalated, wrong_action, abandoned), label (a reviewer's note of what went wrong; "" when nothing
    did), input_tokens, output_tokens and latency_ms (int64, sums over the steps).

    ``steps=True`` gives the tidy steps table, the same as ``load_agent_steps()``.

    >>> traces = load_agent_traces()
    >>> sorted(traces["outcome"].cat.categories)
    ['abandoned', 'escalated', 'resolved', 'wrong_action']
    """
    if not isinstance(steps, bool):
        raise TypeError(f"load_agent_traces(steps=...) expects True or False; got {type(steps).__name__}: {steps!r}.")
    if steps:
        return load_agent_steps()
    raw = _read_traces()
    df = pd.DataFrame({
        "trace_id": [t["trace_id"] for t in raw],
        "ticket_id": [t["ticket_id"] for t in raw],
        "intent": pd.Categorical([t["intent"] for t in raw], categories=list(INTENTS)),
        "steps": [t["steps"] for t in raw],
        "n_steps": pd.Series([len(t["steps"]) for t in raw], dtype="int64"),
        "reply": [t["reply"] for t in raw],
        "outcome": pd.Categorical([t["outcome"] for t in raw], categories=list(TRACE_OUTCOMES)),
        "label": [t["label"] for t in raw],
    })
    for col in ("input_tokens", "output_tokens", "latency_ms"):
        df[col] = pd.Series([t[col] for t in raw], dtype="int64")
    return df


def load_agent_steps() -> pd.DataFrame:
    """Load the SIMULATED agent traces as a tidy table: one row per step, in trace and step order.

    Columns: trace_id, intent and outcome (of the whole trace, repeated on each of its steps), step
    (1, 2, ...), tool (category), thought (a summary of the assistant's reasoning), arguments and result
    (dicts: what the tool was called with and what it returned), amount (float: the euros an
    ``issue_credit`` step gives away, 0.0 for every other tool), failure (category: the reviewer's
    failure mode for this step, <NA> when the step was fine), first_failure (bool: True on the first
    failing step of a trace only), input_tokens, output_tokens and latency_ms (int64).

    >>> steps = load_agent_steps()
    >>> int(steps.groupby("trace_id")["first_failure"].sum().max())
    1
    """
    raw = _read_traces()
    rows = []
    for t in raw:
        for s in t["steps"]:
            rows.append((t["trace_id"], t["intent"], t["outcome"], s["step"], s["tool"], s["thought"], s["arguments"],
                         s["result"], float(s["arguments"].get("amount", 0.0)) if s["tool"] == "issue_credit" else 0.0,
                         s["failure"], s["first_failure"], s["input_tokens"], s["output_tokens"], s["latency_ms"]))
    cols = ["trace_id", "intent", "outcome", "step", "tool", "thought", "arguments", "result", "amount", "failure",
            "first_failure", "input_tokens", "output_tokens", "latency_ms"]
    df = pd.DataFrame.from_records(rows, columns=cols)
    df["intent"] = pd.Categorical(df["intent"], categories=list(INTENTS))
    df["outcome"] = pd.Categorical(df["outcome"], categories=list(TRACE_OUTCOMES))
    df["tool"] = pd.Categorical(df["tool"], categories=list(AGENT_TOOLS))
    df["failure"] = _category(df["failure"], STEP_FAILURES)
    df["amount"] = df["amount"].astype("float64")
    df["first_failure"] = df["first_failure"].astype("bool")
    for col in ("step", "input_tokens", "output_tokens", "latency_ms"):
        df[col] = df[col].astype("int64")
    return df
