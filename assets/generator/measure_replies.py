"""Measure the Part II properties (article versions, retrieval, drafts, labels, judges) for the datasheet.

Like ``measure.py``, every function takes the tables as written (string-valued DataFrames), so the
numbers in the datasheet are the numbers of the files. ``tests/test_data_properties_part2.py``
recomputes the properties on its own.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import replies as params
from rank_bm25 import BM25Okapi
from sklearn.metrics import cohen_kappa_score

from aipmlab.data import FAILURE_MODES, TIER_PRICES

_WORD_RE = re.compile(r"[^\w']+")


def tokenize(text: str) -> list[str]:
    """The datasheet's BM25 tokens: lowercase runs of word characters."""
    return re.findall(r"\w+", str(text).lower())


def bm25_eval(articles: pd.DataFrame, queries: pd.DataFrame) -> pd.DataFrame:
    """Per query: relevant ids, ranked ids and the top score of ``BM25Okapi`` (defaults) over title + body."""
    ids = articles["article_id"].tolist()
    bm = BM25Okapi([tokenize(t + " " + b) for t, b in zip(articles["title"], articles["body"])])
    rows = []
    for q, rel in zip(queries["query"], queries["article_ids"]):
        scores = bm.get_scores(tokenize(q))
        order = sorted(range(len(ids)), key=lambda k: (-scores[k], k))
        rows.append({"relevant": [r for r in rel.split(";") if r], "ranked": [ids[k] for k in order],
                     "top": float(scores.max())})
    return pd.DataFrame(rows)


def recall_at(ev: pd.DataFrame, k: int) -> float:
    ans = ev[ev["relevant"].str.len() > 0]
    return float(np.mean([len(set(r) & set(rk[:k])) / len(r) for r, rk in zip(ans["relevant"], ans["ranked"])]))


def opening(text: str, n: int = 5) -> str:
    return " ".join([t for t in _WORD_RE.split(text.lower()) if t][:n])


def valid_mask(drafts: pd.DataFrame, versions: pd.DataFrame) -> pd.Series:
    """True where the cited article version was in force when the ticket arrived."""
    m = drafts.merge(versions[["article_id", "version", "valid_from", "valid_to"]],
                     left_on=["cited_article_id", "article_version"], right_on=["article_id", "version"],
                     how="left", validate="many_to_one")
    day = m["created_at"].str.slice(0, 10)
    ok = (m["valid_from"] <= day) & ((m["valid_to"] == "") | (day < m["valid_to"]))
    return pd.Series(ok.to_numpy(), index=drafts.index)


def cost(drafts: pd.DataFrame) -> pd.Series:
    p_in = drafts["model_tier"].map({k: v[0] for k, v in TIER_PRICES.items()})
    p_out = drafts["model_tier"].map({k: v[1] for k, v in TIER_PRICES.items()})
    return drafts["input_tokens"].astype(int) * p_in / 1e6 + drafts["output_tokens"].astype(int) * p_out / 1e6


def judge_rates(judge: pd.DataFrame, labels: pd.DataFrame, version: str) -> tuple[float, float]:
    """TPR (share of human passes the judge passes) and TNR (share of human fails the judge fails)."""
    m = judge[judge["judge_version"] == version].merge(labels, on="draft_id", suffixes=("_j", "_h"))
    human, j = m["passed_h"] == "True", m["passed_j"] == "True"
    return float(j[human].mean()), float((~j[~human]).mean())


