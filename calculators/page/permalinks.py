"""Permalinks: a form's state in the page's address, read back without trusting it.

A form's state lives in the address's query string, one parameter per input that differs from the value the page
was built with, keyed by the form (its id without "calc-"), plus the preset when one was chosen:

    /calculators/training-cost/?training-cost.mfu=0.4&training-cost.gpu=h100&kv-cache.preset=llama-3.1-405b

The query string, not the fragment: Material's navigation.tracking rewrites the fragment to the heading in view as
the reader scrolls, so state kept there would be lost; it keeps the query string. Reading a link never trusts it:
unknown keys, non-numbers, out-of-range values, invalid choices, markup, over-long values and combinations the
calculator refuses are all left out, and the notice returned names each one and says why. Nothing read from the
address is ever returned as anything but a field's value or a notice's text, which the page sets as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote

from .. import all as all_calculators
from .. import get
from ..core import Calculator, InputError, fmt_plain, validate_one
from .errors import error_list
from .fields import (
    CONTROL,
    MARKUP,
    MAX_JSON,
    MAX_KEY,
    MAX_PARAMS,
    MAX_SEARCH,
    MAX_VALUE,
    SAFE,
    built_values,
    field_text,
    option_for,
    page_inputs,
    preset_names,
    shown,
    value_text,
)

# --------------------------------------------------------------------------------------------------------------------
# Addresses


def _scope(form_id: Any) -> str:
    if not isinstance(form_id, str) or not re.fullmatch(r"calc-[a-z0-9-]{1,80}", form_id):
        raise InputError("form", "not a calculator form's id")
    return form_id[len("calc-") :]


def _calc_scope(head: str) -> bool:
    """Whether an address parameter's prefix names a calculator form (NAME or NAME-2, ...)."""
    m = re.fullmatch(r"(.+?)(?:-\d+)?", head)
    return bool(m) and (head in all_calculators() or m.group(1) in all_calculators())


def _parse(search: Any) -> list[tuple[str, str]]:
    if not isinstance(search, str):
        return []
    text = search[1:] if search.startswith("?") else search
    if not text:
        return []
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_PARAMS)
    except ValueError:
        return []


