"""Simulate Basketly's 2025 support tickets: when they arrive, what they are about, how they read,
how two annotators label them, and how they end (handle time, CSAT, reopen).

All parameters of the simulation are module constants, so the datasheet can state them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from textgen import Renderer

YEAR = 2025
#: Mean tickets per day before weekday, season and growth multipliers (a ~3% sample of all tickets).
BASE_PER_DAY = 21.0
MONTHLY_GROWTH = 0.015
WEEKDAY_FACTOR = (1.30, 1.12, 1.02, 1.0, 0.95, 0.78, 0.70)  # Monday first
#: Holiday season multipliers by (month, first day, last day).
SEASON = (
    ((11, 1, 20), 1.25),
    ((11, 21, 30), 1.60),  # Black Friday week and after
    ((12, 1, 15), 1.55),
    ((12, 16, 23), 1.95),  # last orders before Christmas
    ((12, 24, 24), 1.10),
    ((12, 25, 26), 0.45),
    ((12, 27, 31), 1.15),
    ((1, 1, 1), 0.45),
)
MEMBERSHIP_PAUSE_LAUNCH = date(2025, 7, 1)

#: Intent mix in January-June (weights, any scale).
BASE_MIX = {
    "late_delivery": 19, "missing_item": 14, "damaged_item": 9, "refund_status": 11,
    "billing_charge": 10, "account_access": 7, "promo_code": 6, "app_bug": 7,
    "product_question": 9, "other": 8, "membership_pause": 0,
}
#: Additions to the mix by month: the feature launch, an app release, the holiday season.
MONTH_SHIFT = {
    7: {"membership_pause": 5, "product_question": -1},
    8: {"membership_pause": 8, "product_question": -2},
    9: {"membership_pause": 9, "app_bug": 5, "account_access": 3, "product_question": -2},
    10: {"membership_pause": 9, "app_bug": 1, "product_question": -2},
    11: {"membership_pause": 8, "late_delivery": 9, "missing_item": 3, "damaged_item": 2, "promo_code": 5,
         "product_question": -2},
    12: {"membership_pause": 8, "late_delivery": 13, "missing_item": 5, "damaged_item": 3, "promo_code": 2,
         "product_question": -2},
}
LANG_P = {"en": 0.90, "es": 0.05, "fr": 0.05}
CHANNEL_P = {"email": 0.30, "chat": 0.45, "app": 0.25}
P_SECOND_REQUEST = 0.09
P_NEGATION = 0.045
HOLDOUT_FRACTION = 0.12  # of each bank file, kept out of tickets for the golden set

#: Which second request tends to come with which first one.
CO_OCCUR = {
    "late_delivery": ["missing_item", "refund_status", "billing_charge", "promo_code"],
    "missing_item": ["refund_status", "damaged_item", "late_delivery"],
    "damaged_item": ["refund_status", "missing_item"],
    "refund_status": ["billing_charge", "missing_item", "damaged_item"],
    "billing_charge": ["refund_status", "promo_code", "membership_pause"],
    "account_access": ["app_bug", "billing_charge"],
    "promo_code": ["billing_charge", "app_bug"],
    "app_bug": ["account_access", "promo_code"],
    "product_question": ["missing_item", "other"],
    "other": ["late_delivery", "account_access"],
    "membership_pause": ["billing_charge", "refund_status"],
}
#: Annotator confusions: which wrong label an annotator picks when unsure (weights).
CONFUSE = {
    "late_delivery": {"missing_item": 2, "other": 2, "refund_status": 1},
    "missing_item": {"damaged_item": 3, "refund_status": 2, "late_delivery": 1},
    "damaged_item": {"missing_item": 3, "refund_status": 2, "product_question": 1},
    "refund_status": {"billing_charge": 5, "missing_item": 1, "other": 1},
    "billing_charge": {"refund_status": 5, "promo_code": 1, "membership_pause": 1},
    "account_access": {"app_bug": 5, "other": 1},
    "promo_code": {"billing_charge": 3, "app_bug": 1, "other": 1},
    "app_bug": {"account_access": 4, "other": 2, "promo_code": 1},
    "product_question": {"other": 4, "missing_item": 1, "damaged_item": 1},
    "other": {"product_question": 3, "late_delivery": 1, "account_access": 1, "app_bug": 1},
    "membership_pause": {"billing_charge": 4, "other": 1, "account_access": 1},
}
#: Per-annotator error model: base slip rate, extra when a message has two requests (then the
#: annotator labels the second one), extra for very short messages (then mostly "other").
ANNOTATOR = {
    "a": {"base": 0.05, "second": 0.22, "short": 0.10, "foreign": 0.03},
    "b": {"base": 0.10, "second": 0.30, "short": 0.18, "foreign": 0.05},
}
P_SECOND_ANNOTATOR = 0.15

#: Median handle time in minutes, per intent; lognormal with sigma HANDLE_SIGMA.
HANDLE_MEDIAN = {
    "late_delivery": 6.0, "missing_item": 8.0, "damaged_item": 9.0, "refund_status": 7.0,
    "billing_charge": 11.0, "account_access": 10.0, "promo_code": 5.0, "app_bug": 13.0,
    "product_question": 5.0, "other": 6.5, "membership_pause": 7.5,
}
HANDLE_SIGMA = 0.55
CHANNEL_HANDLE = {"email": 1.25, "chat": 0.85, "app": 1.0}
CSAT_RESPONSE = {"email": 0.22, "chat": 0.40, "app": 0.30}
CSAT_BASE = {
    "late_delivery": 3.2, "missing_item": 3.5, "damaged_item": 3.4, "refund_status": 3.3,
    "billing_charge": 3.1, "account_access": 3.8, "promo_code": 4.0, "app_bug": 3.3,
    "product_question": 4.3, "other": 3.9, "membership_pause": 3.9,
}
REOPEN_BASE = {
    "late_delivery": 0.06, "missing_item": 0.07, "damaged_item": 0.08, "refund_status": 0.11,
    "billing_charge": 0.10, "account_access": 0.09, "promo_code": 0.05, "app_bug": 0.12,
    "product_question": 0.03, "other": 0.05, "membership_pause": 0.06,
}


@dataclass
class TicketsResult:
    """The tickets table plus what the other builders need from the simulation."""

    df: pd.DataFrame
    latent_intent: np.ndarray  # the intent the message was written for (before annotator noise)
    provenance: pd.DataFrame  # ticket_id, frames (space-separated bank keys)
    holdout: dict[tuple[str, str], list[str]]  # bank utterances never used in tickets


def _choice(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([max(weights[k], 0.0) for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def day_rate(d: date) -> float:
    """Expected tickets on day ``d``: base x growth x weekday x holiday season."""
    rate = BASE_PER_DAY * (1 + MONTHLY_GROWTH) ** (d.month - 1) * WEEKDAY_FACTOR[d.weekday()]
    for (month, first, last), factor in SEASON:
        if d.month == month and first <= d.day <= last:
            rate *= factor
    return rate


def intent_mix(d: date) -> dict[str, float]:
    """The intent weights in force on day ``d``."""
    mix = dict(BASE_MIX)
    for k, v in MONTH_SHIFT.get(d.month, {}).items():
        mix[k] = mix[k] + v
    if d < MEMBERSHIP_PAUSE_LAUNCH:
        mix["membership_pause"] = 0
    return mix


def arrival_times(rng: np.random.Generator) -> list[datetime]:
    """Draw every ticket's timestamp in 2025 (local time), sorted."""
    hours = np.arange(24)
    # Two daily peaks: late morning and early evening; quiet at night.
    hour_w = 0.15 + np.exp(-0.5 * ((hours - 11) / 2.2) ** 2) + 0.8 * np.exp(-0.5 * ((hours - 19.5) / 2.0) ** 2)
    hour_p = hour_w / hour_w.sum()
    times = []
    d = date(YEAR, 1, 1)
    while d.year == YEAR:
        n = int(rng.poisson(day_rate(d)))
        hrs = rng.choice(24, size=n, p=hour_p)
        secs = rng.integers(0, 3600, size=n)
        for h, s in zip(hrs, secs):
            times.append(datetime(d.year, d.month, d.day) + timedelta(hours=int(h), seconds=int(s)))
        d += timedelta(days=1)
    times.sort()
    return times


