"""Field values as text, and the checks every page function applies to what a page sends.

A value travels as text: in a form field (field_text), in an address or a command line (value_text, exact and
plain). Anything quoted back to a reader from an address or a page is cleaned first (shown, clean_label).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..core import Calculator, InputError

# Characters of query string read at all; a longer address is ignored whole. Servers refuse much longer request
# lines anyway (often at 8 or 64 KB); a config.json, the longest thing an address carries, takes about 2,000.
MAX_SEARCH = 32_000
MAX_PARAMS = 500  # parameters in one query string
MAX_VALUE = 200  # characters of a number or a choice
MAX_JSON = 30_000  # characters of a config.json carried in an address
MAX_KEY = 100
MAX_SCENARIOS = 8
MAX_LABEL = 60
SHOWN = 40  # characters of a rejected key or value quoted back in a notice
SAFE = ",:"  # left unescaped in addresses (besides letters, digits and _.-~), for readable JSON
CONFIG_FILE = "your-config.json"  # the file name the CLI command uses for a config.json input

# What an address's key or value may not hold (it is refused, and the notice says why) ...
MARKUP = re.compile(r"[<>\"'`]|javascript:|data:|vbscript:|&#|\bon\w+\s*=", re.I)
# ... and the characters dropped from any text quoted back to a reader (controls, direction overrides).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# --------------------------------------------------------------------------------------------------------------------
# Text helpers


def field_text(inp, v) -> str:
    """An input's value as a form field shows it: the build renders the fields with it (page/form.py), and a
    permalink or a scenario fills them with it, so Python reads every field back to the same value."""
    if inp.type == "json":
        return json.dumps(v, indent=2, ensure_ascii=False)
    if inp.type == "choice":
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return f"{int(v):,}"
    return repr(float(v))


def plain_number(x: float | int) -> str:
    """A number as exact, separator-free text: what an address or a command line carries (reads back equal)."""
    if isinstance(x, int):
        return str(x)
    if x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))


def value_text(inp, v) -> str:
    """An input's value for an address or a command line: numbers exact and plain, JSON compact."""
    if inp.type in ("float", "int"):
        return plain_number(v)
    if inp.type == "json":
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return str(v)


def shown(text: Any) -> str:
    """Untrusted text quoted back to a reader: control and direction characters dropped, shortened."""
    s = CONTROL.sub("", str(text))
    if len(s) > SHOWN:
        s = s[: SHOWN - 1] + "…"
    return f"“{s}”"


def clean_label(text: Any) -> str:
    """A scenario's label as typed by a reader: one line of plain text, at most MAX_LABEL characters."""
    if not isinstance(text, str):
        return ""
    s = " ".join(CONTROL.sub(" ", text).split())
    return s[:MAX_LABEL]


# --------------------------------------------------------------------------------------------------------------------
# What a page sends


def preset_names(calc: Calculator) -> list[str]:
    return [p.name for p in calc.presets]


def strings(d: Any) -> dict[str, Any]:
    """A mapping from the page (field name -> text), kept only if it is one."""
    if not isinstance(d, Mapping):
        return {}
    return {k: v for k, v in d.items() if isinstance(k, str)}


def built_values(calc: Calculator, built: Any, built_preset: Any) -> dict[str, Any]:
    """The values the form was built with (its fields' initial texts), validated; else the declared ones."""
    names = {i.name for i in calc.inputs}
    raw = {k: v for k, v in strings(built).items() if k in names}
    preset = built_preset if built_preset in preset_names(calc) else None
    values, errors = calc.validate_all(raw, preset)
    return calc.validate({}, preset) if errors else values


def option_for(calc: Calculator, values: Mapping[str, Any], prefer: str | None = None) -> str:
    """The preset picker's option matching these values: a preset's name, "" for the defaults, else "custom"."""
    if not calc.presets:
        return ""
    if prefer and calc.validate({}, prefer) == values:
        return prefer
    if calc.validate({}) == values:
        return ""
    for p in calc.presets:
        if calc.validate({}, p.name) == values:
            return p.name
    return "custom"


def matching_preset(calc: Calculator, values: Mapping, preset: Any) -> str | None:
    """`preset`, if it names one of the calculator's presets and these are exactly its values; else None."""
    if preset in preset_names(calc) and calc.validate({}, preset) == values:
        return preset
    return None


def page_inputs(calc: Calculator, inputs: Any) -> tuple[dict, list[InputError]]:
    """A form's fields as the page sends them (field name -> text), validated: (values, every error)."""
    if not isinstance(inputs, Mapping):
        return {}, [InputError("inputs", "not a set of field values")]
    return calc.validate_all(strings(inputs))
