"""Command line: `python -m calculators [NAME] [--input-name VALUE ...] [--config FILE] [--preset NAME] [--json]`.

Generated from the declarations. Contract (users script against it):
- no arguments: list the calculators; `--list --json`: every declaration as a JSON list.
- `NAME --json`: one JSON object keyed by output name, numbers in base units (parameters, bytes, FLOP, GPU-hours, USD).
- any numeric input as `low/base/high` (or `--ranges` for the declared ones): output ranges plus a sensitivity ranking;
  with `--json` the object is {"ranges": {output: {low, base, high}}, "sensitivity": {output: [...]}}.
- bad input: exit status 2 and one line on stderr naming the field and the allowed range. Never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from . import all as all_calculators
from . import get
from .core import Calculator, InputError, fmt, fmt_plain
from .core.ranges import declared_ranges, parse_triple, run_ranges

USAGE = (
    "usage: python -m calculators [--list] [--json] | NAME [--INPUT VALUE ...] [--config FILE] [--preset NAME] "
    "[--ranges] [--json]"
)


class UsageError(Exception):
    pass


def _parse_flags(calc: Calculator, argv: Sequence[str]) -> dict:
    opts = {"raw": {}, "json": False, "config": None, "preset": None, "ranges": False, "help": False}
    flags = {i.flag: i.name for i in calc.inputs}
    args = list(argv)
    while args:
        a = args.pop(0)
        if a in ("-h", "--help"):
            opts["help"] = True
            continue
        if a == "--json":
            opts["json"] = True
            continue
        if a == "--ranges":
            opts["ranges"] = True
            continue
        key, eq, val = a.partition("=")
        if not key.startswith("--"):
            raise InputError("arguments", f"unexpected argument {a!r}; flags look like --gpu-hours 2788000")
        if not eq:
            if not args:
                raise InputError(key.lstrip("-").replace("-", "_"), f"{key} needs a value")
            val = args.pop(0)
        if key == "--config" and (key not in flags or calc.input("config").type == "json"):
            opts["config"] = val
        elif key == "--preset":
            opts["preset"] = val
        elif key in flags:
            opts["raw"][flags[key]] = val
        else:
            raise InputError(
                key.lstrip("-").replace("-", "_"), f"{calc.name} has no input {key}; its inputs are {', '.join(flags)}"
            )
    return opts


def _read_config(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise InputError("config", f"cannot read {path!r} ({e.strerror or e.__class__.__name__})") from None
    except UnicodeDecodeError:
        raise InputError("config", f"{path!r} is not a UTF-8 text file") from None
    try:
        config = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise InputError("config", f"{path!r} is not valid JSON ({str(e)[:80]})") from None
    if not isinstance(config, dict):
        raise InputError("config", f"{path!r} must hold a JSON object (a Hugging Face config.json)")
    return config


def _apply_config(calc: Calculator, config: dict, raw: dict) -> dict:
    """--config FILE: a json input takes the whole object; otherwise the calculator maps the config to its inputs."""
    json_inputs = [i.name for i in calc.inputs if i.type == "json"]
    if json_inputs:
        return {json_inputs[0]: config, **raw}
    if calc.from_config is None:
        raise InputError("config", f"{calc.name} does not read a config.json")
    mapped = {k: v for k, v in calc.from_config(config).items() if v is not None}
    return {**mapped, **raw}  # explicit flags win over the config


def help_text(calc: Calculator) -> str:
    lines = [
        f"{calc.title} ({calc.name})",
        "",
        calc.summary,
        "",
        f"usage: python -m calculators {calc.name} [flags] [--json]",
        "",
        "inputs:",
    ]
    for i in calc.inputs:
        lines.append(f"  {i.flag} ({i.allowed()}; default {fmt_default(i.default)})")
        lines.append(f"      {i.label}. Source: {i.source.cite()} <{i.source.url}>")
        if i.help:
            lines.append(f"      {i.help}")
    if any(i.type != "json" for i in calc.inputs) and calc.from_config:
        lines.append("  --config FILE (a Hugging Face config.json; sets the model inputs, explicit flags win)")
    if calc.presets:
        lines.append("  --preset NAME (" + ", ".join(p.name for p in calc.presets) + ")")
    lines += ["", "outputs (--json keys, base units; formulas for the default inputs):"]
    formulas = calc.formulas()
    for o in calc.outputs:
        formula = formulas.get(o.name, "")
        lines.append(f"  {o.name} [{o.unit}]: {o.label}" + (f" = {formula}" if formula else ""))
        if o.help:
            lines.append(f"      {o.help}")
    if calc.notes:
        lines += ["", calc.notes]
    lines += ["", "Any numeric input may be written low/base/high (e.g. --price-per-gpu-hour 1.5/2/3.5) for ranges."]
    return "\n".join(lines)


def fmt_default(v) -> str:
    if isinstance(v, dict):
        return "the preset's config.json"
    if isinstance(v, (int, float)):
        return fmt_plain(v)
    return str(v)


def table(calc: Calculator, values: dict, result: dict, preset: str | None) -> str:
    lines = [f"{calc.title} ({calc.name})" + (f", preset {preset}" if preset else ""), "", "Inputs"]
    cited: list = []
    for i in calc.inputs:
        v = values[i.name]
        shown = (
            "config.json (" + str(v.get("model_type", "?")) + ")"
            if isinstance(v, dict)
            else (fmt(v, i.unit) if i.type in ("float", "int") else str(v))
        )
        mark = ""
        if v == i.default:
            if i.source not in cited:
                cited.append(i.source)
            mark = f"  [{cited.index(i.source) + 1}]"
        lines.append(f"  {i.label:<44} {shown}{mark}")
    lines += ["", "Outputs"]
    for o in calc.outputs:
        r = result[o.name]
        lines.append(f"  {r.label or o.label:<44} {fmt(r.value, o.unit)}")
        if r.working:
            lines.append(f"  {'':<44} = {r.working}")
    if cited:
        lines += ["", "Sources of the defaults used"]
        lines += [f"  [{k + 1}] {s.cite()} <{s.url}>" for k, s in enumerate(cited)]
    if calc.notes:
        lines += ["", calc.notes]
    return "\n".join(lines)


def range_table(calc: Calculator, res: dict) -> str:
    lines = [f"{calc.title} ({calc.name}): ranges", "", f"  {'output':<40} {'low':>22} {'base':>22} {'high':>22}"]
    for o in calc.outputs:
        r = res["ranges"][o.name]
        lines.append(
            f"  {o.label:<40} {fmt(r['low'], o.unit):>22} {fmt(r['base'], o.unit):>22} {fmt(r['high'], o.unit):>22}"
        )
    for name, inputs in res.get("not_monotonic", {}).items():
        lines.append(
            f"  (approximate: {calc.output(name).label} peaks or dips inside the range of {', '.join(inputs)})"
        )
    first = calc.output(calc.headline)
    lines += ["", f"Sensitivity of {first.label.lower()} (one input at a time, largest swing first)"]
    for row in res["sensitivity"][first.name]:
        lines.append(
            f"  {row['input']:<30} {fmt_plain(row['input_low'])} → {fmt_plain(row['input_high'])}: "
            f"{fmt(row['output_at_low'], first.unit)} → {fmt(row['output_at_high'], first.unit)}"
        )
    return "\n".join(lines)


def run(argv: Sequence[str]) -> str:
    args = list(argv)
    if not args or args[0].startswith("-"):
        as_json = "--json" in args
        unknown = [a for a in args if a not in ("--json", "--list", "-h", "--help")]
        if unknown:
            raise InputError("arguments", f"unknown option {unknown[0]!r}; {USAGE}")
        if "-h" in args or "--help" in args:
            return USAGE
        if as_json:
            return json.dumps([c.to_json() for c in all_calculators().values()], indent=1, ensure_ascii=False)
        width = max(len(n) for n in all_calculators())
        rows = [f"  {n:<{width}}  {c.title}" for n, c in all_calculators().items()]
        return "\n".join(["Calculators (python -m calculators NAME --help):", *rows])
    calc = get(args[0])
    opts = _parse_flags(calc, args[1:])
    if opts["help"]:
        return help_text(calc)
    raw = opts["raw"]
    if opts["config"] is not None:
        raw = _apply_config(calc, _read_config(opts["config"]), raw)
    ranged = {}
    for k, v in list(raw.items()):
        try:
            t = parse_triple(v)
        except ValueError as e:
            raise InputError(k, str(e)) from None
        if t is not None:
            ranged[k] = t
            del raw[k]
    if opts["ranges"]:
        declared = declared_ranges(calc)
        if not declared and not ranged:
            raise InputError("ranges", f"{calc.name} declares no ranges; give inputs as low/base/high")
        ranged = {**{k: v for k, v in declared.items() if k not in raw}, **ranged}
    if ranged:
        res = run_ranges(calc, ranged, raw, opts["preset"])
        return json.dumps(res, indent=1) if opts["json"] else range_table(calc, res)
    values = calc.validate(raw, opts["preset"])
    result = calc.evaluate(values)
    if opts["json"]:
        return json.dumps({k: v.value for k, v in result.items()}, indent=1)
    return table(calc, values, result, opts["preset"])


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        out = run(argv)
    except InputError as e:
        where = e.field if e.field in ("calculator", "arguments") else f"{e.field} (--{e.field.replace('_', '-')})"
        print(f"error: {where}: {e.message}", file=sys.stderr)
        return 2
    except RecursionError:
        print("error: config: the JSON is nested too deeply", file=sys.stderr)
        return 2
    try:
        print(out)
    except BrokenPipeError:  # e.g. piped into head: not an error worth a traceback
        sys.stderr.close()
    return 0
