"""Declarations, validation and formatting shared by every calculator.

A calculator is a pure function plus a declaration of its inputs and outputs. The CLI, the web form, the numbers
pre-rendered into the static site and the live widget are all generated from that one declaration, so this module
holds no arithmetic about the subject itself: only the types, the input checks and the unit-aware formatting.

Standard library only; runs unchanged on CPython 3.11+ and in Pyodide.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")

# Numbers are kept within this magnitude so that no arithmetic on a valid input overflows to inf.
HUGE = 1e30


class InputError(ValueError):
    """Bad input: names the field and says what is allowed. Shown as one line, never a traceback."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --------------------------------------------------------------------------------------------------------------------
# Sources


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


# --------------------------------------------------------------------------------------------------------------------
# Declarations

INPUT_TYPES = ("float", "int", "choice", "json")


@dataclass(frozen=True)
class Input:
    """One input of a calculator.

    name: snake_case; the CLI flag is the kebab-case form (--gpu-hours), the form field's name is this name.
    type: "float" | "int" | "choice" (one of `choices`) | "json" (a config.json object).
    min/max: inclusive bounds for numbers; every default must lie inside them.
    source: where the default comes from.
    """

    name: str
    label: str
    unit: str
    default: Any
    source: Source
    type: str = "float"
    min: float | None = None
    max: float | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) pairs for type "choice"
    help: str = ""
    step: float | None = None  # a hint for the web form's spinner; not a constraint
    range: tuple[float, float] | None = None  # sourced uncertainty (low, high) around the default, for ranges.py

    def __post_init__(self):
        if self.type not in INPUT_TYPES:
            raise ValueError(f"{self.name}: unknown input type {self.type!r}")
        if self.type in ("float", "int") and (self.min is None or self.max is None):
            raise ValueError(f"{self.name}: numeric inputs need min and max")
        if self.range is not None and not (self.min <= self.range[0] <= self.default <= self.range[1] <= self.max):
            raise ValueError(f"{self.name}: range must satisfy min <= low <= default <= high <= max")

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def allowed(self) -> str:
        """The allowed values, as the error messages and the form's hints show them."""
        if self.type in ("float", "int"):
            kind = "a whole number" if self.type == "int" else "a number"
            unit = f" {self.unit}" if self.unit and self.unit not in ("ratio", "fraction", "count") else ""
            return f"{kind} from {fmt_plain(self.min)} to {fmt_plain(self.max)}{unit}"
        if self.type == "choice":
            return "one of " + ", ".join(v for v, _ in self.choices)
        return "a JSON object (a Hugging Face config.json)"

    def to_json(self) -> dict:
        d = {
            "name": self.name,
            "flag": self.flag,
            "label": self.label,
            "type": self.type,
            "unit": self.unit,
            "default": self.default,
            "min": self.min,
            "max": self.max,
            "source": self.source.to_json(),
            "help": self.help,
            "allowed": self.allowed(),
        }
        if self.choices:
            d["choices"] = [{"value": v, "label": lab} for v, lab in self.choices]
        if self.step is not None:
            d["step"] = self.step
        if self.range is not None:
            d["range"] = list(self.range)
        return d


@dataclass(frozen=True)
class Output:
    """One output: name (snake_case, the key in --json), label, unit (base unit of the raw number), formula."""

    name: str
    label: str
    unit: str
    formula: str = ""
    help: str = ""

    def to_json(self) -> dict:
        return {"name": self.name, "label": self.label, "unit": self.unit, "formula": self.formula, "help": self.help}


@dataclass(frozen=True)
class Preset:
    """A named set of input values (e.g. DeepSeek-V3 as published), with its source."""

    name: str
    label: str
    values: Mapping[str, Any]
    source: Source

    def to_json(self) -> dict:
        return {"name": self.name, "label": self.label, "values": dict(self.values), "source": self.source.to_json()}


@dataclass(frozen=True)
class Chart:
    """A chart a page draws next to the form, from data Python computes (calculators/charts.py).

    kind: "tornado" (sensitivity of `output` to the declared input ranges), "waterfall" (the outputs in `series`,
    as steps), "sweep" (`output` as `over` varies from its min to max).
    """

    kind: str
    title: str
    output: str = ""
    over: str = ""
    series: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "output": self.output,
            "over": self.over,
            "series": list(self.series),
        }


@dataclass(frozen=True)
class Value:
    """What a calculator function returns for one output: the number and its formula with values substituted."""

    value: float
    shown: str = ""


