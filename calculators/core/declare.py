"""Declarations: a calculator is a pure function plus a declaration of its inputs and outputs.

The CLI, the web form, the numbers pre-rendered into the static site and the live widget are all generated from
the one declaration. The function is written in quantity arithmetic (core/quantity.py): it receives each numeric
input as a `Q` and returns a `Q` per output, so each result's working and symbolic formula are derived from the
arithmetic that computed it. Nothing here knows about the subject itself.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .fmt import fmt_plain
from .quantity import Q
from .sources import Fact, Source
from .validate import InputError, validate_one

INPUT_TYPES = ("float", "int", "choice", "json")
NUMERIC = ("float", "int")


@dataclass(frozen=True)
class Input:
    """One input of a calculator.

    name: snake_case; the CLI flag is the kebab-case form (--gpu-hours), the form field's name is this name.
    default: a number (then `source` is required) or a Fact (its source is the default's source).
    type: "float" | "int" | "choice" (one of `choices`) | "json" (a config.json object).
    min/max: inclusive bounds for numbers; every default must lie inside them.
    symbol: how the input is written in a symbolic formula (default: the label, lower-cased).
    range: sourced uncertainty (low, high) around the default, for ranges and tornado charts; range_source says
    where it comes from. A Fact default with a range (data/facts.json) brings its range and the range's source.
    """

    name: str
    label: str
    unit: str
    default: Any
    source: Source | None = None
    type: str = "float"
    min: float | None = None
    max: float | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) pairs for type "choice"
    help: str = ""
    step: float | None = None  # a hint for the web form's spinner; not a constraint
    range: tuple[float, float] | None = None
    symbol: str = ""
    range_source: Source | None = None

    def __post_init__(self):
        if isinstance(self.default, Fact):
            f = self.default
            if self.source is None:
                object.__setattr__(self, "source", f.source)
            if f.range is not None and self.range in (None, f.range):
                object.__setattr__(self, "range", f.range)
                object.__setattr__(self, "range_source", self.range_source or f.range_source or f.source)
            object.__setattr__(self, "default", f.value)
        if self.source is None:
            raise ValueError(f"{self.name}: an input's default needs a source")
        if self.type not in INPUT_TYPES:
            raise ValueError(f"{self.name}: unknown input type {self.type!r}")
        if self.type in NUMERIC and (self.min is None or self.max is None):
            raise ValueError(f"{self.name}: numeric inputs need min and max")
        if self.range is not None and not (self.min <= self.range[0] <= self.default <= self.range[1] <= self.max):
            raise ValueError(f"{self.name}: range must satisfy min <= low <= default <= high <= max")
        if not self.symbol:
            object.__setattr__(self, "symbol", _lower_first(self.label))

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)

    def allowed(self) -> str:
        """The allowed values, as the error messages and the form's hints show them."""
        if self.numeric:
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
            "symbol": self.symbol,
        }
        if self.choices:
            d["choices"] = [{"value": v, "label": lab} for v, lab in self.choices]
        if self.step is not None:
            d["step"] = self.step
        if self.range is not None:
            d["range"] = list(self.range)
            if self.range_source is not None:
                d["range_source"] = self.range_source.to_json()
        return d


def _lower_first(label: str) -> str:
    head = label.split(" ", 1)[0]
    if len(head) > 1 and (head.isupper() or any(c.isdigit() or c.isupper() for c in head[1:])):
        return label  # an acronym or a name (MFU, H800, DeepSeek-V3)
    return label[:1].lower() + label[1:]


