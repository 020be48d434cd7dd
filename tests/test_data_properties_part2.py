"""The Part II data (lessons 14-17) has the properties the lessons rely on, measured on the committed files.

Each test names the lesson whose conclusion would become false if it failed. The metrics are computed
here from the CSV files with pandas, scikit-learn, statsmodels and rank-bm25 directly, not with the
generator's own measuring code.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from rank_bm25 import BM25Okapi
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.proportion import proportions_ztest

from aipmlab import data
from aipmlab.paths import asset_path

FAILURE_MODES = ["invented_policy", "stale_policy", "ignores_article", "wrong_language", "leaks_data",
                 "obeys_injection", "promises_action", "unhelpful_refusal", "tone"]
TIERS = ["small", "medium", "large"]
COLUMNS = {
    "help_article_versions.csv": ["article_id", "version", "valid_from", "valid_to", "title", "body"],
    "reply_drafts.csv": ["draft_id", "ticket_id", "created_at", "intent", "prompt_version", "model_tier",
                         "temperature", "sample", "injected_instruction", "retrieved_article_ids",
                         "cited_article_id", "article_version", "reply", "input_tokens", "output_tokens",
                         "latency_ms"],
    "reply_labels.csv": ["draft_id", "passed", "failure_modes", "note", "passed_b"],
    "judge_verdicts.csv": ["draft_id", "judge_version", "passed", "reason"],
}


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(asset_path("data", name), dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    names = [*COLUMNS, "tickets.csv", "help_articles.csv", "article_queries.csv"]
    return {name: _raw(name) for name in names}


@pytest.fixture(scope="module")
def labelled(raw) -> pd.DataFrame:
    """Drafts with reviewer A's verdict (``ok``) and failure modes (``modes``)."""
    m = raw["reply_drafts.csv"].merge(raw["reply_labels.csv"], on="draft_id", validate="one_to_one")
    return m.assign(ok=m["passed"] == "True", modes=m["failure_modes"].map(lambda s: s.split(";") if s else []))


#: Amounts, numbers and number words: a policy change must change one of them.
NUMBERS = re.compile(r"€?\d+(?:[.,]\d+)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|once|twice)\b")


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def bm25_runs(raw) -> pd.DataFrame:
    """BM25Okapi (defaults) over title + body of the current articles, on every query."""
    a, q = raw["help_articles.csv"], raw["article_queries.csv"]
    ids = a["article_id"].tolist()
    bm = BM25Okapi([_tokens(t + " " + b) for t, b in zip(a["title"], a["body"])])
    rows = []
    for text, rel in zip(q["query"], q["article_ids"]):
        scores = bm.get_scores(_tokens(text))
        order = np.argsort(-scores, kind="stable")
        rows.append({"relevant": [r for r in rel.split(";") if r], "ranked": [ids[k] for k in order],
                     "top": float(scores.max())})
    return pd.DataFrame(rows)


def _recall(runs: pd.DataFrame, k: int) -> float:
    ans = runs[runs["relevant"].str.len() > 0]
    return float(np.mean([len(set(r) & set(rk[:k])) / len(r) for r, rk in zip(ans["relevant"], ans["ranked"])]))


def _valid_at(drafts: pd.DataFrame, versions: pd.DataFrame) -> pd.Series:
    m = drafts.merge(versions, left_on=["cited_article_id", "article_version"], right_on=["article_id", "version"],
                     how="left", validate="many_to_one")
    assert m["valid_from"].notna().all() and (m["valid_from"] != "").all(), (
        "Every draft must cite an (article, version) that exists in help_article_versions.csv.")
    day = m["created_at"].str.slice(0, 10)
    return pd.Series(((m["valid_from"] <= day) & ((m["valid_to"] == "") | (day < m["valid_to"]))).to_numpy(),
                     index=drafts.index)


# --- files and columns --------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(COLUMNS))
def test_part2_files_have_the_documented_columns(raw, name):
    assert list(raw[name].columns) == COLUMNS[name], f"{name} must have exactly the columns {COLUMNS[name]}."


