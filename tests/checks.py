"""Properties every calculator must have, each a plain function `check_xxx(calc, ...)` that raises AssertionError
on a violation.

The tests apply each check to every real calculator (calculators.all()), and apply it once more to a deliberately
broken calculator built here with calculators.core, asserting that the check raises: a check that a broken
calculator passes could not fail, and proves nothing. `double()` builds those test doubles.

The search over in-bounds inputs is deterministic (seeded), so a violation found once is found on every run:
- every context: the defaults, each preset, and combinations of the choice inputs' values;
- in each context, every numeric input alone at its ends, just inside them and, where the range allows, at the
  smallest positive numbers (5e-324, 1e-300, 1e-12), and all numeric inputs at their minimum or maximum at once;
- then seeded random draws (ends, uniform, log-uniform over wide ranges) in a random context.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from calculators import Calculator, Input, InputError, Output, Q, Source, fmt
from calculators.core.ranges import declared_ranges, run_ranges

# --------------------------------------------------------------------------------------------------------------------
# Test doubles

# A test double's inputs cite an existing bibliography entry, and say that the default is made up.
DOUBLE_SOURCE = Source("deepseek-v3", "Table 1 (a test double: this default is made up)")


def number(name: str, default: float, lo: float, hi: float, unit: str = "GPU-hours", **kw) -> Input:
    return Input(name, name.replace("_", " ").capitalize(), unit, default, DOUBLE_SOURCE, min=lo, max=hi, **kw)


def double(function: Callable, inputs: tuple[Input, ...], outputs: tuple[Output, ...], **kw) -> Calculator:
    """A calculator built the way the real ones are (core.Calculator), for showing that a check catches a flaw.

    Its function gets quantities, as real ones do; a plain number it returns is made a constant quantity.
    """
    kw.setdefault("name", "test-double")

    def quantities(**values):
        out = function(**values)
        return {k: v if isinstance(v, Q) else Q.const(v) for k, v in out.items()}

    return Calculator(
        title="A test double", summary="Built by a test.", inputs=inputs, outputs=outputs, function=quantities, **kw
    )


def typed(value: float, working: str) -> Q:
    """A quantity with a working typed beside it (what the real calculators can no longer do): for companions."""
    q = Q(value)
    q.how = working
    return q


# --------------------------------------------------------------------------------------------------------------------
# The search over in-bounds inputs

TINY = (5e-324, 1e-300, 1e-12)  # the smallest positive doubles: where a division by an input overflows to inf
MAX_CONTEXTS = 16  # combinations of choice values tried per calculator (sampled when there are more)
RANDOM_CASES = 300


def probes(inp: Input) -> list:
    """The values of one numeric input worth trying alone: its ends, just inside them, the tiniest positives."""
    lo, hi = inp.min, inp.max
    if inp.type == "int":
        lo, hi = math.ceil(lo), math.floor(hi)
        return sorted({lo, hi, min(lo + 1, hi), max(hi - 1, lo)})
    xs = {float(lo), float(hi), math.nextafter(lo, hi), math.nextafter(hi, lo)}
    if lo <= 0 < hi:
        xs.update(t for t in TINY if t <= hi)
    if lo > 0 and hi / lo > 1e3:
        xs.add(math.sqrt(lo) * math.sqrt(hi))
    return sorted(x for x in xs if lo <= x <= hi)


def random_value(inp: Input, rng: random.Random):
    if inp.type == "choice":
        return rng.choice([v for v, _ in inp.choices])
    lo, hi = float(inp.min), float(inp.max)
    r = rng.random()
    if r < 0.1:
        x = lo
    elif r < 0.2:
        x = hi
    elif r < 0.6 and hi > 0 and lo >= 0 and (lo == 0 or hi / lo > 1e3):
        floor = lo if lo > 0 else hi * 1e-18
        x = 10 ** rng.uniform(math.log10(floor), math.log10(hi))
    else:
        x = rng.uniform(lo, hi)
    x = min(max(x, lo), hi)
    if inp.type == "int":
        return max(math.ceil(lo), min(math.floor(hi), round(x)))
    return x


def contexts(calc: Calculator, rng: random.Random) -> list[tuple[str | None, dict]]:
    """(preset, raw) starting points: the defaults, each preset, and combinations of the choice inputs."""
    out: list[tuple[str | None, dict]] = [(None, {})] + [(p.name, {}) for p in calc.presets]
    choices = [i for i in calc.inputs if i.type == "choice"]
    combos = list(itertools.product(*[[v for v, _ in i.choices] for i in choices])) if choices else []
    if len(combos) > MAX_CONTEXTS:
        combos = rng.sample(combos, MAX_CONTEXTS)
    out += [(None, dict(zip([i.name for i in choices], combo, strict=True))) for combo in combos]
    return out


def in_bounds_cases(calc: Calculator) -> Iterator[tuple[str | None, dict]]:
    """(preset, raw) pairs whose every value lies inside its input's declared bounds or choices."""
    rng = random.Random(f"in-bounds {calc.name}")
    numeric = calc.numeric_inputs()
    ctxs = contexts(calc, rng)
    for preset, ctx in ctxs:
        yield preset, ctx
        for inp in numeric:
            for x in probes(inp):
                yield preset, {**ctx, inp.name: x}
        if numeric:
            yield preset, {**ctx, **{i.name: probes(i)[0] for i in numeric}}
            yield preset, {**ctx, **{i.name: probes(i)[-1] for i in numeric}}
    for _ in range(RANDOM_CASES):
        preset, ctx = rng.choice(ctxs)
        raw = {i.name: random_value(i, rng) for i in calc.inputs if i.type != "json" and rng.random() < 0.7}
        yield preset, {**ctx, **raw}


