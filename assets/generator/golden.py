"""Build the golden evaluation set from bank utterances that never appear in the tickets.

Every case has an adjudicated ``expected_intent`` (the intent its message was written for), a
``case_type`` (typical, hard, edge, adversarial) and a ``note`` saying why it is in the set.
Hand-written edge cases come from ``bank/golden/edge_cases.txt``; notes, prompt injections and
keyword-stuffing lines come from the other files in ``bank/golden/``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from bankio import INTENTS, keyword_predict, load_keyword_rules, read_lines, read_pipe_table
from textgen import Renderer
from tickets import CO_OCCUR, CONFUSE

N_TWO_REQUESTS = 30
N_TYPOS = 20
N_SHOUTING = 10
N_LONG = 12
N_NEGATION = 30
N_INJECTION = 20
N_STUFFING = 12
LANG_NAMES = {"es": "Spanish", "fr": "French"}


def _read_notes(root: Path) -> dict[str, str]:
    notes = {}
    for line in read_lines(root / "golden" / "notes.txt"):
        kind, _, text = line.partition("|")
        notes[kind.strip()] = text.strip()
    return notes


def _read_edge_cases(root: Path) -> list[tuple[str, str, str]]:
    cases = []
    for line in read_lines(root / "golden" / "edge_cases.txt"):
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3 or parts[0] not in INTENTS:
            raise ValueError(f"edge_cases.txt: expected 'intent | note | text', got {line!r}")
        cases.append((parts[0], parts[1], parts[2]))
    return cases


def _topic_words(intent: str) -> str:
    return intent.replace("_", " ")


def build_golden(seed: int, holdout: dict[tuple[str, str], list[str]], renderer: Renderer, bank_dir: Path,
                 tickets: pd.DataFrame) -> pd.DataFrame:
    """Return the golden set: case_id, text, expected_intent, case_type, note."""
    rng = np.random.default_rng([seed, 20])
    notes = _read_notes(bank_dir)
    rules = load_keyword_rules(bank_dir)
    injections = read_lines(bank_dir / "golden" / "injections.txt")
    stuffing = read_lines(bank_dir / "golden" / "stuffing.txt")
    topics = dict(read_pipe_table(bank_dir / "frames" / "topics_en.txt"))
    ticket_texts = set(tickets["text"].str.lower())
    used: set[str] = set()
    cases: list[dict[str, str]] = []

    def when() -> datetime:
        return datetime(2025, 10, 1) + timedelta(days=int(rng.integers(0, 92)), hours=int(rng.integers(8, 22)))

    def note(kind: str, intent: str, other: str = "", lang: str = "") -> str:
        return notes[kind].format(intent=intent, other=other, lang=LANG_NAMES.get(lang, lang))

    def add(text: str, intent: str, case_type: str, note_text: str) -> bool:
        key = text.lower()
        if key in ticket_texts or key in used:
            return False
        used.add(key)
        cases.append({"text": text, "expected_intent": intent, "case_type": case_type, "note": note_text})
        return True

    def render_unique(**kw) -> str:
        text = ""
        for attempt in range(6):
            text = renderer.render(rng, force_decoration=attempt, **kw).text
            if text.lower() not in ticket_texts and text.lower() not in used:
                break
        return text

    en = [(intent, u) for (lang, intent), lines in sorted(holdout.items()) if lang == "en" for u in lines]
    foreign = [(lang, intent, u) for (lang, intent), lines in sorted(holdout.items()) if lang != "en" for u in lines]
    by_intent: dict[str, list[str]] = {}
    for intent, u in en:
        by_intent.setdefault(intent, []).append(u)

    def pick(intent: str) -> str:
        pool = by_intent[intent]
        return pool[int(rng.integers(len(pool)))]

    channels = ["email", "chat", "app"]
    # 1. Typical cases (and the hard ones the keyword rules would get wrong): every held-out line once.
    for intent, utt in en:
        text = render_unique(utterance=utt, lang="en", channel=channels[int(rng.integers(3))], when=when())
        kw = keyword_predict([text], rules)[0]
        if intent == "other" and kw == "other":
            add(text, intent, "typical", note("typical_other", intent))
        elif kw == intent:
            add(text, intent, "typical", note("typical_kw", intent))
        elif kw == "other":
            add(text, intent, "typical", note("typical_indirect", intent))
        else:
            add(text, intent, "hard", note("hard_confusable", intent, other=kw))

    # 2. Hard: two requests in one message.
    intents_en = sorted(by_intent)
    for _ in range(N_TWO_REQUESTS):
        first = intents_en[int(rng.integers(len(intents_en)))]
        options = [s for s in CO_OCCUR[first] if s in by_intent]
        second = options[int(rng.integers(len(options)))]
        text = render_unique(utterance=pick(first), second=pick(second), lang="en", channel="email", when=when())
        add(text, first, "hard", note("hard_two_requests", first, other=second))

    # 3. Hard: heavy typos and abbreviations.
    for _ in range(N_TYPOS):
        intent = intents_en[int(rng.integers(len(intents_en)))]
        text = renderer.fill(rng, pick(intent), "en", when())
        text = renderer.abbreviate(rng, renderer.misspell(rng, text))
        text = renderer.keyboard_slips(rng, text, rate=0.25).lower()
        add(text, intent, "hard", note("hard_typos", intent))

    # 4. Hard: every held-out Spanish and French line.
    for lang, intent, utt in foreign:
        text = render_unique(utterance=utt, lang=lang, channel=channels[int(rng.integers(3))], when=when())
        add(text, intent, "hard", note("hard_foreign", intent, lang=lang))

    # 5. Edge: hand-written cases, shouting, very long messages.
    for intent, note_text, text in _read_edge_cases(bank_dir):
        add(text, intent, "edge", note_text)
    for _ in range(N_SHOUTING):
        intent = intents_en[int(rng.integers(len(intents_en)))]
        text = renderer.fill(rng, pick(intent), "en", when()).upper()
        add(text, intent, "edge", note("edge_shouting", intent))
    for _ in range(N_LONG):
        intent = intents_en[int(rng.integers(len(intents_en)))]
        frames: list[str] = []
        text = renderer.fill(rng, pick(intent), "en", when())
        for _ in range(2):
            text = renderer.with_ramble(rng, text, "en", frames)
        add(text, intent, "edge", note("edge_long", intent))

    # 6. Adversarial: negations, injections, keyword stuffing.
    for _ in range(N_NEGATION):
        intent = intents_en[int(rng.integers(len(intents_en)))]
        other = [k for k in CONFUSE[intent] if k != "other"]
        neg = other[int(rng.integers(len(other)))]
        text = render_unique(utterance=pick(intent), negated_intent=neg, lang="en", channel="chat", when=when())
        add(text, intent, "adversarial", note("adversarial_negation", intent, other=neg))
    for _ in range(N_INJECTION):
        intent = intents_en[int(rng.integers(len(intents_en)))]
        wrong = [k for k in INTENTS if k != intent]
        label = wrong[int(rng.integers(len(wrong)))]
        line = injections[int(rng.integers(len(injections)))]
        line = line.replace("{label_words}", _topic_words(label)).replace("{label}", label)
        body = renderer.fill(rng, pick(intent), "en", when())
        text = f"{line} {body}" if rng.random() < 0.5 else renderer._join(body, line)
        add(text, intent, "adversarial", note("adversarial_injection", intent, other=label))
    for _ in range(N_STUFFING):
        intent = intents_en[int(rng.integers(len(intents_en)))]
        wrong = [k for k in CONFUSE[intent] if k != "other"]
        label = wrong[int(rng.integers(len(wrong)))]
        words = topics[label][int(rng.integers(len(topics[label])))]
        line = stuffing[int(rng.integers(len(stuffing)))].replace("{label_words}", words)
        body = renderer.fill(rng, pick(intent), "en", when())
        add(f"{line} {body}", intent, "adversarial", note("adversarial_keywords", intent, other=label))

    order = rng.permutation(len(cases))
    gold = pd.DataFrame([cases[int(i)] for i in order])
    gold.insert(0, "case_id", [f"G-{k:04d}" for k in range(1, len(gold) + 1)])
    return gold[["case_id", "text", "expected_intent", "case_type", "note"]]