def test_datasheet_documents_part2_and_says_it_is_simulated():
    text = asset_path("data", "DATASHEET.md").read_text(encoding="utf-8")
    for name, cols in COLUMNS.items():
        assert f"`{name}`" in text, f"DATASHEET.md must describe {name}."
        for col in cols:
            assert f"`{col}`" in text, f"DATASHEET.md must explain the column `{col}` of {name}."
    for mode in FAILURE_MODES:
        assert f"`{mode}`" in text, f"DATASHEET.md must define the failure mode `{mode}`."
    assert "simulated, not model output" in text and "not recordings of any named model" in text, (
        "The DATASHEET must say plainly that replies and verdicts are simulated, not recordings of a model.")
    for tier, (p_in, p_out) in data.TIER_PRICES.items():
        assert f"| {tier} | {p_in:.2f} | {p_out:.2f} |" in text, f"The price of the {tier} tier must be in the DATASHEET."


# --- help-article versions (lesson 15: freshness) -----------------------------------------------
def test_article_versions_are_contiguous_and_the_current_ones_are_help_articles(raw):
    v, a = raw["help_article_versions.csv"], raw["help_articles.csv"]
    assert set(v["article_id"]) == set(a["article_id"]), "Every article needs its versions, and only those."
    for aid, g in v.groupby("article_id"):
        g = g.assign(n=g["version"].astype(int)).sort_values("n")
        assert g["n"].tolist() == list(range(1, len(g) + 1)), f"{aid}: versions must be numbered 1, 2, ..."
        assert (g["valid_to"].iloc[:-1].to_numpy() == g["valid_from"].iloc[1:].to_numpy()).all(), (
            f"{aid}: each version must start the day the previous one stops (no gap, no overlap).")
        assert g["valid_to"].iloc[-1] == "" and (g["valid_to"].iloc[:-1] != "").all(), (
            f"{aid}: only the last version is current (empty valid_to).")
        assert (g["valid_from"] < g["valid_to"].replace("", "9999")).all(), f"{aid}: valid_from must precede valid_to."
    current = v[v["valid_to"] == ""].set_index("article_id").loc[a["article_id"]]
    assert (current["body"].to_numpy() == a["body"].to_numpy()).all(), (
        "The current version of each article must be exactly its text in help_articles.csv.")


def test_at_least_three_policies_change_during_2025_in_a_detectable_way(raw):
    v = raw["help_article_versions.csv"]
    changes = v[(v["valid_to"] >= "2025-01-02") & (v["valid_to"] <= "2025-12-31")]
    assert changes["article_id"].nunique() >= 3, "At least three articles must change during 2025."
    numbers = NUMBERS
    for row in changes.itertuples():
        nxt = v[(v["article_id"] == row.article_id) & (v["version"] == str(int(row.version) + 1))].iloc[0]
        assert set(numbers.findall(row.body)) != set(numbers.findall(nxt["body"])), (
            f"{row.article_id} v{row.version} -> v{int(row.version) + 1}: a policy change must change a number or number word, "
            "so a reply drafted from the old version is detectably wrong.")


def test_some_drafts_cite_a_stale_version_and_say_something_only_it_says(raw):
    d, v = raw["reply_drafts.csv"], raw["help_article_versions.csv"]
    ok = _valid_at(d, v)
    stale = d[~ok]
    assert stale["ticket_id"].nunique() >= 10, (
        f"Lesson 15 needs stale drafts to find; only {stale['ticket_id'].nunique()} tickets have one.")
    assert 0.01 <= (~ok).mean() <= 0.15, f"Stale drafts should be a minority; {(~ok).mean():.1%}."
    bodies = {(r.article_id, r.version): r.body for r in v.itertuples()}
    # the reply of a stale draft that uses the article contains a number of the old version absent from the current one
    numbers = NUMBERS
    detectable = 0
    for row in stale.itertuples():
        cur = v[(v["article_id"] == row.cited_article_id) & (v["valid_to"] == "")]["body"].iloc[0]
        only_old = set(numbers.findall(bodies[(row.cited_article_id, row.article_version)])) - set(numbers.findall(cur))
        detectable += bool(set(numbers.findall(row.reply)) & only_old)
    assert detectable >= 0.6 * len(stale), (
        f"Most stale drafts must state a number only the old version has; {detectable} of {len(stale)} do.")