def split_bank(rng: np.random.Generator, bank: dict[tuple[str, str], list[str]]):
    """Split each bank file into utterances for tickets and held-out ones for the golden set."""
    pool, holdout = {}, {}
    for key in sorted(bank):
        lines = bank[key]
        order = rng.permutation(len(lines))
        n_hold = round(len(lines) * HOLDOUT_FRACTION) if len(lines) >= 5 else 0
        hold_idx = {int(i) for i in order[:n_hold]}
        holdout[key] = [lines[i] for i in sorted(hold_idx)]
        pool[key] = [(i, lines[i]) for i in range(len(lines)) if i not in hold_idx]
    return pool, holdout


class Deck:
    """Deal utterances like cards: every line is used once before any is used again."""

    def __init__(self, rng: np.random.Generator, lines: list[tuple[int, str]]):
        self.rng, self.lines, self.queue = rng, lines, []

    def draw(self) -> tuple[int, str]:
        if not self.lines:
            raise ValueError("empty bank file")
        if not self.queue:
            self.queue = [self.lines[int(i)] for i in self.rng.permutation(len(self.lines))]
        return self.queue.pop()


def annotate(rng: np.random.Generator, who: str, intent: str, second: str | None, short: bool, lang: str,
             allow_pause: bool) -> str:
    """One annotator's label for a message written for ``intent``."""
    p = ANNOTATOR[who]
    if second is not None and rng.random() < p["second"]:
        return second
    slip = p["base"] + (p["short"] if short else 0.0) + (p["foreign"] if lang != "en" else 0.0)
    if rng.random() >= slip:
        return intent
    if short and rng.random() < 0.6:
        return "other" if intent != "other" else "product_question"
    options = {k: v for k, v in CONFUSE[intent].items() if allow_pause or k != "membership_pause"}
    return _choice(rng, options)


