"""Simulate the order assistant's agent traces (``agent_traces.jsonl``).

Basketly ran the reply assistant in a *shadow pilot* on English order problems: it read the ticket,
called tools (``lookup_order``, ``search_help``, ``issue_credit``, ``reschedule_slot``, ``handoff``)
against a sandbox copy of the order system, and wrote a reply; a person handled every real customer.
Reviewers then read each trace and labelled what went wrong. The traces here are SIMULATED: each one is
assembled by this module from a scripted plan per task, with failures injected at the rates below, and
the hand-written text (thought summaries, replies, reviewer labels, product prices) comes from
``bank/traces/``. They behave like model output with known properties; they are not a recording of any
model.

The stated credit policy (Basketly's rules for people, which the assistant was given):

- missing or damaged items: credit the price of the affected items, as shown by ``lookup_order``, plus
  at most ``GOODWILL_MAX`` euros of goodwill;
- a delivery more than ``LATE_MINUTES`` minutes past its slot: credit the delivery fee;
- any single credit above ``APPROVAL_ABOVE`` euros needs a team lead's approval (the pilot assistant had
  no way to ask, so such credits were issued alone: those are the actions the lessons price);
- a case where more than ``SCOPE_ABOVE`` euros of items are affected, a refund that cannot be found, or a
  customer who asks for a person goes to a person.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from bankio import BANK_DIR, load_articles, read_lines, read_pipe_table

LATE_MINUTES = 30
GOODWILL_MAX = 5.0
APPROVAL_ABOVE = 25.0
SCOPE_ABOVE = 60.0
MAX_STEPS = 12
N_TRACES = {"late_delivery": 150, "missing_item": 110, "damaged_item": 80, "refund_status": 80}
P_SLOT_TASK = 0.3  # share of late_delivery tickets where the customer wants a new slot
#: Chance that a trace has a failure, per intent.
P_FAIL = {"late_delivery": 0.28, "missing_item": 0.36, "damaged_item": 0.36, "refund_status": 0.34}
MODES = ("wrong_tool", "wrong_arguments", "credit_above_policy", "hallucinated_tool_result", "loop",
         "late_handoff", "needless_handoff")
#: Which failure a failing trace has (weights in MODES order), per task.
MODE_WEIGHTS = {
    "where": (0.16, 0.12, 0.10, 0.08, 0.22, 0.10, 0.22),
    "slot": (0.20, 0.20, 0.00, 0.15, 0.20, 0.12, 0.13),
    "missing": (0.08, 0.16, 0.26, 0.14, 0.14, 0.12, 0.10),
    "damaged": (0.08, 0.12, 0.26, 0.12, 0.14, 0.14, 0.14),
    "refund": (0.20, 0.12, 0.00, 0.24, 0.18, 0.14, 0.12),
}
P_OUT_OF_SCOPE = 0.08  # clean traces whose right move is a handoff (customer asks for a person, etc.)
P_SECOND_FAILURE = 0.3  # after a recovered wrong order number, a later credit above policy
TOOL_MS = {"lookup_order": 220, "search_help": 300, "issue_credit": 600, "reschedule_slot": 480, "handoff": 150}
SYSTEM_TOKENS = 1150  # system prompt, tool definitions and policy
SEARCH_ARTICLES = {"where": ("A01", "A02"), "slot": ("A03", "A42"), "missing": ("A05", "A07"),
                   "damaged": ("A09", "A10"), "refund": ("A13", "A15")}
SEARCH_KEY = {"where": "search_late", "slot": "search_slot", "missing": "search_missing",
              "damaged": "search_damaged", "refund": "search_refund"}
SEARCH_QUERY = {"search_late": "late delivery compensation", "search_slot": "change delivery slot",
                "search_missing": "missing item credit", "search_damaged": "damaged item policy",
                "search_refund": "how long does a refund take", "search_wrong": "track my order",
                "loop_search": "order problem policy"}
_ORDER_RE = re.compile(r"(?<!\d)(\d{7})(?!\d)")


def _table(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, values in read_pipe_table(path):
        out.setdefault(key, []).append(";".join(values))
    return out


def _lines_by_key(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in read_lines(path):
        key, _, text = line.partition("|")
        out.setdefault(key.strip(), []).append(text.strip())
    return out


class Bank:
    def __init__(self, root: Path):
        d = root / "traces"
        self.prices = {k: float(v[0]) for k, v in _table(d / "prices.txt").items()}
        # Every product a customer message can name ({item} in bank/items/en.txt) can be in an order: those
        # without a hand-written price get a seeded one between 1 and 7 euros.
        price_rng = np.random.default_rng(71)
        for name in read_lines(root / "items" / "en.txt"):
            if name not in self.prices:
                self.prices[name] = round(float(price_rng.uniform(1.0, 7.0)), 2)
        self.thoughts = _lines_by_key(d / "thoughts.txt")
        self.replies = _lines_by_key(d / "replies.txt")
        self.labels = _lines_by_key(d / "labels.txt")
        self.titles = {a.article_id: a.title for a in load_articles(root)}


def _money(x: float) -> str:
    return f"€{x:.2f}"


class TraceBuilder:
    """Builds one trace step by step; ``ctx`` fills the text placeholders."""

    def __init__(self, rng: np.random.Generator, bank: Bank, ctx: dict):
        self.rng, self.bank, self.ctx = rng, bank, ctx
        self.steps: list[dict] = []

    def pick(self, lines: list[str]) -> str:
        return lines[int(self.rng.integers(len(lines)))]

    def text(self, table: dict[str, list[str]], key: str, **extra) -> str:
        out = self.pick(table[key]).format(**(self.ctx | extra))
        return out[:1].upper() + out[1:]

    def add(self, thought_key: str, tool: str, arguments: dict, result, failure: str = "", why: str = "",
            **extra) -> None:
        """Add a step; ``failure`` is its failure mode, ``why`` the key of the reviewer's label in labels.txt."""
        self.steps.append({"thought": self.text(self.bank.thoughts, thought_key, **extra), "tool": tool,
                           "arguments": arguments, "result": result, "failure": failure,
                           "why": why or failure, "extra": extra})


