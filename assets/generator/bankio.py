"""Read the hand-written text bank (``assets/generator/bank/``) into plain Python structures.

Every reader returns lists in file order, so the generator never depends on set or dict hashing.
Blank lines and lines starting with ``#`` are ignored everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aipmlab.data import INTENTS  # the one list of intents, shared with the lessons' loaders

BANK_DIR = Path(__file__).resolve().parent / "bank"

LANGS = ("en", "es", "fr")
#: The only placeholders a customer utterance may contain.
UTTERANCE_PLACEHOLDERS = ("{order}", "{item}", "{amount}", "{day}")
_PLACEHOLDER_RE = re.compile(r"\{[a-z_]+\}")


def read_lines(path: Path) -> list[str]:
    """Return the non-blank, non-comment lines of a text file, stripped, in file order."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_pipe_table(path: Path) -> list[tuple[str, list[str]]]:
    """Read ``key | a; b; c`` lines into ``[(key, [a, b, c]), ...]``."""
    rows = []
    for line in read_lines(path):
        key, _, rest = line.partition("|")
        values = [v.strip() for v in rest.split(";") if v.strip()]
        rows.append((key.strip(), values))
    return rows


def read_arrow_table(path: Path) -> list[tuple[str, list[str]]]:
    """Read ``source -> a, b`` lines into ``[(source, [a, b]), ...]``."""
    rows = []
    for line in read_lines(path):
        src, _, rest = line.partition("->")
        rows.append((src.strip(), [v.strip() for v in rest.split(",") if v.strip()]))
    return rows


def load_utterances(root: Path = BANK_DIR) -> dict[tuple[str, str], list[str]]:
    """Load the customer-message bank: ``{(lang, intent): [utterance, ...]}``.

    Duplicate lines within one file are dropped (first kept). Lines with unknown placeholders
    raise ``ValueError`` so a typo in the bank cannot leak ``{oder}`` into the data.
    """
    bank: dict[tuple[str, str], list[str]] = {}
    for lang in LANGS:
        for intent in INTENTS:
            path = root / lang / f"{intent}.txt"
            if not path.exists():
                bank[(lang, intent)] = []
                continue
            seen: dict[str, None] = {}
            for line in read_lines(path):
                for ph in _PLACEHOLDER_RE.findall(line):
                    if ph not in UTTERANCE_PLACEHOLDERS:
                        raise ValueError(f"{path}: unknown placeholder {ph} in {line!r}")
                seen.setdefault(line, None)
            bank[(lang, intent)] = list(seen)
    return bank


@dataclass
class Article:
    """One help-centre article and the customer queries it answers."""

    article_id: str
    intent: str
    title: str
    body: str
    #: (query text, extra relevant article ids besides this one)
    queries: list[tuple[str, list[str]]] = field(default_factory=list)


def load_articles(root: Path = BANK_DIR) -> list[Article]:
    """Load ``bank/articles/*.md``, sorted by article id.

    File format::

        id: A01
        intent: late_delivery
        title: Where is my order?
        queries:
        - where is my delivery right now
        - driver is late, can I track him | A02; A03
        ---
        Body paragraphs (blank line between paragraphs).
    """
    articles = []
    for path in sorted((root / "articles").glob("*.md")):
        head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
        if not sep:
            raise ValueError(f"{path}: missing the '---' line between header and body")
        meta: dict[str, str] = {}
        queries: list[tuple[str, list[str]]] = []
        in_queries = False
        for line in head.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if in_queries and line.startswith("- "):
                text, _, extra = line[2:].partition("|")
                queries.append((text.strip(), [e.strip() for e in extra.split(";") if e.strip()]))
                continue
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "queries":
                in_queries = True
                continue
            in_queries = False
            meta[key] = value.strip()
        for needed in ("id", "intent", "title"):
            if needed not in meta:
                raise ValueError(f"{path}: header needs '{needed}:'")
        paragraphs = [" ".join(p.split()) for p in body.strip().split("\n\n") if p.strip()]
        articles.append(Article(meta["id"], meta["intent"], meta["title"], "\n\n".join(paragraphs), queries))
    articles.sort(key=lambda a: a.article_id)
    return articles


def load_keyword_rules(root: Path = BANK_DIR) -> list[tuple[str, list[str]]]:
    """Load the keyword baseline: ordered ``[(intent, [keyword, ...]), ...]``; first match wins."""
    return read_pipe_table(root / "keywords.txt")


def keyword_predict(texts, rules: list[tuple[str, list[str]]], default: str = "other") -> list[str]:
    """Predict an intent per text with the keyword rules (lowercase substring match, first rule wins)."""
    preds = []
    for text in texts:
        low = str(text).lower()
        label = default
        for intent, keywords in rules:
            if any(k in low for k in keywords):
                label = intent
                break
        preds.append(label)
    return preds
