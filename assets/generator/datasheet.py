"""Render ``assets/data/DATASHEET.md`` from ``datasheet_template.md`` and measured values.

The template uses ``$name`` placeholders (``string.Template``); every placeholder must have a
measured value, so a number in the datasheet can never be typed by hand or go stale.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).resolve().parent / "datasheet_template.md"


def render(facts: dict[str, object]) -> str:
    """Fill the template; raises KeyError if the template names a value that was not measured."""
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute({k: str(v) for k, v in facts.items()})
    return text.rstrip("\n") + "\n"