def _order(rng, bank: Bank, ticket_text: str, created: datetime, task: str) -> dict:
    found = _ORDER_RE.search(ticket_text)
    order_id = found.group(1) if found else str(int(rng.integers(6_000_000, 7_000_000)))
    names = list(bank.prices)
    k = int(rng.integers(4, 9))
    chosen = [names[int(i)] for i in rng.choice(len(names), size=k, replace=False)]
    low = ticket_text.lower()
    mentioned = [n for n in names if n in low]  # a product the customer names is in the order
    if mentioned and mentioned[0] not in chosen:
        chosen[0] = mentioned[0]
    items = [{"name": n, "qty": int(rng.choice([1, 1, 1, 2, 2, 3])), "price": bank.prices[n]} for n in chosen]
    start = int(rng.integers(8, 21))
    day = created.date() if task in ("where", "slot") else (created - timedelta(days=int(rng.integers(0, 3)))).date()
    fee = float(rng.choice([3.99, 4.99, 5.99]))
    total = round(sum(i["qty"] * i["price"] for i in items) + fee, 2)
    return {"order_id": order_id, "has_number": found is not None, "items": items, "fee": fee, "total": total,
            "slot": f"{day.isoformat()} {start:02d}:00-{start + 1:02d}:00", "day": day, "start": start,
            "other_items": [n for n in names if n not in chosen],
            "mentioned": mentioned[0] if mentioned else ""}


def _view(order: dict, **fields) -> dict:
    """What lookup_order returns."""
    return {"order_id": order["order_id"], **fields, "slot": order["slot"],
            "items": [{"name": i["name"], "qty": i["qty"], "price": i["price"]} for i in order["items"]],
            "delivery_fee": order["fee"], "total": order["total"]}