# --- article queries (lesson 15: retrieval and abstention) --------------------------------------
def test_bm25_recall_at_5_is_useful_but_imperfect(bm25_runs):
    r1, r5 = _recall(bm25_runs, 1), _recall(bm25_runs, 5)
    assert 0.6 <= r5 <= 0.9, f"BM25 recall@5 on the answerable queries should be between 0.6 and 0.9; it is {r5:.3f}."
    assert r5 >= r1 + 0.15, f"recall@5 ({r5:.3f}) must be clearly above recall@1 ({r1:.3f}) so choosing k matters."


def test_unanswerable_queries_score_lower_but_overlap(raw, bm25_runs):
    q = raw["article_queries.csv"]
    unans = (q["article_ids"] == "").to_numpy()
    assert 30 <= unans.sum() <= 0.3 * len(q), f"Need 30+ unanswerable queries, a minority; found {unans.sum()}."
    top_a, top_u = bm25_runs.loc[~unans, "top"], bm25_runs.loc[unans, "top"]
    assert top_u.mean() < top_a.mean(), "The best BM25 score must be lower on unanswerable queries on average."
    assert (top_u > top_a.quantile(0.25)).mean() >= 0.1 and (top_a < top_u.quantile(0.75)).mean() >= 0.1, (
        "Scores must overlap so that no threshold separates answerable from unanswerable queries.")


# --- drafts -------------------------------------------------------------------------------------
def test_drafts_cover_real_tickets_in_every_configuration(raw):
    d, t = raw["reply_drafts.csv"], raw["tickets.csv"]
    assert d["draft_id"].is_unique
    assert d["ticket_id"].nunique() >= 400, f"Need drafts for 400+ tickets; {d['ticket_id'].nunique()}."
    tk = t.set_index("ticket_id")
    assert d["ticket_id"].isin(tk.index).all(), "Every draft must answer a ticket in tickets.csv."
    assert (d["created_at"].to_numpy() == tk.loc[d["ticket_id"], "created_at"].to_numpy()).all()
    assert (d["intent"].to_numpy() == tk.loc[d["ticket_id"], "intent"].to_numpy()).all()
    configs = d.groupby(["prompt_version", "model_tier"])["ticket_id"].nunique()
    assert len(configs) == 6 and (configs == d["ticket_id"].nunique()).all(), "2 prompts x 3 tiers, every ticket."
    temp = d["temperature"].astype(float)
    per_case = d[temp > 0].groupby(["ticket_id", "prompt_version", "model_tier"])["sample"].nunique()
    assert len(per_case) and (per_case >= 3).all(), "One configuration needs 3+ samples per case at temperature > 0."
    assert (d.loc[temp == 0, "sample"] == "0").all(), "Configurations at temperature 0 have only sample 0."
    retrieved = d["retrieved_article_ids"].str.split(";")
    assert all(c in r for c, r in zip(d["cited_article_id"], retrieved)), "The cited article must be retrieved."


def test_latency_has_a_long_right_tail_and_large_is_slowest(raw):
    d = raw["reply_drafts.csv"].assign(lat=lambda x: x["latency_ms"].astype(int))
    assert d["lat"].quantile(0.99) > 3 * d["lat"].median(), "Latency needs a long right tail (p99 > 3 x median)."
    med = d.groupby("model_tier")["lat"].median()
    assert med["large"] > med["medium"] > med["small"], f"The large tier must be slowest: {med.to_dict()}."