class Computed(NamedTuple):
    """One output at one case: its number and the working shown beside it (plain values, not the Result's tree of
    quantities: the search keeps some 400,000 of these, and every garbage collection would walk the trees)."""

    value: float
    shown: str


@dataclass
class Outcome:
    preset: str | None
    raw: dict
    result: dict[str, Computed] | None = None
    error: InputError | None = None

    def where(self) -> str:
        return f"inputs {self.raw!r}" + (f" with preset {self.preset!r}" if self.preset else "")


_OUTCOMES: dict[int, tuple[Calculator, list[Outcome]]] = {}


def outcomes(calc: Calculator) -> list[Outcome]:
    """What the calculator does at every in-bounds case: outputs, or the InputError it refuses them with.

    Any other exception (ZeroDivisionError, OverflowError, a ValueError from a format of inf) is a violation of
    every check that uses this search: the user would see a traceback, not a message naming a field.
    """
    cached = _OUTCOMES.get(id(calc))
    if cached and cached[0] is calc:
        return cached[1]
    found = []
    for preset, raw in in_bounds_cases(calc):
        try:
            values = calc.validate(raw, preset)
        except InputError as e:
            raise AssertionError(f"{calc.name}: in-bounds {raw!r} (preset {preset}) failed validation: {e}") from e
        case = Outcome(preset, raw)
        try:
            case.result = {name: Computed(r.value, r.shown) for name, r in calc.evaluate(values).items()}
        except InputError as e:
            case.error = e
        except Exception as e:
            raise AssertionError(
                f"{calc.name} raised {type(e).__name__} ({e}) at in-bounds {case.where()}: a combination it cannot "
                "compute must be refused with an InputError naming the input"
            ) from e
        found.append(case)
    _OUTCOMES[id(calc)] = (calc, found)
    return found


# --------------------------------------------------------------------------------------------------------------------
# The declaration

