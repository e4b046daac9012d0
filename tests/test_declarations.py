"""Properties every calculator's declaration must have, checked over all of them (hypothesis).

- every input has a label, a unit or choices, bounds, and a source with a link; defaults and presets are valid;
- in-bounds inputs always give finite outputs;
- out-of-bounds values, non-numbers, NaN and infinities give the validation error that names the field;
- monotonic where it must be (a table of pairs below, each with the reason).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculators
from calculators import InputError
from calculators.ranges import run_ranges

CALCS = list(calculators.all().values())
IDS = [c.name for c in CALCS]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_core_calculators_exist():
    for name in ("params", "kv-cache", "training-cost", "rl-cost"):
        assert name in calculators.all(), f"calculator {name} is missing"


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_declaration_is_complete(calc):
    assert calc.title and calc.summary
    for i in calc.inputs:
        assert i.name.isidentifier() and i.name == i.name.lower(), i.name
        assert i.label, i.name
        assert i.source.url.startswith(("https://", "methods/")), (i.name, i.source.url)
        assert i.source.where, f"{calc.name}.{i.name}: the source must say where (table, section)"
        if i.type in ("float", "int"):
            assert i.min <= i.default <= i.max
        if i.type == "choice":
            assert i.default in [v for v, _ in i.choices]
    for o in calc.outputs:
        assert o.name.isidentifier() and o.label and o.unit, o.name
    for p in calc.presets:
        assert p.source.url and p.source.where
        calc.run(preset=p.name)  # every preset computes


def _value_strategy(inp):
    if inp.type == "choice":
        return st.sampled_from([v for v, _ in inp.choices])
    if inp.type == "int":
        lo, hi = int(math.ceil(inp.min)), int(math.floor(inp.max))
        return st.integers(lo, hi)
    # Spread draws over magnitudes: uniform in log space for wide positive ranges, plus the ends themselves.
    lo, hi = float(inp.min), float(inp.max)
    draws = [st.floats(lo, hi, allow_nan=False, allow_infinity=False), st.sampled_from([lo, hi])]
    if lo > 0 and hi / lo > 1e3:
        draws.append(st.floats(math.log10(lo), math.log10(hi)).map(lambda e: min(max(10**e, lo), hi)))
    return st.one_of(*draws)


def _inputs_strategy(calc):
    fields = {i.name: _value_strategy(i) for i in calc.inputs if i.type != "json"}
    return st.fixed_dictionaries(fields)


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_in_bounds_inputs_give_finite_outputs(calc):
    @SETTINGS
    @given(_inputs_strategy(calc))
    def check(raw):
        try:
            out = calc.run(raw)
        except InputError as e:
            # A calculator may refuse a combination (e.g. FP8 on a GPU without FP8), but only with a clear message.
            assert e.field and e.message
            return
        for k, v in out.items():
            assert isinstance(v, (int, float)) and math.isfinite(v), (calc.name, k, v, raw)

    check()


BAD_NUMBERS = ["abc", "", "nan", "NaN", "inf", "-inf", "1e999", "0x10", "1/0", "None", "[]", "{}"]


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_bad_numbers_name_the_field(calc):
    for inp in calc.numeric_inputs():
        for bad in BAD_NUMBERS + [repr(inp.max * 10 + 1), repr(inp.min - 1 - abs(inp.min))]:
            with pytest.raises(InputError) as e:
                calc.run({inp.name: bad})
            assert e.value.field == inp.name
            assert "from" in e.value.message and "to" in e.value.message, e.value.message  # states the range
        if inp.type == "int" and inp.max - inp.min >= 1:
            with pytest.raises(InputError):
                calc.run({inp.name: inp.min + 0.5})


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_bad_choices_name_the_field(calc):
    for inp in calc.inputs:
        if inp.type == "choice":
            with pytest.raises(InputError) as e:
                calc.run({inp.name: "<script>alert(1)</script>"})
            assert e.value.field == inp.name and "one of" in e.value.message


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_declared_ranges_bracket_the_base_case(calc):
    ranged = {i.name: (i.range[0], i.default, i.range[1]) for i in calc.inputs if i.range}
    if not ranged:
        pytest.skip(f"{calc.name} declares no uncertainty ranges")
    res = run_ranges(calc, ranged)
    base = calc.run()
    for name, r in res["ranges"].items():
        assert r["low"] <= r["base"] <= r["high"], name
        assert r["base"] == pytest.approx(base[name], rel=1e-12)
    head = res["sensitivity"][calc.headline]
    assert [row["swing"] for row in head] == sorted((row["swing"] for row in head), reverse=True)


# (calculator, input, output, direction, why). Direction +1: the output must not fall as the input rises.
MONOTONIC = [
    ("training-cost", "price_per_gpu_hour", "cost_usd", +1, "cost = GPU-hours × price"),
    ("rl-cost", "r1_zero_gpu_hours", "cost_usd", +1, "more GPU-hours, more cost"),
    ("rl-cost", "price_per_gpu_hour", "cost_usd", +1, "cost = GPU-hours × price"),
    ("kv-cache", "context_length", "kv_cache_bytes", +1, "the cache grows with every token kept"),
    ("kv-cache", "n_layers", "kv_cache_bytes_per_token", +1, "each layer caches its own latent or K/V"),
    ("distill", "student_params", "cost_usd", +1, "6ND: a bigger student costs more to fine-tune"),
    ("mtp", "acceptance_rate", "tps_speedup", +1, "more accepted draft tokens, more tokens per step"),
    ("communication", "max_nodes", "comm_to_compute_ratio", +1, "more nodes per token, more InfiniBand copies"),
    ("training-cost", "gpu_hours", "cost_usd", +1, "more GPU-hours, more cost"),
]


@pytest.mark.parametrize("name,inp,out,direction,why", MONOTONIC, ids=[f"{m[0]}:{m[1]}" for m in MONOTONIC])
def test_monotonic(name, inp, out, direction, why):
    calc = calculators.get(name)
    i = calc.input(inp)

    @SETTINGS
    @given(st.floats(i.min, i.max, allow_nan=False), st.floats(i.min, i.max, allow_nan=False))
    def check(a, b):
        if i.type == "int":
            a, b = int(a), int(b)
        lo, hi = sorted((a, b))
        y_lo, y_hi = calc.run({inp: lo})[out], calc.run({inp: hi})[out]
        assert direction * (y_hi - y_lo) >= -1e-9 * max(abs(y_lo), abs(y_hi), 1), why

    check()
