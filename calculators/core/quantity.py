"""Quantities: numbers that carry their own working.

A calculator's function is written once, in ordinary arithmetic on quantities (`Q`). Each operation computes the
number and records how it was made, so the text shown beside a result is derived from the very arithmetic that
produced it, never typed next to it:

    >>> hours = Q.input(2_788_000, "GPU-hours", "GPU-hours")
    >>> price = Q.input(2.0, "USD/GPU-hour", "price per GPU-hour")
    >>> cost = hours * price
    >>> cost.value, cost.working(), cost.formula()
    (5576000.0, '2,788,000 GPU-hours × $2 per GPU-hour', 'GPU-hours × price per GPU-hour')

`working()` substitutes values (each input or named intermediate written with its unit); `formula()` writes the
symbols instead, so the symbolic formula on a form or the methods page comes from running the same function.
`named()` gives an intermediate result a symbol and a unit: expressions that use it show its value, and its own
working is the expression that made it. Text is rendered only when asked for (the tree is kept), so the arithmetic
costs little more than plain floats: ranges and charts evaluate a calculator thousands of times.

Hand-written text survives only where no arithmetic exists to derive it from, a lookup (`Q.lookup`: a GPU's peak
read from data/gpus.json) or an explanation of a branch (`explain`), and there it may hold no number: every
number shown is formatted from a value.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from .fmt import term

# Binding strength, for parentheses: a + (b × c) needs none, (a + b) × c does.
ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5

# A number written in hand-made text: digits not glued to a letter (H800, FP8, V3, BF16 and 80GB are names).
_NUMBER_IN_TEXT = re.compile(r"(?<![A-Za-z\d.,])\d[\d,.]*(?![\d.,]*[A-Za-z])")

Number = int | float


@functools.lru_cache(maxsize=4096)  # the same few texts, checked on every evaluation (ranges evaluate thousands)
def _check_no_number(text: str, what: str) -> str:
    if _NUMBER_IN_TEXT.search(text):
        raise ValueError(f"{what} {text!r} holds a number: derive it (Q arithmetic) instead of typing it")
    return text


class Q:
    """A number with the expression that produced it (see the module docstring).

    value: the number (int or float); unit: the unit its value is written in when it appears in a working;
    symbol: how it is written in a formula (inputs, named intermediates, lookups); op/args: the expression.
    """

    __slots__ = ("value", "unit", "symbol", "op", "args", "how", "literal")

    def __init__(self, value: Number, unit: str = "", symbol: str = "", op: str = "", args: tuple = (),
                 how: str = "", literal: str = ""):  # fmt: skip
        self.value = value
        self.unit = unit
        self.symbol = symbol
        self.op = op  # "" for a leaf (input, constant, lookup), "named", or an operator
        self.args = args
        self.how = how  # a leaf's or a named result's explanation (no numbers)
        self.literal = literal  # a constant's own text, e.g. "3,600 s/h" ("": its value, formatted when shown)

    # ------------------------------------------------------------------------------------------------------------
    # Leaves

    @classmethod
    def input(cls, value: Number, unit: str, symbol: str) -> Q:
        """A calculator's input: written as its value with its unit in a working, as `symbol` in a formula."""
        return cls(value, unit, symbol)

    @classmethod
    def const(cls, value: Number, text: str = "") -> Q:
        """A constant of the formula itself (the 6 of 6ND, 3,600 seconds per hour): written the same in both, as
        `text` or (by default) its value formatted when a working is shown, not at every evaluation."""
        return cls(value, literal=text)

    @classmethod
    def lookup(cls, value: Number, unit: str, symbol: str, how: str) -> Q:
        """A value read from data (a GPU's peak): `how` says where from, in words without numbers."""
        return cls(value, unit, symbol, how=_check_no_number(how, "a lookup's text"))

    # ------------------------------------------------------------------------------------------------------------
    # Naming and explaining

    def named(self, symbol: str, unit: str) -> Q:
        """This result as an intermediate: later expressions show its value (in `unit`) and call it `symbol`."""
        return Q(self.value, unit, symbol, "named", (self,))

    def explain(self, how: str) -> Q:
        """The same quantity with a sentence (no numbers) said about it, e.g. "as reported"."""
        return Q(self.value, self.unit, self.symbol, "named" if self.op else "", (self,) if self.op else (),
                 how=_check_no_number(how, "an explanation"), literal=self.literal)  # fmt: skip

    # ------------------------------------------------------------------------------------------------------------
    # Arithmetic: the value is computed here, exactly as the same floats would be; the text later, on demand.

    def __add__(self, other):
        o = _q(other)
        return Q(self.value + o.value, op="+", args=(self, o))

    def __radd__(self, other):
        return _q(other) + self

    def __sub__(self, other):
        o = _q(other)
        return Q(self.value - o.value, op="−", args=(self, o))

    def __rsub__(self, other):
        return _q(other) - self

    def __mul__(self, other):
        o = _q(other)
        return Q(self.value * o.value, op="×", args=(self, o))

    def __rmul__(self, other):
        return _q(other) * self

    def __truediv__(self, other):
        o = _q(other)
        return Q(self.value / o.value, op="÷", args=(self, o))

    def __rtruediv__(self, other):
        return _q(other) / self

    def __pow__(self, other):
        o = _q(other)
        return Q(self.value**o.value, op="^", args=(self, o))

    def __rpow__(self, other):
        return _q(other) ** self

    def __neg__(self):
        return Q(-self.value, op="neg", args=(self,))

    # Comparisons and conversions use the value (branches are plain Python: `if a > b:`).
    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    def __index__(self):
        if isinstance(self.value, int):
            return self.value
        raise TypeError(f"{self.value!r} is not an integer")

    def __bool__(self):
        return bool(self.value)

    def __lt__(self, other):
        return self.value < _v(other)

    def __le__(self, other):
        return self.value <= _v(other)

    def __gt__(self, other):
        return self.value > _v(other)

    def __ge__(self, other):
        return self.value >= _v(other)

    def __eq__(self, other):
        return self.value == _v(other)

    def __ne__(self, other):
        return self.value != _v(other)

    __hash__ = None

    def __repr__(self):
        return f"Q({self.value!r}, {self.working()!r})"

    # ------------------------------------------------------------------------------------------------------------
    # Text

    def working(self) -> str:
        """The expression that produced this value, with values substituted (empty for a bare input)."""
        if self.op == "named":
            inner = self.args[0].working() if self.args[0].op else ""
            return _join(inner, self.how)
        if not self.op:
            return self.how
        return _render(self, values=True)

    def formula(self) -> str:
        """The same expression in symbols (empty for a bare input or a lookup)."""
        if self.op == "named":
            return self.args[0].formula() if self.args[0].op else ""
        if not self.op:
            return ""
        return _render(self, values=False)

    def inputs(self) -> set[str]:
        """The symbols of the leaves this value depends on (inputs and lookups)."""
        if not self.op:
            return {self.symbol} if self.symbol else set()
        return set().union(*(a.inputs() for a in self.args))