def _simulate(rng, bank: Bank, ticket: pd.Series, task: str) -> dict:
    created = datetime.fromisoformat(ticket["created_at"])
    order = _order(rng, bank, ticket["text"], created, task)
    oid = order["order_id"]
    mode = ""
    if rng.random() < P_FAIL[ticket["intent"]]:
        mode = MODES[int(rng.choice(len(MODES), p=np.array(MODE_WEIGHTS[task]) / sum(MODE_WEIGHTS[task])))]
    out_of_scope = mode == "late_handoff" or (not mode and rng.random() < P_OUT_OF_SCOPE)
    second = mode == "wrong_arguments" and task in ("missing", "damaged") and rng.random() < P_SECOND_FAILURE

    # ---- the facts of the case ----------------------------------------------------------------
    minutes_late = int(rng.integers(35, 95)) if rng.random() < 0.6 else int(rng.integers(5, 29))
    if mode == "hallucinated_tool_result" and task == "where":
        minutes_late = int(rng.integers(5, 25))
    affected = [order["items"][int(rng.integers(len(order["items"])))]]
    if order["mentioned"]:
        affected = [i for i in order["items"] if i["name"] == order["mentioned"]]
    if task in ("missing", "damaged") and (rng.random() < 0.3 or out_of_scope):
        n_aff = int(rng.integers(2, 5))
        more = [order["items"][int(i)] for i in rng.choice(len(order["items"]), size=n_aff, replace=False)]
        affected = affected + [i for i in more if i is not affected[0]][: n_aff - 1]
    amount = round(sum(i["qty"] * i["price"] for i in affected), 2)
    if task in ("missing", "damaged") and out_of_scope and amount <= SCOPE_ABOVE:
        amount = round(order["total"] - order["fee"], 2)  # the whole order
        affected = order["items"]
    refund_amount = round(float(rng.uniform(4, 45)), 2)
    refund_status = str(rng.choice(["processing", "issued"])) if not out_of_scope else "not_found"
    eta_minute = order["start"] * 60 + 60 + minutes_late
    eta = f"{eta_minute // 60:02d}:{eta_minute % 60:02d}"
    new_start = min(order["start"] + int(rng.integers(2, 5)), 21)
    new_slot = f"{order['day'].isoformat()} {new_start:02d}:00-{new_start + 1:02d}:00"
    if new_start == order["start"] or rng.random() < 0.4:
        nd = order["day"] + timedelta(days=1)
        new_slot = f"{nd.isoformat()} {order['start']:02d}:00-{order['start'] + 1:02d}:00"
    expected_by = (created + timedelta(days=int(rng.integers(2, 6)))).date().isoformat()
    item = affected[0]["name"]
    ctx = {"order": oid, "item": item, "amount": _money(amount), "slot": new_slot, "status": refund_status,
           "n": len(affected), "minutes": minutes_late, "fee": _money(order["fee"]), "eta": eta,
           "date": expected_by, "step": 0}
    b = TraceBuilder(rng, bank, ctx)

    if task == "where":
        status = "out_for_delivery"
        view = _view(order, status=status, minutes_late=minutes_late, eta=eta)
    elif task == "slot":
        status = "out_for_delivery" if mode == "hallucinated_tool_result" else "packing"
        view = _view(order, status=status, minutes_late=0, eta="")
    elif task == "refund":
        view = _view(order, status="delivered", refund={"status": refund_status,
                                                        "amount": refund_amount if refund_status != "not_found" else 0.0,
                                                        "expected_by": expected_by if refund_status != "not_found" else ""})
        ctx["amount"] = _money(refund_amount)
    else:
        note = "reported_missing" if task == "missing" else "reported_damaged"  # the customer's report
        delivered_at = f"{order['slot'][:10]} {order['start']:02d}:{int(rng.integers(5, 55)):02d}"
        view = _view(order, status="delivered", delivered_at=delivered_at)
        view[note] = [{"name": i["name"], "qty": i["qty"]} for i in affected]  # what the customer ticked in the app

    # ---- steps ---------------------------------------------------------------------------------
    def lookup(failure: str = "") -> None:
        key = "lookup" if order["has_number"] else "lookup_no_number"
        b.add(key, "lookup_order", {"order_id": oid}, view, failure)

    def search(key: str, failure: str = "", why: str = "") -> None:
        aid = SEARCH_ARTICLES[task][int(rng.integers(2))]
        b.add(key, "search_help", {"query": SEARCH_QUERY[key]},
              {"article_id": aid, "title": bank.titles.get(aid, "")}, failure, why)

    def credit(value: float, thought: str, failure: str = "", why: str = "", order_id: str | None = None,
               **extra) -> None:
        b.add(thought, "issue_credit", {"order_id": order_id or oid, "amount": round(value, 2), "reason": reason},
              {"status": "ok", "credited": round(value, 2)}, failure, why, amount=_money(value), **extra)

    def handoff(key: str, failure: str = "", **extra) -> None:
        b.add(key, "handoff", {"queue": "order_problems", "summary": f"order {oid}, {task}"},
              {"status": "queued"}, failure, **extra)

    reason = "slot_change" if task == "slot" else ticket["intent"]
    outcome, reply_key = "resolved", ""
    # The start: look the order up (or fail to).
    if mode == "wrong_tool" and task in ("where", "missing", "damaged"):
        search("search_wrong" if task == "where" else SEARCH_KEY[task], "wrong_tool", "wrong_tool_search")
        if task == "where" and rng.random() < 0.5:
            outcome, reply_key = "abandoned", "abandoned"
        else:
            lookup()
    elif mode == "wrong_arguments" and (rng.random() < 0.5 or second):
        typo = oid[:-2] + oid[-1] + oid[-2] if oid[-1] != oid[-2] else oid[:-1] + str((int(oid[-1]) + 1) % 10)
        b.add("lookup", "lookup_order", {"order_id": typo}, {"error": "order not found"}, "wrong_arguments",
              "wrong_arguments_lookup", order=typo)
        b.add("lookup_retry", "lookup_order", {"order_id": oid}, view)
    else:
        lookup()
    mode_args_done = bool(b.steps and b.steps[0]["failure"] == "wrong_arguments")

    if outcome == "abandoned":
        pass
    elif mode == "loop":
        again = "lookup_again" if rng.random() < 0.6 else "loop_search"
        if again == "loop_search":
            search(SEARCH_KEY[task])
        reps = int(rng.integers(3, 8))
        for _ in range(reps):
            if again == "lookup_again":
                b.add("lookup_again", "lookup_order", {"order_id": oid}, view, "loop")
            else:
                search("loop_search", "loop")
        if rng.random() < 0.45:
            handoff("handoff_late")
            outcome, reply_key = "escalated", "handoff"
        else:
            outcome, reply_key = "abandoned", "abandoned" if rng.random() < 0.5 else ""
    elif out_of_scope:
        if mode == "late_handoff":
            wasted = int(rng.integers(2, 5))
            for k in range(wasted):
                if k % 2 == 0:
                    search(SEARCH_KEY[task], "late_handoff")
                else:
                    b.add("lookup_again", "lookup_order", {"order_id": oid}, view, "late_handoff")
            handoff("handoff_late")
        else:
            handoff("handoff_person" if rng.random() < 0.4 else "handoff_scope", amount=_money(amount))
        outcome, reply_key = "escalated", "handoff"
    elif mode == "needless_handoff":
        if rng.random() < 0.3:
            search(SEARCH_KEY[task])
        handoff("handoff_needless", "needless_handoff")
        outcome, reply_key = "escalated", "handoff"
    elif task == "where":
        if rng.random() < 0.3:
            search("search_late")
        if mode == "hallucinated_tool_result":
            credit(order["fee"], "credit_late", "hallucinated_tool_result", "hallucinated_late",
                   minutes=minutes_late + 30)
            outcome, reply_key = "wrong_action", "where_credit"
        elif mode == "credit_above_policy":
            credit(float(rng.choice([10.0, 15.0, 20.0, 25.0, 30.0])), "credit_over", "credit_above_policy")
            outcome, reply_key = "wrong_action", "where"
        elif mode == "wrong_arguments" and not mode_args_done:
            b.add("reschedule_wrong", "reschedule_slot", {"order_id": oid, "new_slot": new_slot},
                  {"status": "ok", "new_slot": new_slot}, "wrong_arguments", "wrong_arguments_slot")
            outcome, reply_key = "wrong_action", "slot"
        else:
            if minutes_late > LATE_MINUTES:
                credit(order["fee"], "credit_late")
                reply_key = "where_credit"
            else:
                reply_key = "where"
    elif task == "slot":
        if rng.random() < 0.3:
            search("search_slot")
        if mode == "wrong_tool":
            credit(order["fee"], "credit_wrong_tool", "wrong_tool", "wrong_tool_credit")
            outcome, reply_key = "wrong_action", "where"
        elif mode == "wrong_arguments" and not mode_args_done:
            wrong_day = (order["day"] + timedelta(days=int(rng.integers(2, 6)))).isoformat()
            bad_slot = wrong_day + new_slot[10:]
            b.add("reschedule", "reschedule_slot", {"order_id": oid, "new_slot": bad_slot},
                  {"status": "ok", "new_slot": bad_slot}, "wrong_arguments", "wrong_arguments_slot",
                  slot=bad_slot)
            outcome, reply_key = "wrong_action", "slot"
            ctx["slot"] = bad_slot
        elif mode == "hallucinated_tool_result":
            b.add("reschedule_hallucinated", "reschedule_slot", {"order_id": oid, "new_slot": new_slot},
                  {"status": "ok", "new_slot": new_slot}, "hallucinated_tool_result", "hallucinated_status")
            outcome, reply_key = "wrong_action", "slot"
        else:
            b.add("reschedule", "reschedule_slot", {"order_id": oid, "new_slot": new_slot},
                  {"status": "ok", "new_slot": new_slot})
            reply_key = "slot"
    elif task in ("missing", "damaged"):
        if rng.random() < 0.35 and mode != "wrong_tool":
            search(SEARCH_KEY[task])
        big = len(affected) > 1
        if mode == "credit_above_policy" or second:
            over = max(amount * float(rng.uniform(2.0, 4.0)), amount + GOODWILL_MAX + float(rng.uniform(3, 15)))
            if rng.random() < 0.35:
                over = max(order["total"], amount + GOODWILL_MAX + 5)
            over = round(over, 2)
            credit(over, "credit_over", "credit_above_policy")
            outcome, reply_key = "wrong_action", "big_credit" if big else task
            ctx["amount"] = _money(over)
        elif mode == "wrong_arguments" and not mode_args_done:
            wrong = round(amount * int(rng.integers(2, 4)), 2) if rng.random() < 0.6 else amount
            other = str(int(oid) + int(rng.integers(1, 900)))
            if wrong == amount:
                credit(wrong, f"credit_{task}", "wrong_arguments", "wrong_arguments_order", order_id=other)
            else:
                credit(wrong, f"credit_{task}", "wrong_arguments", "wrong_arguments_amount")
                ctx["amount"] = _money(wrong)
            outcome, reply_key = "wrong_action", task
        elif mode == "hallucinated_tool_result":
            ghost = order["other_items"][int(rng.integers(len(order["other_items"])))]
            value = round(bank.prices[ghost] * int(rng.integers(1, 3)), 2)
            credit(value, "credit_hallucinated", "hallucinated_tool_result", "hallucinated_credit", item=ghost)
            ctx["item"], ctx["amount"] = ghost, _money(value)
            outcome, reply_key = "wrong_action", task
        else:
            credit(amount, "credit_big" if big else f"credit_{task}")
            reply_key = "big_credit" if big else task
    elif task == "refund":
        if rng.random() < 0.7:
            search("search_refund")
        if mode == "wrong_tool":
            credit(refund_amount, "credit_wrong_tool", "wrong_tool", "wrong_tool_credit")
            outcome, reply_key = "wrong_action", "refund"
        elif mode == "hallucinated_tool_result":
            ghost_value = round(refund_amount * float(rng.choice([1.0, 2.0])), 2)
            credit(ghost_value, "credit_hallucinated", "hallucinated_tool_result", "hallucinated_credit")
            outcome, reply_key = "wrong_action", "refund"
        elif mode == "wrong_arguments" and not mode_args_done:
            b.add("lookup_again", "lookup_order", {"order_id": str(int(oid) - 1)}, {"error": "order not found"},
                  "wrong_arguments", "wrong_arguments_lookup", order=str(int(oid) - 1))
            outcome, reply_key = "abandoned", "abandoned"
        else:
            reply_key = "refund"

    # ---- reply, label, first failure --------------------------------------------------------------
    reply = b.text(bank.replies, reply_key) if reply_key else ""
    steps = b.steps[:MAX_STEPS]
    first = next((k for k, s in enumerate(steps) if s["failure"]), None)
    # The reviewer names each distinct failure, first failure first, at the step where it began.
    parts, seen = [], set()
    for k, s in enumerate(steps):
        if s["failure"] and s["failure"] not in seen:
            seen.add(s["failure"])
            parts.append(b.text(bank.labels, s["why"], **(s["extra"] | {"step": k + 1})))
    label = " ".join(parts)
    return {"steps": steps, "first": first, "reply": reply, "outcome": outcome, "label": label,
            "ticket_tokens": max(8, len(ticket["text"]) // 4)}


def _tokens_and_latency(rng, steps: list[dict], ticket_tokens: int, reply: str) -> None:
    context = SYSTEM_TOKENS + ticket_tokens
    for k, s in enumerate(steps):
        call = json.dumps({"tool": s["tool"], "arguments": s["arguments"]}, ensure_ascii=False)
        out = int(len(s["thought"]) / 4 * float(rng.uniform(1.5, 3.5)) + len(call) / 3.5)
        if k == len(steps) - 1 and reply:
            out += len(reply) // 4 + 8
        result_tokens = int(len(json.dumps(s["result"], ensure_ascii=False)) / 3.2)
        s["input_tokens"] = int(context)
        s["output_tokens"] = out
        model_ms = (300 + 16 * out + 0.06 * context) * float(rng.lognormal(0.0, 0.35))
        if rng.random() < 0.04:
            model_ms *= float(rng.uniform(3, 8))  # the long tail: a slow call
        tool_ms = TOOL_MS[s["tool"]] * float(rng.lognormal(0.0, 0.4))
        s["latency_ms"] = round(model_ms + tool_ms)
        context += out + result_tokens


def build_traces(seed: int, tickets: pd.DataFrame, bank_dir: Path = BANK_DIR,
                 latent_intent=None) -> tuple[list[dict], dict]:
    """Return the traces (JSON-ready dicts, in trace_id order) and the measured facts for the datasheet.

    ``latent_intent`` (the intent each message was written for) keeps to tickets whose label is right, so a
    trace for "missing_item" is about a missing item: routing mistakes are lesson 07's subject, not this file's.
    """
    rng = np.random.default_rng([seed, 70])
    bank = Bank(bank_dir)
    keep = (tickets["language"] == "en") & tickets["intent"].isin(list(N_TRACES))
    if latent_intent is not None:
        keep &= tickets["intent"].to_numpy() == np.asarray(latent_intent)
    pool = tickets[keep]
    chosen = []
    for intent, n in N_TRACES.items():
        candidates = pool[pool["intent"] == intent]
        idx = np.sort(rng.choice(len(candidates), size=n, replace=False))
        chosen.append(candidates.iloc[idx])
    sample = pd.concat(chosen).sort_values("ticket_id")
    traces = []
    for k, (_, ticket) in enumerate(sample.iterrows(), start=1):
        task = {"missing_item": "missing", "damaged_item": "damaged", "refund_status": "refund"}.get(ticket["intent"])
        if task is None:
            slotty = re.search(r"slot|resched|not (be )?home|tomorrow|later", ticket["text"], re.IGNORECASE)
            task = "slot" if rng.random() < (0.6 if slotty else P_SLOT_TASK * 0.6) else "where"
        sim = _simulate(rng, bank, ticket, task)
        _tokens_and_latency(rng, sim["steps"], sim["ticket_tokens"], sim["reply"])
        steps = []
        for j, s in enumerate(sim["steps"], start=1):
            steps.append({"step": j, "thought": s["thought"], "tool": s["tool"], "arguments": s["arguments"],
                          "result": s["result"], "input_tokens": s["input_tokens"],
                          "output_tokens": s["output_tokens"], "latency_ms": s["latency_ms"],
                          "failure": s["failure"], "first_failure": sim["first"] == j - 1})
        traces.append({
            "trace_id": f"TR-{k:04d}", "ticket_id": ticket["ticket_id"], "intent": ticket["intent"], "steps": steps,
            "reply": sim["reply"], "outcome": sim["outcome"], "label": sim["label"],
            "input_tokens": sum(s["input_tokens"] for s in steps),
            "output_tokens": sum(s["output_tokens"] for s in steps),
            "latency_ms": sum(s["latency_ms"] for s in steps),
        })
    return traces, measure_traces(traces)


def to_jsonl(traces: list[dict]) -> str:
    """One JSON object per line, keys in a fixed order, UTF-8 (no escapes), ``\\n`` line ends."""
    return "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in traces)


def credit_amounts(trace: dict) -> list[float]:
    return [float(s["arguments"]["amount"]) for s in trace["steps"] if s["tool"] == "issue_credit"]


def measure_traces(traces: list[dict]) -> dict[str, object]:
    """The numbers the datasheet quotes about the traces (tests recompute them from the file)."""
    f: dict[str, object] = {}
    n = len(traces)
    df = pd.DataFrame({"intent": [t["intent"] for t in traces], "outcome": [t["outcome"] for t in traces],
                       "labelled": [t["label"] != "" for t in traces],
                       "n_steps": [len(t["steps"]) for t in traces],
                       "latency": [t["latency_ms"] for t in traces]})
    f["n_traces"] = n
    f["traces_per_intent"] = ", ".join(f"{k} {v}" for k, v in df["intent"].value_counts().sort_index().items())
    oc = df["outcome"].value_counts()
    f["trace_outcome_table"] = ", ".join(f"{o} {int(oc.get(o, 0))} ({oc.get(o, 0) / n:.1%})"
                                         for o in ("resolved", "escalated", "wrong_action", "abandoned"))
    rate = df.assign(r=df["outcome"] == "resolved").groupby("intent")["r"].mean().sort_index()
    f["trace_resolved_by_intent"] = ", ".join(f"{k} {v:.1%}" for k, v in rate.items())
    firsts = [s["failure"] for t in traces for s in t["steps"] if s["first_failure"]]
    counts = pd.Series(firsts).value_counts()
    f["first_failure_table"] = ", ".join(f"{m} {int(counts.get(m, 0))}" for m in MODES)
    f["n_failed_traces"] = len(firsts)
    f["resolved_with_failure"] = int(((df["outcome"] == "resolved") & df["labelled"]).sum())
    needs = sum(any(a > APPROVAL_ABOVE for a in credit_amounts(t)) for t in traces)
    f["approval_share"] = f"{needs / n:.1%}"
    f["n_approval"] = needs
    f["n_credits"] = sum(len(credit_amounts(t)) for t in traces)
    f["approval_above"] = f"{APPROVAL_ABOVE:.0f}"
    f["goodwill_max"] = f"{GOODWILL_MAX:.0f}"
    f["late_minutes"] = LATE_MINUTES
    f["scope_above"] = f"{SCOPE_ABOVE:.0f}"
    f["steps_median"] = int(df["n_steps"].median())
    f["steps_max"] = int(df["n_steps"].max())
    f["trace_latency_median"] = f"{df['latency'].median() / 1000:.1f}"
    f["trace_latency_p95"] = f"{df['latency'].quantile(0.95) / 1000:.1f}"
    f["trace_tokens_mean"] = int(np.mean([t["input_tokens"] + t["output_tokens"] for t in traces]))
    return f