RESERVED_INPUT_NAMES = {"json", "preset", "ranges", "help"}  # the CLI's own flags (cli._parse_flags)
TOKEN = re.compile(r"[a-z0-9][a-z0-9.]*(?:-[a-z0-9.]+)*")  # carried in addresses, CLI words and option values
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def check_declaration(calc: Calculator) -> None:
    """What the constructors (core.Input / core.Calculator __post_init__) leave unchecked.

    Not repeated here: defaults and preset values within bounds and choices, ranges bracketing defaults, unique
    input names, the headline and charts naming real outputs: the constructors refuse those already.
    """
    assert KEBAB.fullmatch(calc.name), f"{calc.name!r}: a calculator's name is kebab-case (CLI word, form id calc-NAME)"
    assert calc.title and calc.summary, calc.name
    for i in calc.inputs:
        where = f"{calc.name}.{i.name}"
        assert i.name.isidentifier() and i.name == i.name.lower(), where
        assert i.name not in RESERVED_INPUT_NAMES, f"{where}: --{i.name} is one of the CLI's own flags"
        assert i.label, where
        assert i.source.url.startswith(("https://", "methods/")), (where, i.source.url)
        assert i.source.where, f"{where}: the source must say where (table, section)"
        if i.step is not None:
            assert 0 < i.step <= i.max - i.min, f"{where}: step {i.step} is not a step within {i.min}..{i.max}"
        if i.type == "choice":
            values = [v for v, _ in i.choices]
            assert len(values) == len(set(values)), f"{where}: duplicate choices"
            for v, label in i.choices:
                assert isinstance(v, str) and TOKEN.fullmatch(v), f"{where}: choice {v!r} is not a plain token"
                assert label, f"{where}: choice {v!r} has no label"
    names = [o.name for o in calc.outputs]
    assert len(names) == len(set(names)), f"{calc.name}: duplicate output names {names}"
    for o in calc.outputs:
        assert o.name.isidentifier() and o.label and o.unit, (calc.name, o.name)
    presets = [p.name for p in calc.presets]
    assert len(presets) == len(set(presets)), f"{calc.name}: duplicate preset names"
    for p in calc.presets:
        assert TOKEN.fullmatch(p.name), f"{calc.name}: preset {p.name!r} is not a plain token"
        assert p.source.url and p.source.where, (calc.name, p.name)
        try:  # every preset computes (the constructor checks each value, not the combination)
            calc.run(preset=p.name)
        except InputError as e:
            raise AssertionError(f"{calc.name}: preset {p.name} does not compute: {e}") from e


# The units in use, each unambiguous: counts of things, base units of amounts, and rates with the "/" spelled out.
# A new unit is added here deliberately. Ambiguous spellings are left out on purpose: FLOPS or FLOPs (a count or a
# rate?), TFLOPS (scaled, and which precision's peak?), GiB vs GB written "G", a bare "B" or "K". GB and GB/s are
# decimal (1e9 bytes), as the datasheets print them.
UNITS = {
    # amounts in base units
    "parameters", "elements", "bytes", "tokens", "FLOP", "FLOP/s", "GPU-hours", "node-hours", "USD", "fraction",
    "ratio", "seconds", "hours", "days", "years", "µs", "GB", "GB/s", "tokens/s", "USD/GPU-hour", "USD/M tokens",
    # counts
    "layers", "heads", "dimensions", "experts", "sequences", "tokens per sequence", "samples", "questions", "steps",
    "epochs", "GPUs", "SMs", "nodes", "modules", "copies", "groups", "rollouts", "models", "people",
}  # fmt: skip


def check_units(calc: Calculator) -> None:
    """Every output and numeric input states a unit from UNITS, and the formatted number shows it."""
    things = [("output", o.name, o.unit) for o in calc.outputs]
    things += [("input", i.name, i.unit) for i in calc.numeric_inputs()]
    for kind, name, unit in things:
        where = f"{calc.name} {kind} {name}"
        assert unit, f"{where} has no unit"
        assert unit in UNITS, f"{where}: unit {unit!r} is not one of the site's units (tests/checks.py UNITS)"
        for x in (0.25, 1234.5, 3.2e24):
            text = fmt(x, unit)
            bare = re.sub(r"e[+-]?\d+", "", text)  # a number's own exponent is no unit
            assert re.search(r"[^\d.,\s−-]", bare), f"{where}: {text!r} shows no unit"