def test_tiers_large_passes_most_small_costs_least_medium_wins_a_slice(labelled, raw):
    rates = labelled.groupby("model_tier")["ok"].mean()
    assert rates["large"] > rates["medium"] > rates["small"], f"Pass rates must rank large > medium > small: {rates.to_dict()}."
    prices = data.load_tier_prices().set_index("model_tier")
    d = raw["reply_drafts.csv"]
    cost = (d["input_tokens"].astype(int) * d["model_tier"].map(prices["price_in_per_mtok"])
            + d["output_tokens"].astype(int) * d["model_tier"].map(prices["price_out_per_mtok"])) / 1e6
    per_tier = cost.groupby(d["model_tier"]).mean()
    assert per_tier.idxmin() == "small", f"The small tier must be the cheapest per reply: {per_tier.to_dict()}."
    slices = labelled.pivot_table(index="intent", columns="model_tier", values="ok", aggfunc="mean")
    close = slices.index[slices["medium"] >= slices["large"] - 0.02].tolist()
    assert close, "On at least one intent the medium tier's pass rate must be within 2 points of the large tier's."


def test_prompt_versions_differ_beyond_noise_on_a_failure_mode(labelled):
    v1, v2 = labelled[labelled["prompt_version"] == "v1"], labelled[labelled["prompt_version"] == "v2"]
    p_values = {}
    for mode in FAILURE_MODES:
        counts = [int(v1["modes"].map(lambda m, mode=mode: mode in m).sum()),
                  int(v2["modes"].map(lambda m, mode=mode: mode in m).sum())]
        if sum(counts):
            p_values[mode] = float(proportions_ztest(counts, [len(v1), len(v2)])[1])
    assert min(p_values.values()) < 0.01, f"Some failure mode must differ between prompts beyond noise: {p_values}."


def test_failure_modes_are_a_minority_and_all_present(labelled):
    assert 0.6 <= labelled["ok"].mean() <= 0.9, f"Most drafts pass; reviewer A passes {labelled['ok'].mean():.1%}."
    seen = Counter(m for modes in labelled["modes"] for m in modes)
    assert set(seen) <= set(FAILURE_MODES), f"Unknown failure modes: {set(seen) - set(FAILURE_MODES)}."
    missing = [m for m in FAILURE_MODES if seen[m] < 3]
    assert not missing, f"Every failure mode needs examples among the labelled drafts; too few: {missing}."
    assert ((labelled["failure_modes"] == "") == labelled["ok"]).all(), "failure_modes is empty exactly for a pass."
    by_tier = labelled.groupby("model_tier")["modes"].apply(lambda s: sum(bool(m) for m in s) / len(s))
    assert by_tier["small"] > by_tier["large"] + 0.05, "Failure rates must vary by tier."


def test_failures_are_visible_in_the_reply(labelled):
    inj = labelled[labelled["modes"].map(lambda m: "obeys_injection" in m)]
    assert (inj["injected_instruction"] != "").all(), "obeys_injection only where an instruction was injected."
    foreign = labelled[labelled["modes"].map(lambda m: "wrong_language" in m)]
    assert foreign["reply"].str.contains(r"Hola|Bonjour|Buenos", regex=True).all(), "wrong_language replies are not English."
    promised = labelled[labelled["modes"].map(lambda m: "promises_action" in m)]
    assert promised["reply"].str.contains("I've ").mean() > 0.8, "promises_action replies claim an action ('I've ...')."


def test_replies_are_varied(raw):
    replies = raw["reply_drafts.csv"]["reply"]
    assert replies.nunique() / len(replies) >= 0.97, f"97%+ of replies must be distinct; {replies.nunique() / len(replies):.1%}."
    openings = Counter(" ".join([w for w in re.split(r"[^\w']+", r.lower()) if w][:5]) for r in replies)
    top, n = openings.most_common(1)[0]
    assert n / len(replies) <= 0.03, f"No five-word opening may start more than 3% of replies; {top!r} starts {n / len(replies):.1%}."


# --- labels and judges (lessons 14 and 16) ------------------------------------------------------
def test_enough_labels_and_reviewer_kappa_is_moderate(raw):
    lab = raw["reply_labels.csv"]
    assert len(lab) >= 300 and lab["draft_id"].is_unique, f"Need 300+ labelled drafts; {len(lab)}."
    assert lab["draft_id"].isin(raw["reply_drafts.csv"]["draft_id"]).all()
    assert set(lab["passed"]) <= {"True", "False"} and set(lab["passed_b"]) <= {"True", "False", ""}
    both = lab[lab["passed_b"] != ""]
    assert 100 <= len(both) < len(lab), "A second reviewer looks at a subset (100+ drafts)."
    kappa = cohen_kappa_score(both["passed"], both["passed_b"])
    assert 0.6 <= kappa <= 0.85, f"Reviewer agreement (Cohen's kappa) should be between 0.6 and 0.85; it is {kappa:.3f}."
    fails = lab[lab["passed"] == "False"]
    assert (fails["note"] != "").all(), "Every failed draft carries reviewer A's note."


