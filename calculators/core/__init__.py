"""The framework every calculator is built on; nothing here knows about the subject.

declare.py   Input, Output, Preset, Chart, Calculator, Result: a calculator's declaration and its evaluation
quantity.py  Q: numbers that carry their working, so the text beside a result is derived from its arithmetic
validate.py  InputError and the per-field checks
fmt.py       numbers as text (fmt for results, term inside workings, fmt_plain as typed)
sources.py   the bibliography, Source (id + exact place) and Fact (a sourced number)
ranges.py    low/base/high inputs: output ranges and the sensitivity ranking
"""

from .declare import NUMERIC, Calculator, Chart, Input, Output, Preset, Result
from .fmt import fmt, fmt_plain, term
from .quantity import Q, exp, ln, qmax, qmin, qsum, sqrt, value_of
from .sources import DATA_DIR, Fact, Source, load_json, sources, src
from .validate import HUGE, InputError, parse_number, validate_one

__all__ = [
    "DATA_DIR",
    "HUGE",
    "NUMERIC",
    "Calculator",
    "Chart",
    "Fact",
    "Input",
    "InputError",
    "Output",
    "Preset",
    "Q",
    "Result",
    "Source",
    "exp",
    "fmt",
    "fmt_plain",
    "ln",
    "load_json",
    "parse_number",
    "qmax",
    "qmin",
    "qsum",
    "sources",
    "sqrt",
    "src",
    "term",
    "validate_one",
    "value_of",
]
