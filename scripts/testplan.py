"""Which parts of the tool chain a `scripts/test` command needs, from its pytest arguments alone (no collection).

    python3 scripts/testplan.py [PYTEST ARGS...]   prints "full" when the arguments select nothing (the whole suite,
                                                   plus the Python 3.11 run), "site" when the selection can include
                                                   a browser test (the site is built, chromium installed), else "fast"

A browser test is one under tests/browser/ (each of those modules carries the `browser` marker). The selection can
include one unless the positional paths all lie outside tests/browser/, or the -m expression is false for a test
marked `browser` alone.
"""

from __future__ import annotations

import re
import sys

BROWSER_DIR = "tests/browser"
OPTIONS_WITH_VALUE = {
    "-k",
    "-p",
    "-c",
    "-o",
    "--rootdir",
    "--basetemp",
    "--confcutdir",
    "--deselect",
    "--ignore",
    "--maxfail",
    "--tb",
    "-W",
    "--junitxml",
    "--durations",
    "--log-level",
    "--hypothesis-seed",
}


def marker_expression_admits_browser(expr: str) -> bool:
    """True if `expr` (pytest's -m grammar: names, and/or/not, parentheses) selects a test whose only marker is
    `browser`, as every test under tests/browser/ is marked."""
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr)) - {"and", "or", "not"}
    env = {name: name == "browser" for name in names}
    try:  # the grammar is a subset of Python's boolean expressions; no builtins, only the marker names
        return bool(eval(compile(expr, "<-m>", "eval"), {"__builtins__": {}}, env))
    except (SyntaxError, NameError, TypeError):
        return True  # not understood here: assume it may select browser tests (pytest will judge it)


def plan(args: list[str]) -> str:
    paths, marks, keywords = [], [], False
    it = iter(args)
    for a in it:
        if a == "-m":
            marks.append(next(it, ""))
        elif a.startswith("-m") and len(a) > 2:
            marks.append(a[2:])
        elif a in OPTIONS_WITH_VALUE:
            keywords = keywords or a in ("-k", "--deselect", "--ignore")
            next(it, None)
        elif not a.startswith("-"):
            paths.append(a.split("::")[0].rstrip("/"))
    if not (paths or marks or keywords):
        return "full"
    if paths and not any(p == "tests" or p.startswith(BROWSER_DIR) or BROWSER_DIR.startswith(p) for p in paths):
        return "fast"
    return "site" if all(marker_expression_admits_browser(m) for m in marks) else "fast"


if __name__ == "__main__":
    print(plan(sys.argv[1:]))
