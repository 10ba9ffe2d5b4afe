"""Claim status category and claim status codes (X12 lists 507 and 508) in words, read
from the shipped ``data/claim_status_codes.csv``. Pure Python: no database."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "claim_status_codes.csv"


@lru_cache(maxsize=1)
def load() -> tuple[dict[str, str], dict[str, str]]:
    """(category code -> description, status code -> description)."""
    categories: dict[str, str] = {}
    statuses: dict[str, str] = {}
    with open(DATA_FILE, newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            target = categories if row["list"] == "category" else statuses
            target[row["code"].strip().upper()] = row["description"].strip()
    return categories, statuses


def category_text(code: str) -> str:
    return load()[0].get((code or "").strip().upper(), "")


def status_text(code: str) -> str:
    return load()[1].get((code or "").strip().upper(), "")


def describe(category: str, status: str = "") -> str:
    """The category and status codes in words, e.g. ``describe("A7", "562")`` ->
    "A7 Acknowledgement/Rejected for Invalid Information: ... — 562 Entity's National
    Provider Identifier (NPI)." Unknown codes are named as such, never dropped."""
    parts = []
    if category:
        parts.append(f"{category} {category_text(category) or '(unknown category)'}")
    if status:
        parts.append(f"{status} {status_text(status) or '(unknown status code)'}")
    return " — ".join(parts)


def describe_composite(text: str) -> str:
    """An STC composite as stored ("A7:562:85") in words, the entity code kept as is."""
    category, status, entity = ([*text.split(":"), "", ""])[:3]
    words = describe(category, status)
    return f"{words} (entity {entity})" if entity else words
