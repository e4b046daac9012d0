"""Validation: every value from a command line, a form, an address or a preset is checked here, field by field.

Bad input raises InputError naming the field and saying what is allowed: one line, never a traceback.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from .fmt import fmt_plain

if TYPE_CHECKING:
    from .declare import Input

# Numbers are kept within this magnitude so that no arithmetic on a valid input overflows to inf.
HUGE = 1e30


class InputError(ValueError):
    """Bad input: names the field and says what is allowed. Shown as one line, never a traceback."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_number(inp: Input, raw: Any) -> float | int:
    if isinstance(raw, bool):
        raise InputError(inp.name, f"must be {inp.allowed()} (got {raw!r})")
    if isinstance(raw, (int, float)):
        x = raw
    else:
        text = str(raw).strip().replace(",", "").replace("_", "")
        if not text:
            raise InputError(inp.name, f"is empty; enter {inp.allowed()}")
        try:
            x = int(text) if inp.type == "int" and text.lstrip("+-").isdigit() else float(text)
        except (ValueError, OverflowError):
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise InputError(inp.name, f"must be {inp.allowed()} (got {shown!r})") from None
    if isinstance(x, float) and not math.isfinite(x):
        raise InputError(inp.name, f"must be {inp.allowed()} (got {x!r})")
    if abs(x) > HUGE:
        raise InputError(inp.name, f"must be {inp.allowed()} (got a number too large to use)")
    if inp.type == "int":
        if x != int(x):
            raise InputError(inp.name, f"must be {inp.allowed()} (got {fmt_plain(x)})")
        x = int(x)
    if x < inp.min or x > inp.max:
        raise InputError(inp.name, f"must be {inp.allowed()} (got {fmt_plain(x)})")
    return x


def validate_one(inp: Input, raw: Any) -> Any:
    if inp.type in ("float", "int"):
        return parse_number(inp, raw)
    if inp.type == "choice":
        allowed = [v for v, _ in inp.choices]
        text = str(raw).strip() if isinstance(raw, str) else raw
        if text not in allowed:
            shown = str(raw) if len(str(raw)) <= 40 else str(raw)[:37] + "..."
            raise InputError(inp.name, f"must be {inp.allowed()} (got {shown!r})")
        return text
    # json
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError) as e:
            raise InputError(inp.name, f"is not valid JSON ({e.__class__.__name__}: {str(e)[:80]})") from None
    if not isinstance(raw, dict):
        raise InputError(inp.name, f"must be {inp.allowed()} (got {type(raw).__name__})")
    return raw