# --------------------------------------------------------------------------------------------------------------------
# In-bounds inputs


def check_finite_outputs(calc: Calculator) -> None:
    """In-bounds inputs give finite outputs; a refusal is acceptable only as a cross-field constraint on an input.

    core.Calculator.evaluate turns an inf or NaN output into an InputError whose field is the OUTPUT's name: that is
    the calculator failing, not the user. An InputError naming an INPUT is a documented constraint between inputs
    (e.g. "cache_hit_tokens: cannot exceed the input tokens") and is allowed.
    """
    outputs = {o.name for o in calc.outputs}
    for case in outcomes(calc):
        if case.error is not None:
            assert case.error.field not in outputs, (
                f"{calc.name}: output {case.error.field} is not finite at in-bounds {case.where()}"
            )
            continue
        for name, v in case.result.items():
            assert isinstance(v.value, (int, float)) and math.isfinite(v.value), (calc.name, name, case.where())
            assert not re.search(r"\b(?:nan|inf|infinity)\b", v.shown, re.I), (
                f"{calc.name}.{name}: the working shown, {v.shown!r}, holds a non-finite number at {case.where()}"
            )


BAD_NUMBERS = ["abc", "", "nan", "NaN", "inf", "-inf", "1e999", "0x10", "1/0", "None", "[]", "{}"]


def check_errors_name_the_field(calc: Calculator) -> None:
    """Every error a user can cause names an input and says what is allowed, on one line.

    Bad numbers, out-of-range numbers, fractions for whole numbers and unknown choices are each refused by the
    input they were given to, with its allowed range or choices; and every refusal of in-bounds inputs (a
    cross-field constraint) names one of the calculator's inputs, on one line.
    """
    for inp in calc.numeric_inputs():
        outside = [inp.max * 10 + 1, inp.max + 1 + abs(inp.max), inp.min - 1 - abs(inp.min)]
        bads = BAD_NUMBERS + [repr(x) for x in outside if not inp.min <= x <= inp.max]
        if inp.type == "int" and inp.max - inp.min >= 1:
            bads.append(inp.min + 0.5)
        for bad in bads:
            try:
                calc.run({inp.name: bad})
            except InputError as e:
                assert e.field == inp.name, f"{calc.name}: {bad!r} for {inp.name} was blamed on {e.field!r}"
                assert inp.allowed() in e.message, f"{calc.name}.{inp.name}: {e.message!r} omits the allowed range"
            else:
                raise AssertionError(f"{calc.name}.{inp.name} accepted {bad!r} ({inp.allowed()})")
    for inp in calc.inputs:
        if inp.type == "choice":
            try:
                calc.run({inp.name: "<script>alert(1)</script>"})
            except InputError as e:
                assert e.field == inp.name and "one of" in e.message, (calc.name, inp.name, e)
            else:
                raise AssertionError(f"{calc.name}.{inp.name} accepted markup as a choice")
    inputs = {i.name for i in calc.inputs}
    for case in outcomes(calc):
        e = case.error
        if e is not None:
            assert e.field in inputs, f"{calc.name}: a refusal at {case.where()} names {e.field!r}, not an input"
            assert e.message and "\n" not in e.message, f"{calc.name}: {e.message!r} is not one line"


