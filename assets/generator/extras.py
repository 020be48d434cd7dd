"""Build the help-centre tables, the suggested-reply events and the A/B experiment.

The reply events and the experiment are simulations with known parameters (module constants).
The datasheet states those parameters as the ground truth the lessons' estimates should recover.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from bankio import INTENTS, Article

# ----------------------------------------------------------------------------------------------
# Help centre
# ----------------------------------------------------------------------------------------------


def build_articles(seed: int, articles: list[Article], unanswerable: list[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (help_articles, article_queries). Query order is shuffled with a fixed seed.

    ``unanswerable`` queries (no relevant article) get an empty ``article_ids``.
    """
    ids = {a.article_id for a in articles}
    art = pd.DataFrame({
        "article_id": [a.article_id for a in articles],
        "title": [a.title for a in articles],
        "body": [a.body for a in articles],
    })
    queries = []
    for a in articles:
        for text, extra in a.queries:
            for e in extra:
                if e not in ids:
                    raise ValueError(f"article {a.article_id}: query {text!r} points to unknown article {e}")
            relevant = sorted({a.article_id, *extra})
            queries.append((text, ";".join(relevant)))
    queries.extend((text, "") for text in unanswerable)
    order = np.random.default_rng([seed, 30]).permutation(len(queries))
    q = pd.DataFrame({
        "query_id": [f"Q-{k:04d}" for k in range(1, len(queries) + 1)],
        "query": [queries[int(i)][0] for i in order],
        "article_ids": [queries[int(i)][1] for i in order],
    })
    return art, q


# ----------------------------------------------------------------------------------------------
# Suggested-reply events
# ----------------------------------------------------------------------------------------------

V1_LAUNCH = datetime(2025, 6, 2)
V2_START = datetime(2025, 8, 1)  # from here, each ticket is served v1 or v2 at random (50/50)
N_AGENTS = 60
#: Log-odds that an agent finds v1's suggestion usable (accepted as is or edited), per intent.
REPLY_QUALITY_V1 = {
    "late_delivery": 0.9, "missing_item": 0.6, "damaged_item": 0.5, "refund_status": 0.8,
    "billing_charge": 0.2, "account_access": 0.8, "promo_code": 0.7, "app_bug": -0.1,
    "product_question": -0.2, "other": -0.6, "membership_pause": -0.5,
}
#: v2 minus v1 on the same log-odds scale. v2 quotes an outdated refund timeline, hence refund_status.
REPLY_QUALITY_V2_DELTA = {intent: 0.5 for intent in INTENTS} | {"refund_status": -1.0, "membership_pause": 1.0}
AGENT_SD = 0.35
P_ACCEPT_AS_IS = {"chat": 0.70, "app": 0.62, "email": 0.50}  # share of usable suggestions sent unedited
P_REJECT_GIVEN_UNUSABLE = 0.58  # else ignored
P_UNDO = 0.035
P_UNDO_V2_REFUND = 0.16
P_RATE = 0.22  # chance an agent gives thumbs on a suggestion they used or rejected
P_RATE_IGNORED = 0.04
RESPONSE_DELAY_MEDIAN = {"chat": 3.0, "app": 12.0, "email": 45.0}  # minutes from ticket to suggestion


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


def reply_usable_probability(version: str, intent: str, agent_effect: float = 0.0) -> float:
    """True probability that a suggestion is usable (accepted or edited), as simulated."""
    q = REPLY_QUALITY_V1[intent] + (REPLY_QUALITY_V2_DELTA[intent] if version == "v2" else 0.0)
    return float(_sigmoid(q + agent_effect))


def build_reply_events(seed: int, tickets: pd.DataFrame, latent_intent: np.ndarray):
    """Simulate one suggested-reply event per English ticket from the v1 launch onwards."""
    rng = np.random.default_rng([seed, 40])
    agent_effect = rng.normal(0.0, AGENT_SD, size=N_AGENTS)
    agent_load = rng.dirichlet(np.full(N_AGENTS, 4.0))
    created = pd.to_datetime(tickets["created_at"]).dt.to_pydatetime()
    rows = []
    for k in range(len(tickets)):
        when = created[k]
        if when < V1_LAUNCH or tickets["language"].iat[k] != "en":
            continue
        channel = tickets["channel"].iat[k]
        intent = str(latent_intent[k])
        version = "v1" if when < V2_START or rng.random() < 0.5 else "v2"
        agent = int(rng.choice(N_AGENTS, p=agent_load))
        delay = RESPONSE_DELAY_MEDIAN[channel] * np.exp(0.7 * rng.standard_normal())
        shown = when + timedelta(seconds=round(delay * 60))
        usable = rng.random() < reply_usable_probability(version, intent, agent_effect[agent])
        if usable:
            action = "accepted" if rng.random() < P_ACCEPT_AS_IS[channel] else "edited"
        else:
            action = "rejected" if rng.random() < P_REJECT_GIVEN_UNUSABLE else "ignored"
        edit_chars = ""
        undone = 0
        if action == "accepted":
            edit_chars = "0"
        if action == "edited":
            med = 85.0 if channel == "email" else 40.0
            edit_chars = str(max(3, round(med * np.exp(0.6 * rng.standard_normal()))))
        if action in ("accepted", "edited"):
            p_undo = P_UNDO_V2_REFUND if (version == "v2" and intent == "refund_status") else P_UNDO
            undone = int(rng.random() < p_undo)
        thumbs = ""
        if rng.random() < (P_RATE_IGNORED if action == "ignored" else P_RATE):
            if undone:
                p_up = 0.05
            elif action == "accepted":
                p_up = 0.90
            elif action == "edited":
                p_up = 0.60
            else:
                p_up = 0.12
            thumbs = "up" if rng.random() < p_up else "down"
        rows.append({
            "shown": shown,
            "ticket_id": tickets["ticket_id"].iat[k],
            "model_version": version,
            "shown_at": shown.strftime("%Y-%m-%dT%H:%M:%S"),
            "action": action,
            "edit_chars": edit_chars,
            "undone": str(undone),
            "thumbs": thumbs,
            "agent_id": f"AG-{agent + 1:02d}",
        })
    rows.sort(key=lambda r: (r["shown"], r["ticket_id"]))
    df = pd.DataFrame(rows).drop(columns="shown")
    df.insert(0, "event_id", [f"E-{k:06d}" for k in range(1, len(df) + 1)])
    info = {
        "true_usable": {v: {i: reply_usable_probability(v, i) for i in INTENTS} for v in ("v1", "v2")},
        "v1_launch": V1_LAUNCH.date().isoformat(),
        "v2_start": V2_START.date().isoformat(),
    }
    return df, info