@dataclass(frozen=True)
class Output:
    """One output: name (snake_case, the key in --json), label, unit (base unit of the raw number), help.

    The label may name inputs in braces, e.g. "Theoretical revenue at {price_list} prices": a choice input is
    replaced by its choice's label, a number by its value, so a label never states what the inputs contradict.
    The formula is not declared: it is derived from the function (Calculator.formulas).
    """

    name: str
    label: str
    unit: str
    help: str = ""

    def fields(self) -> list[str]:
        return [f for _, f, _, _ in string.Formatter().parse(self.label) if f]

    def label_for(self, values: Mapping[str, Any], inputs: Mapping[str, Input]) -> str:
        if "{" not in self.label:
            return self.label
        shown = {}
        for name in self.fields():
            inp, v = inputs[name], values[name]
            shown[name] = inp.choice_label(v) if inp.type == "choice" else fmt_plain(v)
        return self.label.format_map(shown)

    def to_json(self, formula: str = "") -> dict:
        return {"name": self.name, "label": self.label, "unit": self.unit, "formula": formula, "help": self.help}


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
    """A chart a page draws next to the form, from data Python computes (calculators/page/charts.py).

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


class Result:
    """One output as computed: the number, its working (values substituted), its formula (symbols), its label.

    The texts are rendered from the quantity when first asked for: ranges and charts only need the numbers.
    """

    __slots__ = ("value", "label", "_q", "_working", "_formula")

    def __init__(self, value: float, q: Q | None = None, label: str = "", working: str = "", formula: str = ""):
        self.value = value
        self.label = label
        self._q = q
        self._working = working
        self._formula = formula

    @property
    def working(self) -> str:
        if self._q is not None and not self._working:
            self._working = self._q.working()
        return self._working

    @property
    def formula(self) -> str:
        if self._q is not None and not self._formula:
            self._formula = self._q.formula()
        return self._formula

    @property
    def shown(self) -> str:  # the name the page contract uses for the working
        return self.working

    def __eq__(self, other):
        if not isinstance(other, Result):
            return NotImplemented
        return (self.value, self.working, self.formula, self.label) == (
            other.value,
            other.working,
            other.formula,
            other.label,
        )

    __hash__ = None

    def __repr__(self):
        return f"Result({self.value!r}, {self.working!r})"


@dataclass(frozen=True)
class Calculator:
    """A calculator: `function(**inputs) -> {output_name: Q}` plus its declaration.

    Numeric inputs reach the function as quantities (Q.input), choices as their value strings, JSON inputs as
    dicts. Every output must come back as a Q with a finite value.
    """

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
    # The reader's layout (page/form.py): the 3-6 inputs that matter most, shown first with sliders (the others
    # under "All inputs"); the outputs shown first (default: the headline); the chart shown first (an index).
    key_inputs: tuple[str, ...] = ()
    key_outputs: tuple[str, ...] = ()
    main_chart: int = 0
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        names = [i.name for i in self.inputs]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate input names")
        for i in self.inputs:
            validate_one(i, i.default)  # every default is valid, by construction
        for p in self.presets:
            for k, v in p.values.items():
                validate_one(self.input(k), v)
        by_name = {i.name: i for i in self.inputs}
        for o in self.outputs:
            for f in o.fields():
                if f not in by_name:
                    raise ValueError(f"{self.name}: output {o.name}'s label names no input {f!r}")
        if not self.headline:
            object.__setattr__(self, "headline", self.outputs[0].name)
        self.output(self.headline)
        if not self.key_outputs:
            object.__setattr__(self, "key_outputs", (self.headline,))
        for name in self.key_outputs:
            self.output(name)
        for name in self.key_inputs:
            self.input(name)
        if len(self.key_inputs) > 6 or len(set(self.key_inputs)) != len(self.key_inputs):
            raise ValueError(f"{self.name}: at most 6 distinct key inputs")
        if self.charts and not 0 <= self.main_chart < len(self.charts):
            raise ValueError(f"{self.name}: main_chart {self.main_chart} is not one of its charts")
        for c in self.charts:
            for name in (c.output, *c.series):
                if name:
                    self.output(name)
            if c.over and not self.input(c.over).numeric:
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
        return tuple(i for i in self.inputs if i.numeric)

    def formulas(self) -> dict[str, str]:
        """Each output's symbolic formula for the default inputs, derived by running the function (cached)."""
        if "formulas" not in self._cache:
            self._cache["formulas"] = {k: r.formula for k, r in self.evaluate(self.validate()).items()}
        return self._cache["formulas"]

    def to_json(self) -> dict:
        formulas = self.formulas()
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "notes": self.notes,
            "inputs": [i.to_json() for i in self.inputs],
            "outputs": [o.to_json(formulas.get(o.name, "")) for o in self.outputs],
            "presets": [p.to_json() for p in self.presets],
            "headline": self.headline,
            "charts": [c.to_json() for c in self.charts],
            "key_inputs": list(self.key_inputs),
            "key_outputs": list(self.key_outputs),
            "main_chart": self.main_chart,
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

    def quantities(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The function's arguments: each numeric input as a quantity, the others as they are."""
        return {i.name: Q.input(values[i.name], i.unit, i.symbol) if i.numeric else values[i.name] for i in self.inputs}

    def evaluate(self, values: Mapping[str, Any]) -> dict[str, Result]:
        """Run the function on already-validated values; every output must come back as a finite quantity."""
        result = self.function(**self.quantities(values))
        by_name = {i.name: i for i in self.inputs}
        out: dict[str, Result] = {}
        for o in self.outputs:
            if o.name not in result:
                raise RuntimeError(f"{self.name} did not return output {o.name!r}")
            q = result[o.name]
            if not isinstance(q, Q):
                raise TypeError(f"{self.name}.{o.name}: an output must be a quantity (Q), not {type(q).__name__}")
            v = q.value
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise InputError(
                    o.name,
                    f"this combination of inputs gives no finite {o.label.lower()}; "
                    "check the inputs against their allowed ranges",
                )
            out[o.name] = Result(v, q, o.label_for(values, by_name))
        return out

    def run(self, raw: Mapping[str, Any] | None = None, preset: str | None = None) -> dict[str, float]:
        """Validate, compute, and return {output_name: number in base units}: the `--json` payload."""
        return {k: v.value for k, v in self.evaluate(self.validate(raw, preset)).items()}