# Outputs whose unit is a count or an amount of something are never negative, and fractions lie in [0, 1], except
# the outputs listed here, each with the reason it may leave that range. (USD and ratio outputs may be signed:
# steps, savings and changes.)
SIGNED = {
    ("training-cost", "unallocated_gpu_hours"): "the total minus the stages: negative when the stages add up to more",
    ("kv-cache", "reduction_vs_mha"): "negative when a layout caches more than multi-head attention would",
    ("fp8", "model_state_saving_fraction"): "negative when the recipe entered holds more bytes than ZeRO's",
    ("mtp", "serving_cost_change_latency_bound"): "a change: negative when serving gets cheaper",
    ("serving", "gross_margin"): "negative when the fleet costs more than the revenue",
    ("serving", "cost_profit_margin"): "profit ÷ cost: -100% with no revenue",
    **{
        ("attribution", f"share_{k}"): "a factor's share of the log cost ratio: negative when the factor adds cost"
        for k in ("tokens", "active_params", "attention", "throughput", "price")
    },
}
ABOVE_ONE = {
    ("training-cost", "implied_mfu_bf16"): "implied by the inputs: above 100% says the inputs are inconsistent",
    ("training-cost", "implied_mfu_fp8"): "implied by the inputs: above 100% says the inputs are inconsistent",
    ("training-cost", "implied_mfu_bf16_6nd"): "implied by the inputs: above 100% says the inputs are inconsistent",
    ("mtp", "mtp_training_flops_overhead"): "an overhead relative to the main model: can exceed 100%",
    ("mtp", "serving_cost_change_latency_bound"): "a relative change: can exceed 100%",
    ("mtp", "serving_cost_change_throughput_bound"): "a relative change: can exceed 100%",
    ("rl-methods", "memory_share_of_hbm"): "above 100%: the models do not fit in the GPUs' memory",
    ("rl-methods", "implied_utilisation"): "implied by the inputs: above 100% says the inputs are inconsistent",
    ("distill", "share_of_r1_rl_cost"): "a cost relative to R1's RL bill: can exceed it",
    ("attribution", "v3_mfu_bf16"): "implied by the inputs: above 100% says the inputs are inconsistent",
    ("attribution", "baseline_mfu_bf16"): "implied by the inputs: above 100% says the inputs are inconsistent",
    **{
        ("attribution", f"share_{k}"): "ln f ÷ ln R: above 100% when other factors pull the other way"
        for k in ("tokens", "active_params", "attention", "throughput", "price")
    },
    ("distill", "all_six_share_of_r1_rl_cost"): "a cost relative to R1's RL bill: can exceed it",
    ("serving", "cost_profit_margin"): "profit ÷ cost: DeepSeek's own figure is 545%",
    ("rl-methods", "weights_only_implied_utilisation"): "implied by the inputs: above 100% says they are inconsistent",
    ("full-bill", "fleet_share_used"): "above 100%: the counted GPU-hours exceed a year of the fleet's",
}
AMOUNT_UNITS = UNITS - {"USD", "ratio", "fraction"}


def check_outputs_in_range(calc: Calculator) -> None:
    """No negative count or amount, and no fraction outside [0, 1] (±1e-12 for rounding), at in-bounds inputs."""
    for case in outcomes(calc):
        if case.result is None:
            continue
        for o in calc.outputs:
            v, key = case.result[o.name].value, (calc.name, o.name)
            if o.unit in AMOUNT_UNITS and key not in SIGNED:
                assert v >= 0, f"{calc.name}.{o.name} = {v} {o.unit}, negative, at {case.where()}"
            if o.unit == "fraction":
                assert key in SIGNED or v >= -1e-12, f"{calc.name}.{o.name} = {v}, below 0, at {case.where()}"
                assert key in ABOVE_ONE or v <= 1 + 1e-12, f"{calc.name}.{o.name} = {v}, above 1, at {case.where()}"