def _q(x) -> Q:
    if isinstance(x, Q):
        return x
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"cannot combine a quantity with {type(x).__name__}")
    return Q.const(x)


def _v(x):
    return x.value if isinstance(x, Q) else x


def _join(a: str, b: str) -> str:
    return f"{a} ({b})" if a and b else a or b


def _atom_text(q: Q, values: bool) -> str:
    """A leaf or a named intermediate, as it appears inside a bigger expression."""
    if q.literal:
        return q.literal
    if values:
        return term(q.value, q.unit)
    return q.symbol or term(q.value, q.unit)


def _strength(q: Q) -> int:
    if not q.op or q.op == "named":
        return ATOM
    return {"+": ADD, "−": ADD, "×": MUL, "÷": MUL, "neg": NEG, "^": POW}.get(q.op, ATOM)


def _wrap(q: Q, values: bool, need: int) -> str:
    text = _render(q, values)
    return f"({text})" if _strength(q) < need else text


def _render(q: Q, values: bool) -> str:
    if not q.op or q.op == "named":
        return _atom_text(q, values)
    if q.op == "neg":
        return "−" + _wrap(q.args[0], values, POW)
    if q.op in _FUNCTIONS:
        return f"{q.op}({', '.join(_render(a, values) for a in q.args)})"
    a, b = q.args
    if q.op in ("+", "−"):
        return f"{_wrap(a, values, ADD)} {q.op} {_wrap(b, values, ADD + (q.op == '−'))}"
    if q.op in ("×", "÷"):
        return f"{_wrap(a, values, MUL)} {q.op} {_wrap(b, values, MUL + (q.op == '÷'))}"
    return f"{_wrap(a, values, ATOM)}^{_wrap(b, values, ATOM)}"  # "^"


# ----------------------------------------------------------------------------------------------------------------------
# Functions of quantities

_FUNCTIONS = ("max", "min", "ln", "exp", "sqrt", "round")


def qmax(*xs) -> Q:
    qs = [_q(x) for x in _flat(xs)]
    return Q(max(q.value for q in qs), op="max", args=tuple(qs))


def qmin(*xs) -> Q:
    qs = [_q(x) for x in _flat(xs)]
    return Q(min(q.value for q in qs), op="min", args=tuple(qs))


def qsum(xs: Iterable) -> Q:
    """a + b + c, written as one flat sum; its value is Python's sum() of the values, which is not always the
    left-to-right a + b + c (CPython 3.12+ and Pyodide compensate the rounding of a float sum)."""
    items = [_q(x) for x in xs]
    if not items:
        return Q.const(0)
    total = items[0]
    for x in items[1:]:
        total = total + x
    total.value = sum(x.value for x in items)
    return total


def ln(x) -> Q:
    q = _q(x)
    return Q(math.log(q.value), op="ln", args=(q,))


def exp(x) -> Q:
    q = _q(x)
    return Q(math.exp(q.value), op="exp", args=(q,))


def sqrt(x) -> Q:
    q = _q(x)
    return Q(math.sqrt(q.value), op="sqrt", args=(q,))


def value_of(x) -> Number:
    """The plain number of a quantity (or of a number)."""
    return x.value if isinstance(x, Q) else x


def _flat(xs):
    for x in xs:
        if isinstance(x, (list, tuple)):
            yield from x
        else:
            yield x