def build_tickets(seed: int, bank, renderer: Renderer) -> TicketsResult:
    """Simulate the whole 2025 ticket table."""
    rng_time = np.random.default_rng([seed, 1])
    rng_mix = np.random.default_rng([seed, 2])
    rng_text = np.random.default_rng([seed, 3])
    rng_lab = np.random.default_rng([seed, 4])
    rng_out = np.random.default_rng([seed, 5])

    pool, holdout = split_bank(np.random.default_rng([seed, 6]), bank)
    decks = {k: Deck(np.random.default_rng([seed, 7, i]), v) for i, (k, v) in enumerate(sorted(pool.items())) if v}

    times = arrival_times(rng_time)
    rows, prov, latent = [], [], []
    seen: set[str] = set()
    for n, when in enumerate(times, start=1):
        d = when.date()
        intent = _choice(rng_mix, intent_mix(d))
        lang = _choice(rng_mix, LANG_P)
        if (lang, intent) not in decks:
            lang = "en"
        channel = _choice(rng_mix, CHANNEL_P if intent != "app_bug" else {"email": 0.3, "chat": 0.3, "app": 0.4})
        if intent == "membership_pause":
            segment = "member"
        elif intent in ("account_access", "promo_code"):
            segment = _choice(rng_mix, {"new": 0.42, "regular": 0.40, "member": 0.18})
        else:
            segment = _choice(rng_mix, {"new": 0.22, "regular": 0.52, "member": 0.26})

        second = None
        if rng_mix.random() < P_SECOND_REQUEST:
            options = [s for s in CO_OCCUR[intent] if (lang, s) in decks
                       and (s != "membership_pause" or d >= MEMBERSHIP_PAUSE_LAUNCH)]
            if options:
                second = options[int(rng_mix.integers(len(options)))]
        negated = None
        if lang == "en" and second is None and rng_mix.random() < P_NEGATION:
            options = [s for s in CONFUSE[intent] if s != "other"
                       and (s != "membership_pause" or d >= MEMBERSHIP_PAUSE_LAUNCH)]
            negated = options[int(rng_mix.integers(len(options)))]

        idx, utt = decks[(lang, intent)].draw()
        frames = [f"utt:{lang}:{intent}:{idx}"]
        second_utt = None
        if second is not None:
            idx2, second_utt = decks[(lang, second)].draw()
            frames.append(f"utt:{lang}:{second}:{idx2}")
        for attempt in range(8):
            msg = renderer.render(rng_text, utterance=utt, lang=lang, channel=channel, when=when,
                                  second=second_utt, negated_intent=negated, force_decoration=attempt)
            if msg.text.lower() not in seen:
                break
        seen.add(msg.text.lower())
        frames.extend(msg.frames)

        short = len(msg.text.split()) <= 4
        allow_pause = d >= MEMBERSHIP_PAUSE_LAUNCH
        label_a = annotate(rng_lab, "a", intent, second, short, lang, allow_pause)
        label_b = ""
        if rng_lab.random() < P_SECOND_ANNOTATOR:
            label_b = annotate(rng_lab, "b", intent, second, short, lang, allow_pause)

        # Outcomes depend on what the ticket is really about.
        reopen_p = REOPEN_BASE[intent] * (1.5 if second else 1.0)
        reopened = int(rng_out.random() < reopen_p)
        handle = HANDLE_MEDIAN[intent] * CHANNEL_HANDLE[channel] * np.exp(HANDLE_SIGMA * rng_out.standard_normal())
        handle *= (1.15 if lang != "en" else 1.0) * (1.35 if second else 1.0)
        handle *= 1.0 + min(len(msg.text), 600) / 1500
        handle = max(0.5, float(handle))
        csat = ""
        if rng_out.random() < CSAT_RESPONSE[channel]:
            s = CSAT_BASE[intent] - 1.1 * reopened - 0.35 * np.log(handle / HANDLE_MEDIAN[intent])
            s -= 0.25 if d.month in (11, 12) else 0.0
            s += 0.95 * rng_out.standard_normal()
            csat = str(int(np.clip(np.round(s), 1, 5)))

        tid = f"T-{n:06d}"
        rows.append({
            "ticket_id": tid,
            "created_at": when.strftime("%Y-%m-%dT%H:%M:%S"),
            "channel": channel,
            "segment": segment,
            "language": lang,
            "text": msg.text,
            "intent": label_a,
            "intent_b": label_b,
            "handle_minutes": f"{handle:.1f}",
            "csat": csat,
            "reopened": str(reopened),
        })
        prov.append({"ticket_id": tid, "frames": " ".join(frames)})
        latent.append(intent)
    df = pd.DataFrame(rows)
    return TicketsResult(df, np.array(latent), pd.DataFrame(prov), holdout)