def check_deterministic(calc: Calculator, cases: int = 40) -> None:
    """The same inputs give the same outputs and workings, whatever ran before, and evaluate() leaves its inputs as
    they were (a function that edited a config.json would change the declaration's own default)."""
    picked = [(None, {})] + [(p.name, {}) for p in calc.presets]
    picked += [(c.preset, c.raw) for c in outcomes(calc) if c.result is not None][:cases]
    first = []
    for preset, raw in picked:
        values = calc.validate(raw, preset)
        before = copy.deepcopy(values)
        first.append(calc.evaluate(values))
        assert values == before, f"{calc.name}: evaluate() changed its inputs at {raw!r} (preset {preset})"
    for (preset, raw), was in zip(picked, first, strict=True):
        again = calc.evaluate(calc.validate(raw, preset))
        assert again == was, f"{calc.name}: {raw!r} (preset {preset}) gave {was} once and {again} later"


def check_every_input_matters(calc: Calculator) -> None:
    """Each input changes some output in some context (a choice of the other choice inputs, or a preset): a form
    field that changes nothing anywhere misleads the reader."""
    rng = random.Random(f"inputs matter {calc.name}")
    ctxs = contexts(calc, rng)
    for inp in calc.inputs:
        if inp.type == "json":
            trials = [p.values[inp.name] for p in calc.presets if inp.name in p.values]
        elif inp.type == "choice":
            trials = [v for v, _ in inp.choices]
        else:
            mid = (inp.min + inp.max) / 2
            trials = [*probes(inp), mid, round(mid) if inp.type == "int" else mid * 1.01]
        if any(_changes(calc, preset, ctx, inp.name, trials) for preset, ctx in ctxs):
            continue
        raise AssertionError(f"{calc.name}: input {inp.name} changes no output in any of {len(ctxs)} contexts")


def _changes(calc: Calculator, preset, ctx: dict, name: str, trials: list) -> bool:
    try:
        base = calc.run(ctx, preset)
    except InputError:
        return False
    for x in trials:
        try:
            out = calc.run({**ctx, name: x}, preset)
        except InputError:
            continue
        if out != base:
            return True
    return False


def check_monotonic(calc: Calculator, inp: str, out: str, direction: int, points: int = 60) -> None:
    """`out` never moves against `direction` (+1: never falls) as `inp` rises over its whole range, the others at
    their defaults: a grid of 21 points, 61 log-spaced ones over a wide positive range (from its minimum, or from
    1e-12 of its maximum), and seeded random ones; values the calculator refuses with an InputError are left to the
    other checks."""
    i = calc.input(inp)
    lo, hi = float(i.min), float(i.max)
    xs = {lo + (hi - lo) * k / 20 for k in range(21)}
    start = lo if lo > 0 else hi * 1e-12
    if lo >= 0 and hi / start > 1e3:
        xs |= {start * (hi / start) ** (k / 60) for k in range(61)}
    rng = random.Random(f"monotonic {calc.name} {inp} {out}")
    xs |= {rng.uniform(lo, hi) for _ in range(points)}
    xs = sorted({min(max(round(x) if i.type == "int" else x, lo), hi) for x in xs})
    ys = []
    for x in xs:
        try:
            ys.append((x, calc.run({inp: x})[out]))
        except InputError:
            continue
    for (xa, a), (xb, b) in itertools.pairwise(ys):
        assert direction * (b - a) >= -1e-9 * max(abs(a), abs(b), 1), (
            f"{calc.name}.{out} goes {'down' if direction > 0 else 'up'} from {a} to {b} as {inp} rises {xa} → {xb}"
        )


# Outputs that are not monotonic in a ranged input, so that the corners of the ranges' box do not bound them; each
# with the reason. Their --ranges low and high understate the spread (found by check_ranges_bound_the_box).
# None at present: core/ranges.py also names the outputs its interior scan finds non-monotonic, and the check below
# requires that list to hold only these.
NOT_MONOTONIC: dict[tuple[str, str], str] = {}