def measure_part2(tables, rp, versions) -> dict[str, object]:
    f: dict[str, object] = {}
    v = tables["help_article_versions.csv"]
    f["n_versions"] = len(v)
    changed = v[v["valid_to"] != ""]
    f["n_changed_articles"] = changed["article_id"].nunique()
    titles = dict(zip(tables["help_articles.csv"]["article_id"], tables["help_articles.csv"]["title"]))
    f["changes_table"] = "\n".join(
        f"| {r.article_id} | {titles[r.article_id]} | {r.version} | {r.valid_from} | {r.valid_to} |"
        for r in changed.itertuples())

    q = tables["article_queries.csv"]
    unans = q["article_ids"] == ""
    f["n_unanswerable"] = int(unans.sum())
    f["n_answerable"] = int((~unans).sum())
    f["unanswerable_share"] = f"{unans.mean():.0%}"
    ev = bm25_eval(tables["help_articles.csv"], q)
    for k in (1, 3, 5, 10):
        f[f"bm25_recall_{k}"] = round(recall_at(ev, k), 3)
    ans_top, un_top = ev.loc[~unans.to_numpy(), "top"], ev.loc[unans.to_numpy(), "top"]
    f["top_ans_mean"], f["top_unans_mean"] = round(float(ans_top.mean()), 2), round(float(un_top.mean()), 2)
    f["top_ans_median"], f["top_unans_median"] = round(float(ans_top.median()), 2), round(float(un_top.median()), 2)
    f["unans_above_ans_median"] = f"{(un_top > ans_top.median()).mean():.0%}"
    f["unans_above_ans_q25"] = f"{(un_top > ans_top.quantile(0.25)).mean():.0%}"
    thr = float(un_top.quantile(0.8))
    ans = ev[~unans.to_numpy()]
    hit1 = ans.apply(lambda r: r["ranked"][0] in r["relevant"], axis=1)
    f["abstain80_threshold"] = round(thr, 2)
    f["abstain80_lost"] = f"{((ans['top'] < thr) & hit1).sum() / hit1.sum():.0%}"
    f["ans_below_unans_median"] = f"{(ans_top < un_top.median()).mean():.0%}"

    d = tables["reply_drafts.csv"]
    f["n_drafts"] = len(d)
    f["n_cases"] = d["ticket_id"].nunique()
    f["cases_per_intent"] = params.CASES_PER_INTENT
    f["sampled_config"] = f"`{params.SAMPLED[0]}`/`{params.SAMPLED[1]}`"
    f["n_samples"] = params.N_SAMPLES
    f["sampled_temperature"] = params.SAMPLED_TEMPERATURE
    f["retrieved_k"] = params.RETRIEVED_K
    f["n_injected_cases"] = d.loc[d["injected_instruction"] != "", "ticket_id"].nunique()
    ok = valid_mask(d, v)
    f["n_stale_drafts"] = int((~ok).sum())
    f["n_stale_cases"] = d.loc[~ok, "ticket_id"].nunique()
    f["first_draft_day"], f["last_draft_day"] = d["created_at"].min()[:10], d["created_at"].max()[:10]
    f["p_stale_recent"], f["stale_recent_days"], f["p_stale_later"] = (
        params.P_STALE_RECENT, params.STALE_RECENT_DAYS, params.P_STALE_LATER)
    f["p_injected"] = f"{params.P_INJECTED:.0%}"
    f["p_shared_draw"] = params.P_SHARED_DRAW
    f["p_queue"] = f"{params.P_QUEUE:.0%}"
    for who, det, fa in (("a", params.DETECT_A, params.FALSE_ALARM_A), ("b", params.DETECT_B, params.FALSE_ALARM_B)):
        f[f"det_{who}"] = det["leaks_data"]
        f[f"det_{who}_stale"], f[f"det_{who}_invented"], f[f"det_{who}_tone"] = (
            det["stale_policy"], det["invented_policy"], det["tone"])
        f[f"fa_{who}"] = f"{fa:.0%}"
    for jv in ("judge_v1", "judge_v2"):
        f[f"{jv}_pass_ok"] = params.JUDGE_PASS_OK[jv]

    dd = d.assign(cost=cost(d), lat=d["latency_ms"].astype(int), tin=d["input_tokens"].astype(int),
                  tout=d["output_tokens"].astype(int))
    rows = []
    for tier in params.TIERS:
        g = dd[dd["model_tier"] == tier]
        p_in, p_out = TIER_PRICES[tier]
        rows.append(f"| {tier} | {p_in:.2f} | {p_out:.2f} | {g['tin'].mean():.0f} | {g['tout'].mean():.0f} | "
                    f"{g['cost'].mean() * 1000:.3f} | {g['lat'].median():.0f} | {g['lat'].quantile(0.95):.0f} | "
                    f"{g['lat'].quantile(0.99):.0f} |")
    f["tier_table"] = "\n".join(rows)
    f["prompt_tokens_v1"], f["prompt_tokens_v2"] = params.PROMPT_TOKENS["v1"], params.PROMPT_TOKENS["v2"]
    f["latency_mean_median_ratio"] = round(float(dd["lat"].mean() / dd["lat"].median()), 2)
    f["latency_p99_p50"] = round(float(dd["lat"].quantile(0.99) / dd["lat"].median()), 1)

    # true failure rates (all drafts), as injected
    truth = pd.Series(rp.truth)
    dt = d.assign(modes=d["draft_id"].map(truth))
    rows = []
    for m in FAILURE_MODES:
        cells = []
        for prompt in params.PROMPTS:
            for tier in params.TIERS:
                g = dt[(dt["prompt_version"] == prompt) & (dt["model_tier"] == tier)]
                cells.append(f"{g['modes'].map(lambda x, m=m: m in x).mean():.1%}")
        rows.append(f"| {m} | " + " | ".join(cells) + " |")
    f["true_mode_table"] = "\n".join(rows)
    f["true_pass_share"] = f"{(dt['modes'].str.len() == 0).mean():.1%}"

    # human labels
    lab = tables["reply_labels.csv"]
    f["n_labels"] = len(lab)
    f["n_labelled_cases"] = d.loc[d["draft_id"].isin(lab["draft_id"]), "ticket_id"].nunique()
    ml = d.merge(lab, on="draft_id", validate="one_to_one").assign(ok=lambda x: x["passed"] == "True")
    f["label_pass_rate"] = f"{ml['ok'].mean():.1%}"
    rows = []
    for prompt in params.PROMPTS:
        for tier in params.TIERS:
            g = ml[(ml["prompt_version"] == prompt) & (ml["model_tier"] == tier)]
            rows.append(f"| {prompt} | {tier} | {len(g)} | {g['ok'].mean():.1%} |")
    f["config_pass_table"] = "\n".join(rows)
    by_tier = ml.groupby("model_tier")["ok"].mean()
    for tier in params.TIERS:
        f[f"pass_{tier}"] = f"{by_tier[tier]:.1%}"
    slices = ml.pivot_table(index="intent", columns="model_tier", values="ok", aggfunc="mean")
    f["intent_tier_table"] = "\n".join(
        f"| {i} | {slices.loc[i, 'small']:.1%} | {slices.loc[i, 'medium']:.1%} | {slices.loc[i, 'large']:.1%} | "
        f"{(slices.loc[i, 'medium'] - slices.loc[i, 'large']) * 100:+.1f} |" for i in params.REPLY_INTENTS)
    close = [i for i in params.REPLY_INTENTS if slices.loc[i, "medium"] >= slices.loc[i, "large"] - 0.02]
    f["medium_close_slices"] = ", ".join(close) if close else "none"
    rows = []
    best_m, best_z = None, 0.0
    for m in FAILURE_MODES:
        has = ml["failure_modes"].map(lambda x, m=m: m in x.split(";"))
        p1, p2 = has[ml["prompt_version"] == "v1"].mean(), has[ml["prompt_version"] == "v2"].mean()
        n1, n2 = (ml["prompt_version"] == "v1").sum(), (ml["prompt_version"] == "v2").sum()
        p = (has.sum()) / (n1 + n2)
        se = np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
        z = (p1 - p2) / se if se > 0 else 0.0
        if abs(z) > abs(best_z):
            best_m, best_z = m, z
        rows.append(f"| {m} | {int(has.sum())} | {p1:.1%} | {p2:.1%} | {z:+.2f} |")
    f["mode_prompt_table"] = "\n".join(rows)
    f["prompt_best_mode"], f["prompt_best_z"] = best_m, f"{best_z:+.2f}"
    both = lab[lab["passed_b"] != ""]
    f["n_second_review"] = len(both)
    f["reply_kappa"] = round(float(cohen_kappa_score(both["passed"], both["passed_b"])), 3)
    f["reply_raw_agreement"] = f"{(both['passed'] == both['passed_b']).mean():.1%}"

    # judges
    jd = tables["judge_verdicts.csv"]
    for jv in ("judge_v1", "judge_v2"):
        tpr, tnr = judge_rates(jd, lab, jv)
        f[f"{jv}_tpr"], f[f"{jv}_tnr"] = round(tpr, 3), round(tnr, 3)
        f[f"{jv}_pass_all"] = f"{(jd.loc[jd['judge_version'] == jv, 'passed'] == 'True').mean():.1%}"

    # variety
    f["reply_distinct_share"] = f"{d['reply'].nunique() / len(d):.2%}"
    op = Counter(opening(x) for x in d["reply"])
    top, k = max(sorted(op.items()), key=lambda kv: kv[1])
    f["reply_top_opening"], f["reply_top_opening_share"] = top, f"{k / len(d):.2%}"
    words = d["reply"].str.split().str.len()
    f["reply_words_median"] = int(words.median())
    return f
