"""What the site's pages call: every decision about what a form shows, links, exports and compares.

A page's script (docs/assets/calc.js) only moves strings between the page and these functions, through the
worker's one entry point (api.call, over the explicit table api.API); the build (docs/hooks/) renders the static
HTML from the same functions. Everything here is tested in CPython (tests/test_scenarios.py, tests/test_charts.py,
tests/test_form.py) and runs unchanged in Pyodide.

api.py         the table of functions a page's worker may call, and call(), its single entry point
compute.py     a form's numbers: every output's number, text, working, formula and label
fields.py      values as field, address and command-line text; the checks applied to what a page sends
errors.py      page functions never raise: bad input comes back as {"ok": false, "errors": [...]}
permalinks.py  a form's state in the page's address, read back without trusting it
exports.py     the CLI command that gives the same numbers, and the CSV/JSON downloads
scenarios.py   scenarios kept side by side, and their comparison table
axes.py        chart axes, ticks and their texts
charts.py      chart data (tornado, waterfall, sweep) for the page to draw
embed.py       what a page's {{ calculator(...) }} or {{ value(...) }} asks for, checked; an inline value
form.py        everything a calculator form shows, as plain data for the templates (docs/overrides/partials/calc/)
"""
