"""Pyodide failing to load: with its runtime files unreachable, every form says data-state="error", keeps its
pre-rendered numbers (the CLI's, for the form's values) and a visible notice says live mode is off.

(Material's instant navigation between calculator pages: test_site_forms.py.)
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_pyodide_unavailable_keeps_static_numbers(visit, site):
    pages = site.calculator_pages()
    if not pages:
        pytest.skip("the built site has no calculator page")
    page = max(pages, key=lambda p: len(p.forms))
    d = site.pyodide_dir()
    assert d, "no pyodide.asm.wasm under site/: the build did not copy Pyodide's runtime"

    def blocked(url: str) -> bool:
        path = urlsplit(url).path
        return path.startswith(d) or path.endswith((".wasm", ".whl")) or path.rsplit("/", 1)[-1] in site.PYODIDE_FILES

    static = visit(page.path, javascript=False)
    static_forms = static.read_forms()
    static_lines = {ln.strip() for ln in static.page.inner_text("body").splitlines() if ln.strip()}

    v = visit(page.path, block=blocked)
    try:
        states = v.wait_settled(timeout=60_000)
    except Exception as e:
        raise AssertionError(
            f"with Pyodide unreachable the forms stayed {[f['state'] for f in v.read_forms()]} "
            f"for 60 s (expected data-state=error)"
        ) from e
    assert states == ["error"] * len(static_forms), f"states {states}, expected all 'error'"
    assert any(blocked(u) for u in v.requests), "the page never asked for Pyodide, so the test blocked nothing"
    problems = []
    for k, (form, before) in enumerate(zip(v.read_forms(), static_forms, strict=True)):
        name = form["calculator"]
        flags, preset = site.form_flags(name, before)
        expected = site.cli_json([name, *site.preset_args(preset), *flags])
        texts = site.expected_texts(name, expected)
        for o in form["outputs"]:
            if not o["has_value"]:
                problems.append(f"form #{k} ({name}): {o['name']} lost its data-value")
            elif not site.close(float(o["value"]), expected[o["name"]]):
                problems.append(f"form #{k} ({name}): {o['name']} data-value {o['value']} != {expected[o['name']]}")
            elif o["text"].strip() != texts[o["name"]]:
                problems.append(f"form #{k} ({name}): {o['name']} text {o['text'].strip()!r} != {texts[o['name']]!r}")
        for word in site.NAN_WORDS.findall(form["text"]):
            problems.append(f"form #{k} ({name}): text contains {word!r}")
    assert not problems, "\n".join(problems)
    new_lines = [
        ln.strip() for ln in v.page.inner_text("body").splitlines() if ln.strip() and ln.strip() not in static_lines
    ]
    notices = [ln for ln in new_lines if any(w in ln.lower() for w in ("live", "python", "pyodide", "interactive"))]
    assert notices, (
        "no visible notice that live mode is off; text that appeared once JavaScript ran:\n  "
        + "\n  ".join(new_lines or ["(none)"])
    )
