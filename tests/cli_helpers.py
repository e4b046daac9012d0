"""Running the CLI as users do (a subprocess from the repository root, no install) and checking its error contract."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, python=sys.executable):
    """`python -m calculators ARGS` from the repository root, as a fresh clone would run it."""
    return subprocess.run([python, "-m", "calculators", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def for_calc(name: str):
    """cli() for one calculator: for_calc("fp8")("--json") runs `python -m calculators fp8 --json`."""

    def run(*args):
        return cli(name, *args)

    run.__doc__ = f"`python -m calculators {name} ARGS`, as a user runs it."
    return run


def assert_clean_error(r, field):
    """Bad input: exit status 2, one line on stderr naming the field, no traceback, nothing on stdout."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert field in lines[0], (field, lines[0])


def cli_in_process(*args):
    """`python -m calculators ARGS` in this process: sees calculators registered by the test (monkeypatch)."""
    from calculators.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(["python", "-m", "calculators", *args], code, out.getvalue(), err.getvalue())
