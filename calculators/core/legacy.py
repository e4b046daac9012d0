"""TEMPORARY, for the conversion to quantities only (deleted once every catalog module returns Q): the old
`Value(number, typed working)` and `n()`, which evaluate() still accepts meanwhile."""

from __future__ import annotations

from dataclasses import dataclass

from .fmt import fmt_plain


@dataclass(frozen=True)
class Value:
    value: float
    shown: str = ""


def n(x: float) -> str:
    return fmt_plain(x)