# ----------------------------------------------------------------------------------------------
# A/B experiment: suggested replies on (treatment) versus off (control) for chat tickets
# ----------------------------------------------------------------------------------------------

EXP_START = datetime(2025, 4, 28)  # four weeks ending before the v1 launch on 2 June
EXP_DAYS = 28
EXP_UNITS_PER_DAY = 360.0
FRT_MEDIAN_CONTROL = 12.0  # minutes
FRT_SIGMA = 0.75
FRT_RATIO_TREATMENT = 0.85  # true effect: first response 15% faster (median and mean)
RFC_CONTROL = 0.600
RFC_TREATMENT = 0.630  # true effect: +3.0 percentage points
CSAT_RESPONSE = 0.30
CSAT_DIST_RESOLVED = (0.04, 0.05, 0.12, 0.34, 0.45)  # P(csat = 1..5) when resolved at first contact
CSAT_DIST_UNRESOLVED = (0.15, 0.14, 0.23, 0.27, 0.21)
REOPEN_RESOLVED = 0.05
REOPEN_UNRESOLVED = 0.12


def experiment_truth() -> dict[str, float]:
    """The true effects built into the simulation (treatment minus control)."""
    mean_r = float(np.dot(np.arange(1, 6), CSAT_DIST_RESOLVED))
    mean_u = float(np.dot(np.arange(1, 6), CSAT_DIST_UNRESOLVED))
    d_rfc = RFC_TREATMENT - RFC_CONTROL
    return {
        "frt_ratio": FRT_RATIO_TREATMENT,
        "rfc_control": RFC_CONTROL,
        "rfc_treatment": RFC_TREATMENT,
        "rfc_diff": d_rfc,
        "csat_diff": d_rfc * (mean_r - mean_u),
        "reopen_diff": d_rfc * (REOPEN_RESOLVED - REOPEN_UNRESOLVED),
        "csat_mean_resolved": mean_r,
        "csat_mean_unresolved": mean_u,
    }


def build_experiment(seed: int):
    """Simulate the A/B test: one row per chat ticket, variant assigned 50/50 at random."""
    rng = np.random.default_rng([seed, 50])
    hours = np.arange(24)
    hour_w = 0.15 + np.exp(-0.5 * ((hours - 11) / 2.2) ** 2) + 0.8 * np.exp(-0.5 * ((hours - 19.5) / 2.0) ** 2)
    hour_p = hour_w / hour_w.sum()
    times = []
    for day in range(EXP_DAYS):
        d = EXP_START + timedelta(days=day)
        n = int(rng.poisson(EXP_UNITS_PER_DAY * (1.15 if d.weekday() == 0 else 0.85 if d.weekday() >= 5 else 1.0)))
        hrs = rng.choice(24, size=n, p=hour_p)
        secs = rng.integers(0, 3600, size=n)
        times.extend(d + timedelta(hours=int(h), seconds=int(s)) for h, s in zip(hrs, secs))
    times.sort()
    rows = []
    for k, t in enumerate(times, start=1):
        treat = rng.random() < 0.5
        frt = FRT_MEDIAN_CONTROL * (FRT_RATIO_TREATMENT if treat else 1.0) * np.exp(FRT_SIGMA * rng.standard_normal())
        frt *= 1.2 if t.hour >= 18 else 1.0  # evenings are busier
        resolved = rng.random() < (RFC_TREATMENT if treat else RFC_CONTROL)
        reopened = rng.random() < (REOPEN_RESOLVED if resolved else REOPEN_UNRESOLVED)
        csat = ""
        if rng.random() < CSAT_RESPONSE:
            dist = CSAT_DIST_RESOLVED if resolved else CSAT_DIST_UNRESOLVED
            csat = str(int(rng.choice(5, p=np.array(dist) / sum(dist))) + 1)
        rows.append({
            "unit_id": f"U-{k:05d}",
            "variant": "treatment" if treat else "control",
            "assigned_at": t.strftime("%Y-%m-%dT%H:%M:%S"),
            "first_response_minutes": f"{max(frt, 0.2):.1f}",
            "resolved_first_contact": str(int(resolved)),
            "csat": csat,
            "reopened": str(int(reopened)),
        })
    info = experiment_truth() | {"start": EXP_START.date().isoformat(), "days": EXP_DAYS}
    return pd.DataFrame(rows), info
