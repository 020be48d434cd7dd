"""The data generator rebuilds assets/data/ exactly, from a bank that is big and varied enough.

If `test_regeneration_reproduces_every_file` fails after you edited the bank or the generator, run
`python assets/generator/generate.py` and commit the regenerated files with your change.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest

from aipmlab.paths import REPO_ROOT

GENERATOR_DIR = REPO_ROOT / "assets" / "generator"
DATA_DIR = REPO_ROOT / "assets" / "data"
if str(GENERATOR_DIR) not in sys.path:
    sys.path.insert(0, str(GENERATOR_DIR))
from bankio import INTENTS, LANGS, load_utterances


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """Run the generator once into a temporary folder, with its provenance file."""
    out = tmp_path_factory.mktemp("regenerated")
    provenance = out / "provenance" / "tickets_provenance.csv"
    cmd = [sys.executable, str(GENERATOR_DIR / "generate.py"), "--out", str(out), "--provenance", str(provenance),
           "--quiet"]
    done = subprocess.run(cmd, cwd=out, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"The generator failed:\n{done.stderr[-3000:]}"
    return out, provenance


def test_regeneration_reproduces_every_file(regenerated):
    out, _ = regenerated
    committed = sorted(p.name for p in DATA_DIR.iterdir() if p.is_file())
    rebuilt = sorted(p.name for p in out.iterdir() if p.is_file())
    assert rebuilt == committed, f"assets/data holds {committed}, but the generator writes {rebuilt}."
    part2 = {"help_article_versions.csv", "reply_drafts.csv", "reply_labels.csv", "judge_verdicts.csv"}
    assert part2 <= set(rebuilt), f"The generator must write the Part II files {sorted(part2)}."
    differ = [name for name in committed if (DATA_DIR / name).read_bytes() != (out / name).read_bytes()]
    assert not differ, (
        f"These files differ from a fresh generation: {differ}. Either the generator is not deterministic, or "
        "assets/data is stale: run `python assets/generator/generate.py` and commit the result."
    )


def test_files_use_unix_line_ends_and_utf8():
    for path in sorted(DATA_DIR.glob("*.csv")):
        raw = path.read_bytes()
        raw.decode("utf-8")  # raises if not UTF-8
        assert b"\r\n" not in raw, f"{path.name} must use \\n line ends so it is identical on every OS."


def test_total_size_is_modest():
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir() if p.is_file())
    assert total < 15 * 2**20, f"assets/data should stay under 15 MB; it is {total / 2**20:.1f} MB."


# --- the bank ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bank():
    return load_utterances()


def test_bank_has_enough_distinct_handwritten_utterances(bank):
    distinct = {u for lines in bank.values() for u in lines}
    assert len(distinct) >= 1200, f"The bank needs at least 1,200 distinct utterances; it has {len(distinct)}."
    for lang in ("es", "fr"):
        n = len({u for (lg, _), lines in bank.items() if lg == lang for u in lines})
        assert n >= 40, f"The bank needs at least 40 {lang} utterances; it has {n}."


def test_every_language_has_every_intent(bank):
    empty = [f"{lang}/{intent}.txt" for lang in LANGS for intent in INTENTS if not bank[(lang, intent)]]
    assert not empty, f"Each language needs utterances for every intent; empty or missing: {empty}."


def test_no_template_or_frame_produces_more_than_2_percent_of_rows(regenerated):
    _, provenance = regenerated
    prov = pd.read_csv(provenance, dtype=str, keep_default_na=False)
    counts: Counter = Counter()
    for frames in prov["frames"]:
        counts.update(set(frames.split()))
    frame, n = counts.most_common(1)[0]
    assert n / len(prov) <= 0.02, (
        f"No bank line or variation frame may produce more than 2% of tickets; {frame} is used by {n / len(prov):.2%}."
    )


def test_language_column_follows_the_bank_file_used(regenerated):
    """Each ticket's first bank line comes from the bank folder of its language."""
    out, provenance = regenerated
    prov = pd.read_csv(provenance, dtype=str, keep_default_na=False)
    tickets = pd.read_csv(out / "tickets.csv", dtype=str, keep_default_na=False)
    first_lang = prov["frames"].str.split().str[0].str.split(":").str[1]
    mismatch = (first_lang.to_numpy() != tickets["language"].to_numpy()).sum()
    assert mismatch == 0, f"{mismatch} tickets have a language that differs from the bank file of their text."