@dataclass(frozen=True)
class Calculator:
    """A calculator: `function(**validated_inputs) -> {output_name: Value | number}` plus its declaration."""

    name: str  # kebab-case, the CLI subcommand
    title: str
    summary: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    function: Callable[..., Mapping[str, Any]]
    presets: tuple[Preset, ...] = ()
    # Optional: map a Hugging Face config.json to this calculator's inputs (used by --config for non-json calculators).
    from_config: Callable[[Mapping], dict] | None = None
    notes: str = ""  # conventions worth stating next to the outputs (shown in the CLI help and on the page)
    headline: str = ""  # the output a page or a sensitivity ranking leads with (default: the first output)
    charts: tuple[Chart, ...] = ()

    def __post_init__(self):
        names = [i.name for i in self.inputs]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate input names")
        for i in self.inputs:
            validate_one(i, i.default)  # every default is valid, by construction
        for p in self.presets:
            for k, v in p.values.items():
                validate_one(self.input(k), v)
        if not self.headline:
            object.__setattr__(self, "headline", self.outputs[0].name)
        self.output(self.headline)
        for c in self.charts:
            for name in (c.output, *c.series):
                if name:
                    self.output(name)
            if c.over and self.input(c.over).type not in ("float", "int"):
                raise ValueError(f"{self.name}: chart over {c.over!r} must be a numeric input")

    def input(self, name: str) -> Input:
        for i in self.inputs:
            if i.name == name:
                return i
        raise InputError(name, f"{self.name} has no input named {name!r}")

    def output(self, name: str) -> Output:
        for o in self.outputs:
            if o.name == name:
                return o
        raise KeyError(name)

    def preset(self, name: str) -> Preset:
        for p in self.presets:
            if p.name == name:
                return p
        raise InputError(
            "preset",
            "one of " + ", ".join(p.name for p in self.presets) if self.presets else f"{self.name} has no presets",
        )

    def defaults(self) -> dict[str, Any]:
        return {i.name: i.default for i in self.inputs}

    def numeric_inputs(self) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.type in ("float", "int"))

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "notes": self.notes,
            "inputs": [i.to_json() for i in self.inputs],
            "outputs": [o.to_json() for o in self.outputs],
            "presets": [p.to_json() for p in self.presets],
            "headline": self.headline,
            "charts": [c.to_json() for c in self.charts],
            "accepts_config": self.from_config is not None or any(i.type == "json" for i in self.inputs),
        }

    # ----------------------------------------------------------------------------------------------------------------
    def validate(self, raw: Mapping[str, Any] | None = None, preset: str | None = None) -> dict[str, Any]:
        """Defaults, then the preset's values, then `raw` (strings from a CLI or a form, or numbers); all checked."""
        values = self.defaults()
        if preset:
            values.update(self.preset(preset).values)
        for k, v in (raw or {}).items():
            values[self.input(k).name] = v
        return {i.name: validate_one(i, values[i.name]) for i in self.inputs}

    def validate_all(self, raw: Mapping[str, Any], preset: str | None = None) -> tuple[dict, list[InputError]]:
        """Like validate, but checks every field and returns all the errors (a form shows each at its field)."""
        values = self.defaults()
        if preset:
            values.update(self.preset(preset).values)
        errors: list[InputError] = []
        for k, v in raw.items():
            try:
                values[self.input(k).name] = v
            except InputError as e:
                errors.append(e)
        checked = {}
        for i in self.inputs:
            try:
                checked[i.name] = validate_one(i, values[i.name])
            except InputError as e:
                errors.append(e)
        return checked, errors

    def evaluate(self, values: Mapping[str, Any]) -> dict[str, Value]:
        """Run the function on already-validated values; every output must come back finite."""
        result = self.function(**values)
        out: dict[str, Value] = {}
        for o in self.outputs:
            if o.name not in result:
                raise RuntimeError(f"{self.name} did not return output {o.name!r}")
            r = result[o.name]
            v = r if isinstance(r, Value) else Value(r)
            if isinstance(v.value, bool) or not isinstance(v.value, (int, float)) or not math.isfinite(v.value):
                raise InputError(
                    o.name,
                    f"this combination of inputs gives no finite {o.label.lower()}; "
                    "check the inputs against their allowed ranges",
                )
            out[o.name] = v
        return out

    def run(self, raw: Mapping[str, Any] | None = None, preset: str | None = None) -> dict[str, float]:
        """Validate, compute, and return {output_name: number in base units}: the `--json` payload."""
        return {k: v.value for k, v in self.evaluate(self.validate(raw, preset)).items()}