def _encode(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return ""
    return "?" + "&".join(f"{quote(k, safe=SAFE)}={quote(v, safe=SAFE)}" for k, v in pairs)


# --------------------------------------------------------------------------------------------------------------------
# Reading and writing a form's parameters


def _read_value(calc: Calculator, key: str, value: str):
    """(input name, validated value) for one of this form's address parameters; InputError says why not."""
    if len(key) > MAX_KEY or MARKUP.search(key) or CONTROL.search(key):
        raise InputError(key, "is not the name of one of this form's inputs")
    if key == "preset":
        names = preset_names(calc)
        if value not in names:
            raise InputError(key, ("must be one of " + ", ".join(names)) if names else f"{calc.name} has no presets")
        return key, value
    try:
        inp = calc.input(key)
    except InputError:
        raise InputError(key, f"is not an input of this calculator ({calc.name})") from None
    if inp.type == "json":
        if len(value) > MAX_JSON:
            raise InputError(key, f"is longer than {fmt_plain(MAX_JSON)} characters")
    else:
        if len(value) > MAX_VALUE:
            raise InputError(key, f"is longer than {fmt_plain(MAX_VALUE)} characters")
        if MARKUP.search(value) or CONTROL.search(value):
            raise InputError(key, "looks like markup or a script, not a value")
    return key, validate_one(inp, value)


def read_permalink(
    name: str,
    form_id: str,
    search: str,
    form_ids: list | None = None,
    built: Mapping | None = None,
    built_preset: str | None = None,
) -> dict:
    """What a page's address says one form should show.

    search: the address's query string ("?a=b&..."); form_ids: the ids of every calculator form on the page (the
    first form also reports parameters meant for a calculator form the page does not have); built / built_preset:
    the form's fields as the page was built (field name -> text) and its preset picker's initial value.

    Returns {"ok", "changed", "values": {field: text} (every field, when changed), "preset": picker option,
    "applied": [keys], "ignored": [{"key", "reason"}], "notice": text naming each ignored key and why}.
    """
    calc = get(name)
    scope = _scope(form_id)
    page = [f for f in (form_ids if isinstance(form_ids, list) else []) if isinstance(f, str)]
    scopes = {_scope(f) for f in page if re.fullmatch(r"calc-[a-z0-9-]{1,80}", f)} | {scope}
    first = not page or page[0] == form_id
    out = {"ok": True, "changed": False, "values": {}, "preset": None, "applied": [], "ignored": [], "notice": ""}
    ignored: list[tuple[str, str]] = []

    if isinstance(search, str) and len(search) > MAX_SEARCH:
        ignored.append(
            (
                "the address",
                f"its query string is {fmt_plain(len(search))} characters long, more than "
                f"{fmt_plain(MAX_SEARCH)}; nothing was read from it",
            )
        )
        pairs = []
    else:
        pairs = _parse(search)
    mine: dict[str, list[str]] = {}
    for key, value in pairs:
        head, dot, rest = key.partition(".")
        if dot and head == scope:
            mine.setdefault(rest, []).append(value)
        elif dot and first and head not in scopes and _calc_scope(head):
            ignored.append((key, f"this page has no calculator form “{head}”"))

    accepted: dict[str, Any] = {}
    preset = None
    for key, values in mine.items():
        full = f"{scope}.{key}"
        if len(values) > 1:
            ignored.append((full, "it is given more than once"))
            continue
        try:
            k, v = _read_value(calc, key, values[0])
        except InputError as e:
            ignored.append((full, e.message))
            continue
        if k == "preset":
            preset = v
        else:
            accepted[k] = v

    base = calc.validate({}, preset) if preset else built_values(calc, built, built_preset)
    # The values must also work together (and with the preset): drop the ones the calculator refuses.
    for _ in range(len(accepted) + 1):
        values = {**base, **accepted}
        try:
            calc.evaluate(calc.validate(values))
            break
        except InputError as e:
            if e.field in accepted:
                ignored.append((f"{scope}.{e.field}", e.message))
                del accepted[e.field]
            else:
                for k in list(accepted):
                    ignored.append((f"{scope}.{k}", f"with the other values, {e.field} {e.message}"))
                accepted.clear()
                if preset:
                    ignored.append((f"{scope}.preset", "its values are refused together with the others"))
                    preset = None
                    base = built_values(calc, built, built_preset)
                break
    values = {**base, **accepted}

    if accepted or preset:
        out["changed"] = True
        out["values"] = {i.name: field_text(i, values[i.name]) for i in calc.inputs}
        out["preset"] = option_for(calc, values, prefer=preset)
        out["applied"] = ([f"{scope}.preset"] if preset else []) + [f"{scope}.{k}" for k in accepted]
    out["ignored"] = [{"key": k, "reason": r} for k, r in ignored]
    if ignored:
        out["notice"] = (
            "Left out from the link: "
            + "; ".join(f"{shown(k)}: {r}" for k, r in ignored)
            + ". The other values are as the page was built."
        )
    return out


def write_permalink(
    name: str,
    form_id: str,
    search: str,
    form_ids: list | None,
    inputs: Mapping,
    preset: str | None,
    built: Mapping | None = None,
    built_preset: str | None = None,
) -> dict:
    """The query string for the page's address once this form shows `inputs` (with the picker on `preset`).

    This form's parameters are replaced by the values that differ from the form as built (or from the chosen
    preset, named once); other forms' parameters and foreign ones are kept, stale calculator parameters dropped.
    Returns {"ok", "search": "" or "?..."}; with invalid inputs, {"ok": false, "search": search} (unchanged).
    """
    calc = get(name)
    scope = _scope(form_id)
    page = [
        _scope(f)
        for f in (form_ids if isinstance(form_ids, list) else [])
        if isinstance(f, str) and re.fullmatch(r"calc-[a-z0-9-]{1,80}", f)
    ]
    if scope not in page:
        page.append(scope)
    current, errors = page_inputs(calc, inputs)
    if errors:
        return {"ok": False, "search": search if isinstance(search, str) else "", "errors": error_list(errors)}
    pairs = [] if not isinstance(search, str) or len(search) > MAX_SEARCH else _parse(search)
    foreign: list[tuple[str, str]] = []
    by_scope: dict[str, list[tuple[str, str]]] = {s: [] for s in page}
    for key, value in pairs:
        head, dot, _ = key.partition(".")
        if dot and head in by_scope:
            if head != scope:
                by_scope[head].append((key, value))
        elif not (dot and _calc_scope(head)):
            foreign.append((key, value))
    mine: list[tuple[str, str]] = []
    if preset in preset_names(calc) and preset != built_preset:
        base = calc.validate({}, preset)
        mine.append((f"{scope}.preset", preset))
    else:
        base = built_values(calc, built, built_preset)
    for i in calc.inputs:
        if current[i.name] != base[i.name]:
            mine.append((f"{scope}.{i.name}", value_text(i, current[i.name])))
    by_scope[scope] = mine
    return {"ok": True, "search": _encode(foreign + [p for s in page for p in by_scope[s]])}
