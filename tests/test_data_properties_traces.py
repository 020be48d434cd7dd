"""The SIMULATED agent traces (assets/data/agent_traces.jsonl) have the properties lesson 17 relies on.

Every check reads the committed file directly with ``json`` (not through the generator's measuring
code), except the policy constants, which are the generator's stated policy.
"""

from __future__ import annotations

import json
import sys
import time

import pandas as pd
import pytest

from aipmlab.data import AGENT_TOOLS, STEP_FAILURES, TRACE_OUTCOMES, load_agent_steps, load_agent_traces
from aipmlab.paths import REPO_ROOT, asset_path

GENERATOR_DIR = REPO_ROOT / "assets" / "generator"
if str(GENERATOR_DIR) not in sys.path:
    sys.path.insert(0, str(GENERATOR_DIR))
from traces import APPROVAL_ABOVE  # the stated policy: credits above this need a person's approval

TRACE_KEYS = ["trace_id", "ticket_id", "intent", "steps", "reply", "outcome", "label", "input_tokens",
              "output_tokens", "latency_ms"]
STEP_KEYS = ["step", "thought", "tool", "arguments", "result", "input_tokens", "output_tokens", "latency_ms",
             "failure", "first_failure"]
ORDER_INTENTS = {"late_delivery", "missing_item", "damaged_item", "refund_status"}


