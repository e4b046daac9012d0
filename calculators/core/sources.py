"""Sources: the bibliography (data/sources*.json) and the exact place a number comes from.

Every default value, preset and fact carries a Source: a bibliography id plus the table, section or page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def load_json(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return json.load(f)


_SOURCES: dict[str, dict] | None = None


def sources() -> dict[str, dict]:
    """The bibliography: source id -> {title, authors, year, url, kind}, from data/sources*.json.

    data/sources.json holds the shared entries; a module may keep its own in data/sources-MODULE.json.
    """
    global _SOURCES
    if _SOURCES is None:
        merged: dict[str, dict] = {}
        for path in sorted(DATA_DIR.glob("sources*.json")):
            for k, v in load_json(path.name).items():
                if k.startswith("_"):
                    continue
                if k in merged and merged[k] != v:
                    raise ValueError(f"source id {k!r} is defined twice with different contents ({path.name})")
                merged[k] = v
        _SOURCES = merged
    return _SOURCES


@dataclass(frozen=True)
class Source:
    """Where a number comes from: a bibliography id plus the exact place (table, section, page)."""

    id: str
    where: str
    note: str = ""

    def __post_init__(self):
        if self.id not in sources():
            raise KeyError(f"unknown source id {self.id!r}; add it to calculators/data/sources.json")

    @property
    def title(self) -> str:
        return sources()[self.id]["title"]

    @property
    def url(self) -> str:
        return sources()[self.id]["url"]

    def cite(self) -> str:
        return f"{self.title}, {self.where}"

    def to_json(self) -> dict:
        d = {"id": self.id, "title": self.title, "where": self.where, "url": self.url}
        if self.note:
            d["note"] = self.note
        return d


def src(ref: str | Mapping | Source) -> Source:
    """Build a Source from 'id: where' or {"id":…, "where":…} (the form used in the JSON data files)."""
    if isinstance(ref, Source):
        return ref
    if isinstance(ref, str):
        sid, _, where = ref.partition(":")
        return Source(sid.strip(), where.strip())
    return Source(ref["id"], ref.get("where", ""), ref.get("note", ""))


@dataclass(frozen=True)
class Fact:
    """A published number with its source: what an Input's default, a preset's value or a derivation starts from."""

    value: float | int
    source: Source
    unit: str = ""
    key: str = ""  # e.g. "deepseek-v3.active_params", its place in data/facts.json
    range: tuple[float, float] | None = None  # a sourced uncertainty range (low, high)
    estimate: bool = False  # a third party's estimate, not a figure the developer published
    verified: bool = True  # False: this site could not read it in its source (used by no output)
    range_source: Source | None = None  # where the range comes from (None: the fact's own source says)
