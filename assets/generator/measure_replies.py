"""Measure the Part II properties (articles, retrieval, drafts, labels, judges) for the datasheet and tests."""
from __future__ import annotations

def measure_part2(tables, rp, versions) -> dict[str, object]:
    return {}
