"""Measure the properties the lessons rely on, for the datasheet and the data tests.

Each function takes plain DataFrames of the CSV files as written (every value a string, empty
string for missing), so the tests can call them on the files read back from disk with
``pd.read_csv(path, dtype=str, keep_default_na=False)``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from bankio import INTENTS, keyword_predict, load_keyword_rules
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.pipeline import make_pipeline

TEST_START = "2025-10-01"  # train on January-September, test on October-December
LEARNING_CURVE_SIZES = (50, 100, 200, 400, 800, 1600, 3200)
LEARNING_CURVE_SEEDS = (0, 1, 2, 3, 4)
PSI_EPS = 1e-4
_TOKEN_RE = re.compile(r"[^\w']+")


# ---------- rules versus ML ---------------------------------------------------------------------
def time_split(tickets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train = January-September 2025, test = October-December 2025 (by ``created_at``)."""
    created = tickets["created_at"].astype(str).str.slice(0, 10)
    return tickets[created < TEST_START], tickets[created >= TEST_START]


def text_model():
    """The lessons' reference model: default TF-IDF + logistic regression."""
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))


def macro_f1(y_true, y_pred) -> float:
    return float(f1_score(list(y_true), list(y_pred), average="macro", zero_division=0))


def keyword_f1(tickets: pd.DataFrame, bank_dir: Path | None = None) -> float:
    """Macro-F1 of the keyword baseline on the October-December test tickets."""
    rules = load_keyword_rules(bank_dir) if bank_dir else load_keyword_rules()
    _, test = time_split(tickets)
    return macro_f1(test["intent"], keyword_predict(test["text"], rules))


def model_f1(tickets: pd.DataFrame, n_train: int | None = None, seed: int = 0) -> float:
    """Macro-F1 on the test period of the reference model trained on ``n_train`` random training tickets."""
    train, test = time_split(tickets)
    if n_train is not None:
        train = train.sample(n=n_train, random_state=seed)
    model = text_model().fit(train["text"].tolist(), train["intent"].tolist())
    return macro_f1(test["intent"], model.predict(test["text"].tolist()))


def learning_curve(tickets: pd.DataFrame) -> list[tuple[int, float]]:
    """Mean test macro-F1 over ``LEARNING_CURVE_SEEDS`` for each training size, then the full set."""
    curve = [(n, float(np.mean([model_f1(tickets, n, s) for s in LEARNING_CURVE_SEEDS])))
             for n in LEARNING_CURVE_SIZES]
    train, _ = time_split(tickets)
    curve.append((len(train), model_f1(tickets)))
    return curve


# ---------- labels and drift -------------------------------------------------------------------
def annotator_kappa(tickets: pd.DataFrame) -> tuple[float, float, int]:
    """Cohen's kappa and raw agreement between ``intent`` and ``intent_b`` where both exist."""
    both = tickets[tickets["intent_b"].astype(str) != ""]
    kappa = float(cohen_kappa_score(both["intent"], both["intent_b"]))
    agree = float((both["intent"] == both["intent_b"]).mean())
    return kappa, agree, len(both)


def psi(expected: pd.Series, actual: pd.Series, categories, eps: float = PSI_EPS) -> float:
    """Population stability index of two categorical samples; shares floored at ``eps``."""
    e = expected.value_counts(normalize=True).reindex(categories, fill_value=0.0).clip(lower=eps).to_numpy()
    a = actual.value_counts(normalize=True).reindex(categories, fill_value=0.0).clip(lower=eps).to_numpy()
    return float(np.sum((a - e) * np.log(a / e)))


def halves(tickets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    created = tickets["created_at"].astype(str).str.slice(0, 10)
    return tickets[created < "2025-07-01"], tickets[created >= "2025-07-01"]


# ---------- variety ------------------------------------------------------------------------------
def opening(text: str, n: int = 4) -> str:
    """The first ``n`` words, lowercased, punctuation removed."""
    tokens = [t for t in _TOKEN_RE.split(text.lower()) if t]
    return " ".join(tokens[:n])


def top_share(values) -> tuple[str, float]:
    counts = Counter(values)
    value, k = max(sorted(counts.items()), key=lambda kv: kv[1])
    return value, k / sum(counts.values())


def frame_shares(provenance: pd.DataFrame) -> pd.Series:
    """Share of tickets that use each bank line or frame (from the generator's provenance file)."""
    counts: Counter = Counter()
    for frames in provenance["frames"]:
        counts.update(set(str(frames).split()))
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.Series(dict(ordered), dtype=float) / len(provenance)


def counts(values: pd.Series) -> list[tuple[str, int]]:
    """Value counts, most common first, ties broken alphabetically (so output never depends on hashing)."""
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], str(kv[0])))