def test_lenient_judge_and_aligned_judge(raw):
    j, lab = raw["judge_verdicts.csv"], raw["reply_labels.csv"]
    assert set(j["judge_version"]) == {"judge_v1", "judge_v2"}
    for jv, g in j.groupby("judge_version"):
        assert g["draft_id"].is_unique and set(g["draft_id"]) == set(raw["reply_drafts.csv"]["draft_id"]), (
            f"{jv} must judge every draft once.")
    m = j.merge(lab, on="draft_id", suffixes=("_j", "_h"))
    rates = {}
    for jv, g in m.groupby("judge_version"):
        human, judge = g["passed_h"] == "True", g["passed_j"] == "True"
        rates[jv] = (float(judge[human].mean()), float((~judge[~human]).mean()))
    tpr1, tnr1 = rates["judge_v1"]
    tpr2, tnr2 = rates["judge_v2"]
    assert tpr1 > 0.9 and tnr1 < 0.7, f"judge_v1 must be lenient (TPR > 0.9, TNR < 0.7); TPR {tpr1:.3f}, TNR {tnr1:.3f}."
    assert tpr2 > 0.8 and tnr2 > 0.8, f"judge_v2 must be aligned (TPR and TNR > 0.8); TPR {tpr2:.3f}, TNR {tnr2:.3f}."


# --- loaders --------------------------------------------------------------------------------------
def test_part2_loaders_set_dtypes():
    v = data.load_help_article_versions()
    assert v["valid_from"].dtype == "datetime64[ns]" and v["valid_to"].dtype == "datetime64[ns]"
    assert v["version"].dtype == "int64" and v["valid_to"].isna().sum() == v["article_id"].nunique()
    d = data.load_reply_drafts()
    assert d["created_at"].dtype == "datetime64[ns]"
    assert list(d["model_tier"].cat.categories) == TIERS and list(d["prompt_version"].cat.categories) == ["v1", "v2"]
    assert list(d["intent"].cat.categories) == list(data.INTENTS)
    for col in ("sample", "article_version", "input_tokens", "output_tokens", "latency_ms"):
        assert d[col].dtype == "int64", f"reply_drafts.{col} must be int64."
    assert d["temperature"].dtype == "float64"
    assert all(isinstance(x, list) and len(x) >= 1 for x in d["retrieved_article_ids"])
    lab = data.load_reply_labels()
    assert lab["passed"].dtype == bool and str(lab["passed_b"].dtype) == "boolean" and lab["passed_b"].isna().any()
    assert all(isinstance(x, list) for x in lab["failure_modes"]) and (lab["failure_modes"].str.len() == 0).any()
    j = data.load_judge_verdicts()
    assert j["passed"].dtype == bool and list(j["judge_version"].cat.categories) == ["judge_v1", "judge_v2"]
    assert len(data.load_judge_verdicts("judge_v2")) == len(j) // 2
    q = data.load_article_queries()
    assert (q["article_ids"].str.len() == 0).sum() >= 30, "Unanswerable queries load as empty lists."
    assert tuple(data.FAILURE_MODES) == tuple(FAILURE_MODES)
    prices = data.load_tier_prices()
    assert prices["model_tier"].tolist() == TIERS and prices["price_in_per_mtok"].is_monotonic_increasing


def test_load_judge_verdicts_rejects_bad_versions_clearly():
    with pytest.raises(ValueError, match="judge_v3"):
        data.load_judge_verdicts("judge_v3")
    with pytest.raises(TypeError, match="string.*int: 1"):
        data.load_judge_verdicts(1)