@pytest.fixture(scope="module")
def traces() -> list[dict]:
    path = asset_path("data", "agent_traces.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    return pd.read_csv(asset_path("data", "tickets.csv"), dtype=str, keep_default_na=False)


def test_schema_and_size(traces):
    assert len(traces) >= 300, f"Lesson 17 needs at least 300 traces; the file has {len(traces)}."
    for t in traces:
        assert list(t) == TRACE_KEYS, f"{t.get('trace_id')}: keys {list(t)}; expected {TRACE_KEYS} in that order."
        assert t["steps"], f"{t['trace_id']} has no steps."
        for k, s in enumerate(t["steps"], start=1):
            assert list(s) == STEP_KEYS, f"{t['trace_id']} step {k}: keys {list(s)}; expected {STEP_KEYS}."
            assert s["step"] == k, f"{t['trace_id']}: steps must be numbered 1, 2, ... in order."
            assert s["tool"] in AGENT_TOOLS, f"{t['trace_id']} step {k} uses unknown tool {s['tool']!r}."
            assert s["failure"] in ("", *STEP_FAILURES), f"{t['trace_id']} step {k}: unknown failure {s['failure']!r}."
            assert isinstance(s["arguments"], dict) and isinstance(s["result"], dict), "arguments and result are objects."
        assert t["outcome"] in TRACE_OUTCOMES, f"{t['trace_id']}: unknown outcome {t['outcome']!r}."
    ids = [t["trace_id"] for t in traces]
    assert len(set(ids)) == len(ids), "trace_id must be unique."


def test_traces_are_for_real_order_tickets(traces, tickets):
    intent = dict(zip(tickets["ticket_id"], tickets["intent"]))
    missing = [t["ticket_id"] for t in traces if t["ticket_id"] not in intent]
    assert not missing, f"Traces point to tickets that are not in tickets.csv: {missing[:5]}."
    wrong = [t["trace_id"] for t in traces if intent[t["ticket_id"]] != t["intent"] or t["intent"] not in ORDER_INTENTS]
    assert not wrong, f"A trace's intent must be its ticket's intent, one of the order problems: {wrong[:5]}."


def test_totals_are_sums_of_steps(traces):
    for t in traces:
        for key in ("input_tokens", "output_tokens", "latency_ms"):
            assert t[key] == sum(s[key] for s in t["steps"]), f"{t['trace_id']}: {key} must be the sum over its steps."


def test_first_failure_marks_exactly_the_first_failing_step(traces):
    for t in traces:
        failing = [s["step"] for s in t["steps"] if s["failure"]]
        marked = [s["step"] for s in t["steps"] if s["first_failure"]]
        assert marked == failing[:1], f"{t['trace_id']}: first_failure on {marked}, failing steps {failing}."
        assert bool(failing) == bool(t["label"]), f"{t['trace_id']}: a label exactly when some step failed."


def test_every_outcome_and_failure_mode_occurs(traces):
    outcomes = pd.Series([t["outcome"] for t in traces]).value_counts(normalize=True)
    assert 0.5 <= outcomes["resolved"] <= 0.8, f"Most traces resolve, not all; resolved share {outcomes['resolved']:.1%}."
    for o in ("escalated", "wrong_action", "abandoned"):
        assert outcomes.get(o, 0) >= 0.02, f"Lesson 17 needs some {o} traces; share {outcomes.get(o, 0):.1%}."
    firsts = pd.Series([s["failure"] for t in traces for s in t["steps"] if s["first_failure"]]).value_counts()
    for mode in STEP_FAILURES:
        assert firsts.get(mode, 0) >= 8, f"Each failure mode should be first in at least 8 traces; {mode}: {firsts.get(mode, 0)}."
    counted_all = pd.Series([s["failure"] for t in traces for s in t["steps"] if s["failure"]]).value_counts()
    assert (counted_all.reindex(firsts.index) > firsts).any(), (
        "Counting every failing step must differ from counting first failures (loops repeat), or first_failures teaches nothing."
    )


def test_outcome_and_trajectory_disagree_sometimes(traces):
    resolved_with_failure = sum(t["outcome"] == "resolved" and t["label"] != "" for t in traces)
    assert resolved_with_failure >= 8, (
        f"Some resolved traces must still have a failing step (outcome is not trajectory); found {resolved_with_failure}."
    )


def test_at_least_5_percent_need_approval_under_the_stated_policy(traces):
    needs = [t for t in traces if any(s["tool"] == "issue_credit" and s["arguments"]["amount"] > APPROVAL_ABOVE
                                      for s in t["steps"])]
    share = len(needs) / len(traces)
    assert share >= 0.05, f"At least 5% of traces must take an action that needs approval (credit > €{APPROVAL_ABOVE}); {share:.1%}."
    outcomes = {t["outcome"] for t in needs}
    assert {"resolved", "wrong_action"} <= outcomes, (
        "Credits that need approval must include right ones and wrong ones, so an approval policy has a real trade-off."
    )


def test_wrong_credits_span_small_and_large_amounts(traces):
    wrong = [s["arguments"]["amount"] for t in traces if t["outcome"] == "wrong_action" for s in t["steps"]
             if s["tool"] == "issue_credit" and s["failure"]]
    assert min(wrong) < 10 < APPROVAL_ABOVE < max(wrong), (
        "Wrong credits must range from a few euros to above the approval line: a money threshold catches some, not all."
    )


def test_latency_has_a_long_right_tail(traces):
    lat = pd.Series([t["latency_ms"] for t in traces])
    assert lat.quantile(0.95) > 2 * lat.median(), "p95 trace latency should be well above the median (a long tail)."


def test_loaders_set_dtypes_and_agree_with_the_file(traces):
    t0 = time.perf_counter()
    tr, st = load_agent_traces(), load_agent_steps()
    assert time.perf_counter() - t0 < 2.0, "Both trace loaders together must take well under 2 s."
    assert len(tr) == len(traces) and len(st) == sum(len(t["steps"]) for t in traces)
    assert str(tr["outcome"].dtype) == "category" and tr["n_steps"].dtype == "int64"
    assert st["amount"].dtype == "float64" and st["first_failure"].dtype == bool and str(st["failure"].dtype) == "category"
    assert st["failure"].isna().sum() == sum(1 for t in traces for s in t["steps"] if not s["failure"]), (
        "A step without failure has <NA> in the failure column."
    )
    credits = st[st["tool"] == "issue_credit"]
    assert (credits["amount"] > 0).all() and (st.loc[st["tool"] != "issue_credit", "amount"] == 0).all()
    assert load_agent_traces(steps=True).equals(st), "load_agent_traces(steps=True) is load_agent_steps()."
    tr.loc[0, "label"] = "changed"
    assert load_agent_traces().loc[0, "label"] != "changed", "Each call returns a fresh table."


def test_loader_rejects_a_bad_argument_clearly():
    with pytest.raises(TypeError, match="True or False"):
        load_agent_traces(steps="yes")


def test_lesson_17_states_the_generators_policy():
    """Lesson 17 copies the stated credit policy into its prose; it must match the generator's constants."""
    from traces import GOODWILL_MAX, LATE_MINUTES, SCOPE_ABOVE

    from aipmlab.grading.notebook import read_notebook, solution_path

    text = "\n".join(c.source for c in read_notebook(solution_path("17-agents")).cells if c.cell_type == "markdown")
    for phrase in (f"plus at most €{GOODWILL_MAX:.0f} of goodwill", f"more than {LATE_MINUTES} minutes late",
                   f"any credit above €{APPROVAL_ABOVE:.0f}", f"more than €{SCOPE_ABOVE:.0f} of items"):
        assert phrase in text, f"Lesson 17 should state the generator's policy: {phrase!r} is missing from its prose."