# ---------- calibration ------------------------------------------------------------------------
def ece(confidence, correct, n_bins: int = 10) -> float:
    """Expected calibration error with equal-width bins (lo, hi] on [0, 1]."""
    conf = np.asarray(confidence, dtype=float)
    corr = np.asarray(correct, dtype=float)
    idx = np.clip(np.ceil(conf * n_bins).astype(int) - 1, 0, n_bins - 1)
    total = 0.0
    for b in range(n_bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(corr[m].mean() - conf[m].mean())
    return float(total)


def prediction_quality(gold: pd.DataFrame, pred: pd.DataFrame) -> dict[str, float]:
    merged = gold.merge(pred, on="case_id", validate="one_to_one")
    correct = (merged["expected_intent"] == merged["predicted_intent"]).to_numpy()
    conf = merged["confidence"].astype(float).to_numpy()
    return {
        "accuracy": float(correct.mean()),
        "macro_f1": macro_f1(merged["expected_intent"], merged["predicted_intent"]),
        "ece": ece(conf, correct),
        "mean_confidence": float(conf.mean()),
    }


# ---------- reply events -----------------------------------------------------------------------
def usable_rates(events: pd.DataFrame, tickets: pd.DataFrame, since: str) -> pd.DataFrame:
    """Share of suggestions accepted or edited, per intent (ticket label) and model version,
    over the period where both versions ran side by side."""
    ev = events[events["shown_at"].astype(str).str.slice(0, 10) >= since]
    ev = ev.merge(tickets[["ticket_id", "intent"]], on="ticket_id", validate="many_to_one")
    ev = ev.assign(usable=ev["action"].isin(["accepted", "edited"]).astype(float))
    table = ev.pivot_table(index="intent", columns="model_version", values="usable", aggfunc="mean")
    n = ev.pivot_table(index="intent", columns="model_version", values="usable", aggfunc="size")
    table["n_v1"], table["n_v2"] = n["v1"], n["v2"]
    table["diff"] = table["v2"] - table["v1"]
    return table


# ---------- everything -------------------------------------------------------------------------
def measure_all(tables, bank, tk, model_info, reply_info, exp_info, bank_dir, article_intents) -> dict[str, object]:
    """Every number the datasheet quotes, measured on the generated tables (or read from the
    simulation's own parameters, for the true effects)."""
    import models as models_params
    import tickets as tickets_params

    t = tables["tickets.csv"]
    f: dict[str, object] = {}
    created = pd.to_datetime(t["created_at"])
    f["n_tickets"] = len(t)
    f["first_ticket"] = t["created_at"].min()
    f["last_ticket"] = t["created_at"].max()
    monthly = created.dt.month.value_counts().sort_index()
    f["monthly_table"] = " | ".join(f"{m:02d}: {k}" for m, k in monthly.items())
    daily = created.dt.date.value_counts()
    days = pd.Series(daily.index.map(lambda d: d.month), index=daily.index)
    f["holiday_ratio"] = round(float(daily[days >= 11].mean() / daily[days <= 10].mean()), 2)
    wd = created.dt.day_of_week.value_counts().sort_index()
    f["monday_sunday_ratio"] = round(float(wd[0] / wd[6]), 2)
    for col in ("language", "channel", "segment"):
        f[f"{col}_table"] = ", ".join(f"{k} {v} ({v / len(t):.1%})" for k, v in counts(t[col]))
    f["intent_table"] = "\n".join(f"| {k} | {v} | {v / len(t):.1%} |" for k, v in counts(t["intent"]))
    f["intent_b_share"] = f"{(t['intent_b'] != '').mean():.1%}"
    kappa, agree, n_both = annotator_kappa(t)
    f["kappa"], f["raw_agreement"], f["n_double"] = round(kappa, 3), f"{agree:.1%}", n_both
    f["label_noise_a"] = f"{(t['intent'].to_numpy() != tk.latent_intent).mean():.1%}"

    kw = keyword_f1(t, bank_dir)
    curve = learning_curve(t)
    f["keyword_f1"] = round(kw, 3)
    f["model_f1"] = round(curve[-1][1], 3)
    f["model_f1_100"] = round(dict(curve)[100], 3)
    f["n_train"], f["n_test"] = len(time_split(t)[0]), len(time_split(t)[1])
    f["learning_curve_table"] = "\n".join(f"| {n} | {s:.3f} |" for n, s in curve)
    cross = [n for n, s in curve if s > kw]
    f["crossover"] = cross[0] if cross else "none"

    h1, h2 = halves(t)
    f["psi_halves"] = round(psi(h1["intent"], h2["intent"], list(INTENTS)), 3)
    rest = [i for i in INTENTS if i != "membership_pause"]
    f["psi_halves_without_new"] = round(psi(h1.loc[h1["intent"] != "membership_pause", "intent"],
                                            h2.loc[h2["intent"] != "membership_pause", "intent"], rest), 3)
    f["pause_h1"] = int((h1["intent"] == "membership_pause").sum())
    f["pause_h1_any_label"] = int(((h1["intent"] == "membership_pause") | (h1["intent_b"] == "membership_pause")).sum())
    f["pause_h2_share"] = f"{(h2['intent'] == 'membership_pause').mean():.1%}"
    f["first_pause"] = t.loc[t["intent"] == "membership_pause", "created_at"].min()[:10]
    share = pd.crosstab(t["intent"], created.dt.month <= 6, normalize="columns")
    f["halves_table"] = "\n".join(f"| {i} | {share.loc[i, True]:.1%} | {share.loc[i, False]:.1%} |"
                                   for i in INTENTS if i in share.index)

    f["distinct_share"] = f"{t['text'].str.lower().nunique() / len(t):.2%}"
    op, share = top_share(opening(x) for x in t["text"])
    f["top_opening"], f["top_opening_share"] = op, f"{share:.2%}"
    fs = frame_shares(tk.provenance)
    f["top_frame"], f["top_frame_share"] = fs.index[0], f"{fs.iloc[0]:.2%}"
    utt = fs[fs.index.str.startswith("utt:")]
    f["top_utterance_share"] = f"{utt.iloc[0]:.2%}"
    f["bank_en"] = sum(len(v) for (lang, _), v in bank.items() if lang == "en")
    f["bank_es"] = sum(len(v) for (lang, _), v in bank.items() if lang == "es")
    f["bank_fr"] = sum(len(v) for (lang, _), v in bank.items() if lang == "fr")
    f["bank_total"] = f["bank_en"] + f["bank_es"] + f["bank_fr"]
    f["bank_held_out"] = sum(len(v) for v in tk.holdout.values())
    words = t["text"].str.split().str.len()
    f["words_median"], f["words_p95"] = int(words.median()), int(words.quantile(0.95))
    f["short_share"] = f"{(words <= 4).mean():.1%}"
    f["long_share"] = f"{(words >= 60).mean():.1%}"
    f["csat_empty"] = f"{(t['csat'] == '').mean():.1%}"
    cs = t.loc[t["csat"] != "", "csat"].astype(int)
    f["csat_mean"] = round(float(cs.mean()), 2)
    f["reopen_rate"] = f"{t['reopened'].astype(int).mean():.1%}"
    hm = t.assign(h=t["handle_minutes"].astype(float)).groupby("intent")["h"].median().sort_values()
    f["handle_table"] = ", ".join(f"{k} {v:.1f}" for k, v in hm.items())

    g = tables["golden_set.csv"]
    f["n_golden"] = len(g)
    f["golden_types"] = ", ".join(f"{k} {v}" for k, v in counts(g["case_type"]))
    f["golden_overlap"] = int(g["text"].str.lower().isin(set(t["text"].str.lower())).sum())
    for v in ("v1", "v2"):
        q = prediction_quality(g, tables[f"predictions_{v}.csv"])
        for k, val in q.items():
            f[f"{v}_{k}"] = round(val, 3)
        f[f"{v}_n_train"] = model_info[v]["n_train"]

    ev = tables["reply_events.csv"]
    f["n_events"] = len(ev)
    f["v1_launch"], f["v2_start"] = reply_info["v1_launch"], reply_info["v2_start"]
    f["events_by_version"] = ", ".join(f"{k} {v}" for k, v in sorted(Counter(ev["model_version"]).items()))
    ur = usable_rates(ev, t, since=reply_info["v2_start"])
    f["usable_table"] = "\n".join(
        f"| {i} | {r.v1:.1%} ({int(r.n_v1)}) | {r.v2:.1%} ({int(r.n_v2)}) | {r['diff']:+.1%} | "
        f"{reply_info['true_usable']['v1'][i]:.1%} | {reply_info['true_usable']['v2'][i]:.1%} |"
        for i, r in ur.iterrows())
    f["v2_better_intents"] = int((ur["diff"] > 0).sum())
    worst = ur["diff"].idxmin()
    f["worst_intent"], f["worst_diff"] = worst, f"{ur.loc[worst, 'diff']:+.1%}"
    f["action_table"] = ", ".join(f"{k} {v / len(ev):.1%}" for k, v in counts(ev["action"]))
    f["thumbs_empty"] = f"{(ev['thumbs'] == '').mean():.1%}"
    undone_by = ev.assign(u=ev["undone"].astype(int)).groupby("model_version")["u"].mean()
    f["undo_v1"], f["undo_v2"] = f"{undone_by['v1']:.1%}", f"{undone_by['v2']:.1%}"

    x = tables["experiment.csv"]
    f["n_units"] = len(x)
    arms = x["variant"].value_counts()
    f["n_control"], f["n_treatment"] = int(arms["control"]), int(arms["treatment"])
    xf = x.assign(frt=x["first_response_minutes"].astype(float), rfc=x["resolved_first_contact"].astype(int),
                  reo=x["reopened"].astype(int))
    by = xf.groupby("variant")
    f["frt_median_control"] = round(float(by["frt"].median()["control"]), 1)
    f["frt_median_treatment"] = round(float(by["frt"].median()["treatment"]), 1)
    f["frt_mean_control"] = round(float(by["frt"].mean()["control"]), 2)
    f["frt_mean_treatment"] = round(float(by["frt"].mean()["treatment"]), 2)
    rc, rt = float(by["rfc"].mean()["control"]), float(by["rfc"].mean()["treatment"])
    se = np.sqrt(rc * (1 - rc) / f["n_control"] + rt * (1 - rt) / f["n_treatment"])
    f["rfc_control"], f["rfc_treatment"] = f"{rc:.1%}", f"{rt:.1%}"
    f["rfc_diff"] = f"{(rt - rc) * 100:+.2f} pp (95% CI {(rt - rc - 1.96 * se) * 100:+.2f} to {(rt - rc + 1.96 * se) * 100:+.2f})"
    f["reopen_diff"] = f"{(by['reo'].mean()['treatment'] - by['reo'].mean()['control']) * 100:+.2f} pp"
    xc = xf[xf["csat"] != ""].assign(c=lambda d: d["csat"].astype(int))
    cm = xc.groupby("variant")["c"].mean()
    f["csat_diff"] = f"{cm['treatment'] - cm['control']:+.3f}"
    f["exp_csat_empty"] = f"{(x['csat'] == '').mean():.1%}"
    for k, v in exp_info.items():
        f[f"true_{k}"] = round(v, 4) if isinstance(v, float) else v

    f["growth"] = f"{tickets_params.MONTHLY_GROWTH:.1%}"
    f["sample_one_in"] = round(25000 * 12 / len(t))
    f["pause_launch"] = tickets_params.MEMBERSHIP_PAUSE_LAUNCH.isoformat()
    f["temp_v1"], f["temp_v2"] = models_params.TEMPERATURE["v1"], models_params.TEMPERATURE["v2"]
    f["psi_eps"] = PSI_EPS
    f["n_agents"] = ev["agent_id"].nunique()
    f["true_frt_pct"] = f"{(1 - exp_info['frt_ratio']):.0%}"
    f["true_rfc_pp"] = f"{exp_info['rfc_diff'] * 100:+.1f}"
    per_intent = pd.Series([a for a in tables["help_articles.csv"]["article_id"]]).map(article_intents)
    f["articles_per_intent"] = f"{per_intent.value_counts().min()} to {per_intent.value_counts().max()}"
    f["n_articles"] = len(tables["help_articles.csv"])
    qy = tables["article_queries.csv"]
    f["n_queries"] = len(qy)
    n_rel = qy["article_ids"].str.split(";").str.len()
    f["mean_relevant"] = round(float(n_rel.mean()), 2)
    f["multi_relevant_share"] = f"{(n_rel > 1).mean():.0%}"
    return f
