"""Turn a hand-written utterance into a customer message, with the variation real tickets have.

The variation steps (greetings, sign-offs, order numbers, typos, abbreviations, casing, several
requests in one message, negations, rambling) each draw from small hand-written lists in
``bank/`` and from a seeded ``numpy.random.Generator``. Every step that uses a list records which
entry it used in ``Message.frames``, so tests can check that no frame produces a noticeable share
of the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from bankio import BANK_DIR, read_arrow_table, read_lines, read_pipe_table

#: Channel-specific style probabilities. Chat is short and informal; email is long and polite.
STYLE = {
    #          greet  signoff ramble abbrev lower  notrail order  contact
    "email": (0.55, 0.50, 0.12, 0.03, 0.05, 0.15, 0.15, 0.05),
    "chat": (0.30, 0.08, 0.03, 0.22, 0.35, 0.45, 0.08, 0.02),
    "app": (0.22, 0.12, 0.05, 0.12, 0.20, 0.30, 0.10, 0.02),
}
P_TYPO_MESSAGE = 0.35  # share of messages with at least a chance of keyboard slips
P_MISSPELL = 0.25  # per matching word, in messages chosen for typos
P_SHOUT = 0.015  # ALL CAPS message

_KEYBOARD_NEIGHBOURS = {
    "a": "qsz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}


@dataclass
class Message:
    """A rendered customer message and the bank entries used to build it."""

    text: str
    frames: list[str] = field(default_factory=list)


def _compile_word_rules(rows: list[tuple[str, list[str]]]) -> list[tuple[re.Pattern, list[str]]]:
    rules = []
    for src, outs in rows:
        pattern = re.compile(r"(?<![\w'])" + re.escape(src) + r"(?![\w'])", re.IGNORECASE)
        rules.append((pattern, outs))
    return rules


class Resources:
    """All hand-written lists the renderer needs, loaded once from ``bank/``."""

    def __init__(self, root: Path = BANK_DIR):
        self.greetings = {lang: read_lines(root / "greetings" / f"{lang}.txt") for lang in ("en", "es", "fr")}
        self.signoffs = {lang: read_lines(root / "signoffs" / f"{lang}.txt") for lang in ("en", "es", "fr")}
        self.items = {lang: read_lines(root / "items" / f"{lang}.txt") for lang in ("en", "es", "fr")}
        self.days = {lang: read_lines(root / "days" / f"{lang}.txt") for lang in ("en", "es", "fr")}
        self.weekdays = {lang: [w.strip() for w in ",".join(names).split(",")]
                         for lang, names in read_pipe_table(root / "days" / "weekdays.txt")}
        self.names = read_lines(root / "names.txt")
        self.connectors = {lang: read_lines(root / "frames" / f"connectors_{lang}.txt") for lang in ("en", "es", "fr")}
        self.order_mentions = {lang: read_lines(root / "frames" / f"order_mentions_{lang}.txt")
                               for lang in ("en", "es", "fr")}
        self.negations = read_lines(root / "frames" / "negation_en.txt")
        self.topics = dict(read_pipe_table(root / "frames" / "topics_en.txt"))
        self.contacts = read_lines(root / "frames" / "contact_en.txt")
        self.ramble = {lang: read_lines(root / "ramble" / f"{lang}.txt") for lang in ("en", "es", "fr")}
        self.misspellings = _compile_word_rules(read_arrow_table(root / "typos" / "misspellings_en.txt"))
        self.abbreviations = _compile_word_rules(read_arrow_table(root / "typos" / "abbreviations_en.txt"))


_GREETING_WORDS = ("hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "hiya",
                   "morning", "evening", "hola", "buenas", "buenos", "bonjour", "bonsoir", "salut", "coucou")
_THANKS_WORDS = ("thanks", "thank you", "thx", "cheers", "regards", "gracias", "saludos", "merci", "cordialement")


def _opens_with_greeting(text: str) -> bool:
    low = text.lower()
    return any(low.startswith(w) and (len(low) == len(w) or not low[len(w)].isalpha()) for w in _GREETING_WORDS)


def _closes_with_thanks(text: str) -> bool:
    tail = text.lower()[-40:]
    return any(w in tail for w in _THANKS_WORDS)


def _pick(rng: np.random.Generator, items: list[str]) -> tuple[int, str]:
    i = int(rng.integers(len(items)))
    return i, items[i]


class Renderer:
    """Renders messages; all randomness comes from the generator passed to each call."""

    def __init__(self, res: Resources):
        self.res = res

    # ---------- placeholders -------------------------------------------------------------
    def order_number(self, rng: np.random.Generator) -> str:
        """An order number in one of the formats customers actually type."""
        digits = f"{int(rng.integers(1_000_000, 9_999_999))}"
        style = rng.random()
        if style < 0.50:
            return f"BK-{digits}"
        if style < 0.70:
            return f"#{digits}"
        if style < 0.85:
            return digits
        if style < 0.95:
            return f"bk-{digits}"
        return f"BK {digits}"

    def amount(self, rng: np.random.Generator, lang: str) -> str:
        """A euro amount, written the way customers of that language write it."""
        value = float(np.round(rng.lognormal(np.log(38.0), 0.7), 2))
        value = min(max(value, 1.5), 480.0)
        euros, cents = int(value), round((value - int(value)) * 100) % 100
        style = rng.random()
        if lang == "en":
            if style < 0.55:
                return f"€{euros}.{cents:02d}"
            if style < 0.70:
                return f"{euros}.{cents:02d} EUR"
            if style < 0.85:
                return f"{euros}.{cents:02d} euros"
            return f"€{euros}"
        if style < 0.6:
            return f"{euros},{cents:02d} €"
        if style < 0.8:
            return f"{euros},{cents:02d}€"
        return f"{euros} euros"

    def day(self, rng: np.random.Generator, lang: str, when: datetime) -> str:
        """A relative day ("yesterday", "on Tuesday") consistent with the ticket's date."""
        _, phrase = _pick(rng, self.res.days[lang])
        if "{weekday}" in phrase:
            back = int(rng.integers(1, 7))
            wd = self.res.weekdays[lang][(when - timedelta(days=back)).weekday()]
            phrase = phrase.replace("{weekday}", wd)
        return phrase

    def fill(self, rng: np.random.Generator, utterance: str, lang: str, when: datetime) -> str:
        """Replace {order}, {item}, {amount} and {day} with concrete values."""
        out = utterance
        while "{order}" in out:
            out = out.replace("{order}", self.order_number(rng), 1)
        while "{item}" in out:
            out = out.replace("{item}", _pick(rng, self.res.items[lang])[1], 1)
        while "{amount}" in out:
            out = out.replace("{amount}", self.amount(rng, lang), 1)
        while "{day}" in out:
            out = out.replace("{day}", self.day(rng, lang, when), 1)
        return out

    # ---------- composition --------------------------------------------------------------
    @staticmethod
    def _join(a: str, b: str) -> str:
        a = a.rstrip()
        if not a:
            return b
        if a[-1] not in ".!?:;,-)":
            a += "."
        return f"{a} {b}"

    def with_second_request(self, rng, first: str, second: str, lang: str, frames: list[str]) -> str:
        """Join a second request to the first with a connector ("Also,", "PS")."""
        i, conn = _pick(rng, self.res.connectors[lang])
        frames.append(f"connector:{lang}:{i}")
        keep_case = conn.endswith(".") or conn in ("PS", "P.S.") or second.startswith(("I ", "I'", "BK", "Basketly"))
        if not keep_case and not second[:2].isupper():
            second = second[0].lower() + second[1:]
        return self._join(first, f"{conn} {second}")

    def with_negation(self, rng, text: str, other_intent: str, frames: list[str]) -> str:
        """Prefix "This is not about <other topic>," to an English message."""
        i, frame = _pick(rng, self.res.negations)
        j, topic = _pick(rng, self.res.topics[other_intent])
        frames.append(f"negation:{i}")
        frames.append(f"topic:{other_intent}:{j}")
        lead = frame.replace("{topic}", topic)
        lead = lead[0].upper() + lead[1:]
        body = text
        if lead.endswith((",", "-", ":", "but", "however")) and not body.startswith(("I ", "I'", "My ", "Basketly")):
            body = body[0].lower() + body[1:]
        return f"{lead} {body}"

    def with_ramble(self, rng, text: str, lang: str, frames: list[str]) -> str:
        """Wrap the request in one to three sentences of context that ask for nothing."""
        pool = self.res.ramble[lang]
        n = int(rng.integers(1, 4))
        idx = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
        sentences = [pool[int(i)] for i in idx]
        frames.extend(f"ramble:{lang}:{int(i)}" for i in idx)
        split = int(rng.integers(0, len(sentences) + 1))
        before, after = sentences[:split], sentences[split:]
        out = " ".join(before + [text]) if before else text
        for s in after:
            out = self._join(out, s)
        return out

    def with_order_mention(self, rng, text: str, lang: str, frames: list[str]) -> str:
        """Add an order number to a message that has none, before or after the request."""
        i, frame = _pick(rng, self.res.order_mentions[lang])
        frames.append(f"order_mention:{lang}:{i}")
        number = self.order_number(rng)
        if "#" in frame or "No." in frame or "Nº" in frame or "N°" in frame:
            number = number.lstrip("#")  # nobody types "order # #1234567"
        mention = frame.replace("{order}", number)
        if frame.startswith(("Re:", "[", "Ref")) or rng.random() < 0.25:
            return f"{mention} {text}"
        return self._join(text, mention)

    def with_contact(self, rng, text: str, frames: list[str]) -> str:
        """Append personal contact details (fictional, on reserved domains and numbers)."""
        i, frame = _pick(rng, self.res.contacts)
        frames.append(f"contact:{i}")
        _, name = _pick(rng, self.res.names)
        first = re.sub(r"[^a-z]", "", name.lower()) or "customer"
        email = f"{first}{int(rng.integers(1, 99))}@example.com" if rng.random() < 0.6 else f"{first}.k@example.org"
        phone = f"+44 7700 900{int(rng.integers(0, 1000)):03d}" if rng.random() < 0.5 else \
            f"06 {int(rng.integers(10, 99))} {int(rng.integers(10, 99))} {int(rng.integers(10, 99))} 00"
        detail = frame.replace("{email}", email).replace("{phone}", phone).replace("{name}", name)
        return self._join(text, detail)

    def with_greeting(self, rng, text: str, lang: str, frames: list[str]) -> str:
        i, greet = _pick(rng, self.res.greetings[lang])
        frames.append(f"greeting:{lang}:{i}")
        sep = " " if greet.endswith((",", ".", ":", "!")) else rng.choice([" ", ", ", "! ", " - "])
        return f"{greet}{sep}{text}"

    def with_signoff(self, rng, text: str, lang: str, frames: list[str]) -> str:
        i, sign = _pick(rng, self.res.signoffs[lang])
        frames.append(f"signoff:{lang}:{i}")
        sign = sign.replace("{name}", _pick(rng, self.res.names)[1])
        return self._join(text, sign)

    # ---------- surface noise ------------------------------------------------------------
    def abbreviate(self, rng, text: str) -> str:
        """Apply chat abbreviations (please -> pls) to some matching words."""
        for pattern, outs in self.res.abbreviations:
            if pattern.search(text) and rng.random() < 0.6:
                text = pattern.sub(outs[int(rng.integers(len(outs)))], text, count=1)
        return text

    def misspell(self, rng, text: str) -> str:
        """Swap in common misspellings (received -> recieved) for some matching words."""
        for pattern, outs in self.res.misspellings:
            if pattern.search(text) and rng.random() < P_MISSPELL:
                text = pattern.sub(outs[int(rng.integers(len(outs)))], text, count=1)
        return text

    @staticmethod
    def keyboard_slips(rng, text: str, rate: float) -> str:
        """Swap, drop, double or mistype letters in some longer words."""
        words = text.split(" ")
        for k, w in enumerate(words):
            if len(w) < 5 or not w.isalpha() or rng.random() >= rate:
                continue
            pos = int(rng.integers(1, len(w) - 1))
            op = rng.random()
            if op < 0.35:
                w = w[:pos] + w[pos + 1] + w[pos] + w[pos + 2:]
            elif op < 0.6:
                w = w[:pos] + w[pos + 1:]
            elif op < 0.8:
                w = w[:pos] + w[pos] + w[pos:]
            else:
                near = _KEYBOARD_NEIGHBOURS.get(w[pos].lower())
                if near:
                    w = w[:pos] + near[int(rng.integers(len(near)))] + w[pos + 1:]
            words[k] = w
        return " ".join(words)

    @staticmethod
    def casing(rng, text: str, p_lower: float, p_notrail: float, emphasis: bool = True) -> str:
        """Lowercase, shout, or drop the final full stop the way people type on phones."""
        r = rng.random()
        if r < P_SHOUT:
            text = text.upper()
        elif r < P_SHOUT + p_lower:
            text = text.lower()
        if rng.random() < p_notrail and text.endswith("."):
            text = text[:-1]
        elif rng.random() < 0.04 and emphasis:
            text = text.rstrip(".!?") + rng.choice(["??", "!!", "!!!", "...", " ?", "?!"])
        return text

    # ---------- the whole message --------------------------------------------------------
    def render(
        self,
        rng: np.random.Generator,
        *,
        utterance: str,
        lang: str,
        channel: str,
        when: datetime,
        second: str | None = None,
        negated_intent: str | None = None,
        force_decoration: int = 0,
    ) -> Message:
        """Render one message. ``force_decoration`` > 0 adds decorations (used to avoid duplicates)."""
        p_greet, p_sign, p_ramble, p_abbrev, p_lower, p_notrail, p_order, p_contact = STYLE[channel]
        if force_decoration:
            p_greet, p_sign, p_order = max(p_greet, 0.6), max(p_sign, 0.5), max(p_order, 0.4)
        frames: list[str] = []
        text = self.fill(rng, utterance, lang, when)
        if second is not None:
            text = self.with_second_request(rng, text, self.fill(rng, second, lang, when), lang, frames)
        if negated_intent is not None and lang == "en":
            text = self.with_negation(rng, text, negated_intent, frames)
        if rng.random() < p_ramble:
            text = self.with_ramble(rng, text, lang, frames)
        if "{order}" not in utterance and rng.random() < p_order:
            text = self.with_order_mention(rng, text, lang, frames)
        if lang == "en" and rng.random() < p_contact:
            text = self.with_contact(rng, text, frames)
        if rng.random() < p_greet and not _opens_with_greeting(utterance):
            text = self.with_greeting(rng, text, lang, frames)
        signed = False
        if rng.random() < p_sign and not _closes_with_thanks(text):
            text = self.with_signoff(rng, text, lang, frames)
            signed = True
        if lang == "en" and rng.random() < p_abbrev:
            text = self.abbreviate(rng, text)
        if rng.random() < P_TYPO_MESSAGE:
            if lang == "en":
                text = self.misspell(rng, text)
            text = self.keyboard_slips(rng, text, rate=float(rng.choice([0.03, 0.06, 0.12])))
        text = self.casing(rng, text, p_lower, p_notrail, emphasis=not signed)
        text = " ".join(text.split())
        return Message(text, frames)
