"""The page API: the one table of functions a page's worker may call (docs/assets/calc-worker.js -> call).

Each function takes JSON-able arguments and returns a JSON-able dict; none raises (errors.page_function): bad
arguments or input come back as {"ok": false, "errors": [...]}. The table is written out here, explicitly: importing
a module adds nothing to it, and nothing outside this table can be called from a page.
"""

from __future__ import annotations

import json

from . import charts, compute, exports, permalinks, scenarios
from .errors import page_function

API = {
    "compute": page_function(compute.compute),
    "chart": page_function(charts.chart_data),
    "read_permalink": page_function(permalinks.read_permalink),
    "write_permalink": page_function(permalinks.write_permalink),
    "cli_command": page_function(exports.cli_command),
    "export": page_function(exports.export),
    "keep": page_function(scenarios.keep),
    "baseline": page_function(scenarios.baseline),
    "compare": page_function(scenarios.compare),
}


def call(fn: str, args_json: str) -> str:
    """The worker's single entry point: API[fn](*args), as JSON. Unknown functions and bad arguments are errors."""
    try:
        args = json.loads(args_json)
    except ValueError:
        args = None
    if fn not in API or not isinstance(args, list):
        errors = [{"field": "", "message": f"no page function {fn!r}"}]
        return json.dumps({"ok": False, "outputs": {}, "errors": errors})
    return json.dumps(API[fn](*args))