def check_ranges_bound_the_box(calc: Calculator, points: int = 60) -> None:
    """The declared uncertainty ranges give each output a range that holds every point inside them.

    ranges.run_ranges evaluates the corners of the box (and the base case) and scans each input alone inside its
    range; its range is exact only if each output is monotonic in each ranged input, and it names the outputs it
    finds that are not. Seeded points inside the box, and each input alone at the middle of its range, must land
    inside [low, high], and no output may be named, for every output but those in NOT_MONOTONIC.
    """
    declared = declared_ranges(calc)
    res = run_ranges(calc, declared)
    flagged = {name for name in res["not_monotonic"] if (calc.name, name) not in NOT_MONOTONIC}
    assert not flagged, f"{calc.name}: ranges.run_ranges finds {sorted(flagged)} not monotonic in a declared range"
    base = calc.run()
    for name, r in res["ranges"].items():
        assert r["low"] <= r["base"] <= r["high"], name
        assert math.isclose(r["base"], base[name], rel_tol=1e-12), name
    head = res["sensitivity"][calc.headline]
    assert [row["swing"] for row in head] == sorted((row["swing"] for row in head), reverse=True)
    rng = random.Random(f"ranges {calc.name}")

    def inside(name: str, t: float):
        lo, _, hi = declared[name]
        x = lo + (hi - lo) * t
        return round(x) if calc.input(name).type == "int" else x

    trials = [{n: inside(n, rng.random()) for n in declared} for _ in range(points)]
    trials += [{n: inside(n, 0.5)} for n in declared]
    for point in trials:
        out = calc.run(point)
        for name, r in res["ranges"].items():
            if (calc.name, name) in NOT_MONOTONIC:
                continue
            slack = 1e-9 * max(abs(r["low"]), abs(r["high"]), 1e-300)
            assert r["low"] - slack <= out[name] <= r["high"] + slack, (
                f"{calc.name}.{name} = {out[name]} at {point}, outside the range {r['low']}..{r['high']} that the "
                "declared ranges give: not monotonic in a ranged input"
            )


# --------------------------------------------------------------------------------------------------------------------
# The command line (run: a function taking the CLI's arguments and returning a subprocess.CompletedProcess)


def check_cli_json(calc: Calculator, run: Callable, presets: int = 1) -> None:
    """`NAME --json` (and `NAME --preset P --json` for the first presets) prints one JSON object keyed by the output
    names in declaration order, finite numbers only, and equal to what calc.run() returns in this process."""
    for preset in [None, *[p.name for p in calc.presets][:presets]]:
        r = run(calc.name, "--json", *(["--preset", preset] if preset else []))
        assert r.returncode == 0, (calc.name, preset, r.stderr)
        assert "NaN" not in r.stdout and "Infinity" not in r.stdout, r.stdout
        out = json.loads(r.stdout)
        assert list(out) == [o.name for o in calc.outputs], (calc.name, list(out))
        assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in out.values()), out
        library = calc.run(preset=preset)
        assert out == library, f"{calc.name} (preset {preset}): the CLI printed {out}, calc.run() gives {library}"


def check_cli_table(calc: Calculator, run: Callable) -> None:
    """`NAME` prints every output's label and its value formatted with its unit, and the sources (with links) of
    the defaults used; `NAME --help` lists every input's flag and --json."""
    r = run(calc.name)
    assert r.returncode == 0, (calc.name, r.stderr)
    assert "Outputs" in r.stdout and "Sources of the defaults used" in r.stdout, r.stdout
    assert "https://" in r.stdout, f"{calc.name}: the readable output links to no published source"
    result = calc.evaluate(calc.validate({}))
    for o in calc.outputs:
        shown = fmt(result[o.name].value, o.unit)
        assert f"{o.label}" in r.stdout and shown in r.stdout, f"{calc.name}: {o.label} = {shown} is not shown"
    for i in calc.inputs:
        assert i.source.url in r.stdout, f"{calc.name}: the source of {i.name}'s default is not linked"
    h = run(calc.name, "--help")
    assert h.returncode == 0 and "--json" in h.stdout, h.stderr
    for i in calc.inputs:
        assert i.flag in h.stdout, f"{calc.name} --help does not list {i.flag}"
