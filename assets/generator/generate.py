#!/usr/bin/env python
"""Rebuild every file in ``assets/data/`` from the hand-written bank, byte for byte.

Usage (from the repository root)::

    python assets/generator/generate.py                 # rewrite assets/data/
    python assets/generator/generate.py --out /tmp/d    # write somewhere else (the tests do this)
    python assets/generator/generate.py --provenance /tmp/prov.csv   # also say which bank lines built each ticket

Everything is seeded (``SEED``), ordered and formatted with fixed precision, so two runs give
identical files. The datasheet is rendered from ``datasheet_template.md`` with values measured on
the freshly generated data, so no number in it is typed by hand.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import datasheet
import extras
import golden
import measure
import measure_replies
import models
import pandas as pd
import replies
from bankio import BANK_DIR, load_articles, load_utterances, read_lines
from textgen import Renderer, Resources
from threadpoolctl import threadpool_limits
from tickets import build_tickets

SEED = 20250101
DEFAULT_OUT = HERE.parent / "data"


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a table the same way every time: UTF-8, header, no index, ``\\n`` line ends.

    Every column is already a string (numbers are formatted by the builders), so pandas never
    chooses a float format for us.
    """
    df = df.astype(str)
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def build_all(seed: int = SEED, bank_dir: Path = BANK_DIR) -> dict[str, object]:
    """Build every table (as string-valued DataFrames) plus the measurements for the datasheet."""
    bank = load_utterances(bank_dir)
    renderer = Renderer(Resources(bank_dir))
    tk = build_tickets(seed, bank, renderer)
    tickets = tk.df

    article_list = load_articles(bank_dir)
    unanswerable = read_lines(bank_dir / "articles" / "unanswerable.txt")
    articles, queries = extras.build_articles(seed, article_list, unanswerable)
    versions = replies.build_article_versions(article_list, bank_dir)
    rp = replies.build_replies(seed, tickets, tk.latent_intent, article_list, versions, bank_dir)
    gold = golden.build_golden(seed, tk.holdout, renderer, bank_dir, tickets)
    v1, v2, model_info = models.build_predictions(seed, tickets, gold)
    events, reply_info = extras.build_reply_events(seed, tickets, tk.latent_intent)
    experiment, exp_info = extras.build_experiment(seed)

    tables = {
        "tickets.csv": tickets,
        "help_articles.csv": articles,
        "article_queries.csv": queries,
        "reply_events.csv": events,
        "experiment.csv": experiment,
        "golden_set.csv": gold,
        "predictions_v1.csv": v1,
        "predictions_v2.csv": v2,
        "help_article_versions.csv": replies.versions_frame(versions),
        "reply_drafts.csv": rp.drafts,
        "reply_labels.csv": rp.labels,
        "judge_verdicts.csv": rp.judge,
    }
    article_intents = {a.article_id: a.intent for a in article_list}
    facts = measure.measure_all(tables, bank, tk, model_info, reply_info, exp_info, bank_dir, article_intents)
    facts |= measure_replies.measure_part2(tables, rp, versions)
    return {"tables": tables, "facts": facts, "provenance": tk.provenance}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into (default: assets/data)")
    parser.add_argument("--provenance", type=Path, default=None,
                        help="also write ticket_id -> bank lines and frames used (CSV) to this path")
    parser.add_argument("--quiet", action="store_true", help="do not print the measured properties")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    # One BLAS thread: faster for these small models on a busy 2-core machine, and the floating-point
    # reductions then happen in the same order on every run.
    with threadpool_limits(limits=1):
        built = build_all()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, df in built["tables"].items():
        write_csv(df, args.out / name)
    (args.out / "DATASHEET.md").write_text(datasheet.render(built["facts"]), encoding="utf-8", newline="\n")
    if args.provenance is not None:
        args.provenance.parent.mkdir(parents=True, exist_ok=True)
        write_csv(built["provenance"], args.provenance)
    if not args.quiet:
        for key, value in built["facts"].items():
            if not isinstance(value, (list, dict)) and not str(key).endswith("_table"):
                print(f"{key}: {value}")
        print(f"generated in {time.perf_counter() - t0:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