# --------------------------------------------------------------------------------------------------------------------
# Validation


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


# --------------------------------------------------------------------------------------------------------------------
# Formatting: the only place numbers become text, on the CLI, in the static HTML and in the live widget alike.


def fmt_plain(x: float) -> str:
    """A number as a person types it: 2788000 -> '2,788,000'; 0.35 -> '0.35'; 3.29e24 -> '3.29e24'."""
    if x is None:
        return "none"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    if abs(x) >= 1e15 or (0 < abs(x) < 1e-4):
        m, e = f"{x:.3e}".split("e")
        return f"{m.rstrip('0').rstrip('.')}e{int(e)}"
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _sig(x: float, digits: int = 4) -> str:
    s = f"{x:,.{digits}g}"
    if "e" in s:  # very small numbers: keep the plain form
        return fmt_plain(x)
    return s


_SI = ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
_COUNT = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def _scaled(x: float, scales, digits: int = 4) -> tuple[str, str]:
    for factor, prefix in scales:
        if abs(x) >= factor:
            return _sig(x / factor, digits), prefix
    return _sig(x, digits), ""


def fmt(x: float, unit: str) -> str:
    """Format a raw number in base units for people, keeping the unit explicit."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if unit == "USD":
        if abs(x) >= 1e9:
            return f"${x / 1e9:,.3g} billion"
        if abs(x) >= 1e6:
            return f"${x / 1e6:,.4g} million" if abs(x) < 1e8 else f"${x / 1e6:,.0f} million"
        return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"
    if unit in ("USD/GPU-hour", "USD per GPU-hour"):
        return f"${x:,.2f} per GPU-hour"
    if unit in ("USD/M tokens", "USD per million tokens"):
        return f"${x:,.3g} per million tokens" if x < 100 else f"${x:,.0f} per million tokens"
    if unit == "fraction":
        return f"{x * 100:.3g}%"
    if unit == "ratio":
        return f"{x:,.0f}×" if abs(x) >= 1000 else f"{x:,.3g}×"
    if unit == "bytes":
        if abs(x) < 1e3:
            return f"{fmt_plain(x)} B"
        if abs(x) < 1e7:  # exact bytes are worth showing up to megabytes: 70,272 B (68.62 KiB)
            return f"{fmt_plain(round(x))} B ({_binary(x)})"
        s, p = _scaled(x, _SI)
        return f"{s} {p}B ({_binary(x)})"
    if unit == "FLOP":
        m, e = f"{x:.3e}".split("e")
        return f"{m}e{int(e)} FLOP" if abs(x) >= 1e6 else f"{fmt_plain(x)} FLOP"
    if unit == "FLOP/s":
        s, p = _scaled(x, _SI)
        return f"{s} {p}FLOP/s"
    if unit in ("parameters", "params"):
        s, p = _scaled(x, _COUNT)
        return f"{s}{p} parameters" if p else f"{s} parameters"
    if unit == "tokens":
        s, p = _scaled(x, _COUNT)
        return f"{s}{p} tokens" if p else f"{s} tokens"
    if unit == "GPU-hours":
        return f"{fmt_plain(round(x)) if abs(x) >= 100 else _sig(x)} GPU-hours"
    if unit in ("hours", "days", "GPUs", "seconds", "steps", "nodes", "years"):
        shown = _sig(x) if not float(x).is_integer() else fmt_plain(x)
        return f"{shown} {unit[:-1] if shown == '1' else unit}"
    if unit:
        return f"{_sig(x)} {unit}"
    return _sig(x)


def _binary(x: float) -> str:
    for factor, prefix in ((2**50, "Pi"), (2**40, "Ti"), (2**30, "Gi"), (2**20, "Mi"), (2**10, "Ki")):
        if abs(x) >= factor:
            return f"{_sig(x / factor)} {prefix}B"
    return f"{fmt_plain(x)} B"


def n(x: float) -> str:
    """Shorthand used inside substituted formulas."""
    return fmt_plain(x)


@dataclass
class Registry:
    calculators: dict[str, Calculator] = field(default_factory=dict)

    def add(self, calc: Calculator) -> Calculator:
        if calc.name in self.calculators:
            raise ValueError(f"duplicate calculator {calc.name}")
        self.calculators[calc.name] = calc
        return calc
