"""The live mode's contract with the page (docs/assets/calc.js), and Pyodide failing to load.

- answers: each answer shown raises the form's data-results by one and ends with a `calc:result` event whose
  detail.seq is that count, fired once the form shows all of the answer (outputs, aria-invalid, messages); once a
  field changes, an answer computed from the fields before the change is never shown, even when it arrives while
  the new value waits to be sent (a config.json being typed waits 250 ms for a pause);
- with Pyodide's runtime files unreachable, every form says data-state="error", keeps its pre-rendered numbers
  (the CLI's, for the form's values) and a visible notice says live mode is off.

- the runtime starts with the page: the worker before DOMContentLoaded, each runtime file downloaded once (the
  page's preloads handed to the worker), the wheel requested before the worker loads Pyodide, no lock file
  fetched (the site's lists the one wheel, as the worker's inline copy does), no snapshot on a first visit;
- told to boot from the memory snapshot, a page does, and when the snapshot is missing (404) or corrupt (its
  integrity hash fails) it boots normally, says why (calculators.fallback) and answers as the CLI does.

(Material's instant navigation between calculator pages: test_site_forms.py.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import visits

pytestmark = pytest.mark.browser


def test_pyodide_unavailable_keeps_static_numbers(visit, shared_visit, site):
    pages = site.calculator_pages()
    if not pages:
        pytest.skip("the built site has no calculator page")
    page = max(pages, key=lambda p: len(p.forms))
    d = site.pyodide_dir()
    assert d, "no pyodide.asm.wasm under site/: the build did not copy Pyodide's runtime"

    def blocked(url: str) -> bool:
        path = urlsplit(url).path
        return path.startswith(d) or path.endswith((".wasm", ".whl")) or path.rsplit("/", 1)[-1] in site.PYODIDE_FILES

    static = shared_visit(page.path, javascript=False)
    static_forms = static.read_forms()
    static_lines = {ln.strip() for ln in static.page.inner_text("body").splitlines() if ln.strip()}

    v = visit(page.path, block=blocked)
    try:
        states = v.wait_settled(timeout=visits.BOOT_MS)
    except Exception as e:
        raise AssertionError(
            f"with Pyodide unreachable the forms stayed {[f['state'] for f in v.read_forms()]} "
            f"for {visits.BOOT_MS / 1000:.0f} s (expected data-state=error)"
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


CONFIGS = Path(__file__).resolve().parents[2] / "tests" / "configs"

# Every calc:result, with the form as it is when the event fires; and a hook on the page's requests to the worker
# (calc-worker.js's protocol: {id, fn, args}), so a test can act the moment a computation has been sent.
RECORD_ANSWERS = r"""
window.__answers = [];
document.addEventListener("calc:result", (e) => {
  const form = e.target;
  const field = (name) => form.querySelector(`[data-field][name="${name}"]`);
  window.__answers.push({
    seq: e.detail.seq,
    results: Number(form.dataset.results),
    busy: form.hasAttribute("data-busy"),
    config: e.detail.inputs.config,
    shown_config: field("config").value,
    errors: e.detail.result.ok ? [] : e.detail.result.errors.map((x) => x.field),
    invalid: [...form.querySelectorAll("[data-field][aria-invalid=true]")].map((el) => el.name),
    messages: [...form.querySelectorAll(".calc-error:not([hidden])")].map((el) => el.textContent),
    values: [...form.querySelectorAll("output[name]")].filter((o) => o.hasAttribute("data-value")).length,
  });
});
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (msg, ...rest) {
  const result = post.call(this, msg, ...rest);
  if (msg && msg.fn === "compute" && window.__onCompute) window.__onCompute(msg.args[1]);
  return result;
};
"""

# Type config A; the moment A's computation is on its way to the worker, type config B (whose own request then
# waits 250 ms for a pause): A's answer arrives in that pause and must not be shown.
A_THEN_B = r"""
([selector, a, b]) => new Promise((resolve) => {
  const area = document.querySelector(selector);
  window.__onCompute = (inputs) => {
    if (inputs.config !== a) return;
    window.__onCompute = null;
    area.value = b;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    resolve();
  };
  area.value = a;
  area.dispatchEvent(new Event("input", { bubbles: true }));
})
"""


def _cli(site, tmp_path, name: str, text: str) -> dict:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    values = site.cli_json(["your-model", "--config", str(f)])
    texts = site.expected_texts("your-model", values)
    return {k: [values[k], texts[k]] for k in values}


def test_answers_follow_the_fields(visit, site, tmp_path):
    form = "calc-your-model"
    area = f"#{form} textarea[name='config']"
    v = visit("/calculators/your-model/", init_script=RECORD_ANSWERS)
    v.wait_live()
    first = v.page.evaluate("window.__answers")
    assert [a["seq"] for a in first] == [1] and first[0]["results"] == 1 and not first[0]["busy"], first

    # a rejected value: by the time calc:result fires the field is marked and its message shown
    with v.answer(form, "tokens abc") as bad:
        v.page.locator(f"#{form} input[name='tokens']").fill("abc")
    event = v.page.evaluate("window.__answers.at(-1)")
    assert event["seq"] == bad.after == int(bad.form["attrs"]["data-results"]) > bad.before, (event, bad.after)
    assert event["errors"] == ["tokens"] and event["invalid"] == ["tokens"], event
    assert len(event["messages"]) == 1 and "1,000,000" in event["messages"][0], event
    assert event["values"] == 0 and not event["busy"], event
    with v.answer(form, "tokens back"):
        v.page.locator(f"#{form} input[name='tokens']").fill("14.8e12")

    # config A's answer arrives while config B waits for its pause: never shown; B's answer is
    a = (CONFIGS / "mixtral-8x7b.json").read_text(encoding="utf-8")
    b = (CONFIGS / "qwen3-30b-a3b.json").read_text(encoding="utf-8")
    mark = v.page.evaluate("window.__answers.length")
    with v.answer(form, "config A, then B at once") as answer:
        v.page.evaluate(A_THEN_B, [area, a, b])
    events = v.page.evaluate("window.__answers")[mark:]
    stale = [e["seq"] for e in events if e["config"] != e["shown_config"]]
    assert not stale, f"answers {stale} were shown for a config the field no longer held"
    assert events and events[-1]["config"] == b and events[-1]["seq"] == answer.after, events
    assert [e["seq"] for e in events] == list(range(answer.before + 1, answer.after + 1)), events
    want = _cli(site, tmp_path, "b.json", b)
    shown = {o["name"]: [float(o["value"]), o["text"].strip()] for o in answer.form["outputs"]}
    assert set(shown) <= set(want), (shown, want)
    for name, (value, text) in shown.items():
        assert site.close(value, want[name][0]) and text == want[name][1], (name, shown[name], want[name])
    config = next(f["value"] for f in answer.form["fields"] if f["name"] == "config")
    assert json.loads(config) == json.loads(b)
    assert not v.console_errors, v.console_errors


# --------------------------------------------------------------------------------------------------------------------
# How the runtime starts (docs/assets/calc-boot.js, calc-worker.js) and the memory snapshot's fallbacks

# When the worker was constructed, against DOMContentLoaded (which waits for the page's deferred modules, not for
# the theme's page-ready signal).
RECORD_START = r"""
(() => {
  const W = window.Worker;
  window.__start = { worker: null, dcl: null };
  window.Worker = new Proxy(W, {
    construct(target, args) {
      if (window.__start.worker === null) window.__start.worker = performance.now();
      return new target(...args);
    },
  });
  document.addEventListener("DOMContentLoaded", () => (window.__start.dcl = performance.now()));
})();
"""
SNAPSHOT = 'try { localStorage.setItem("calc-runtime", "snapshot"); } catch (e) {}'


def _runtime(site) -> dict:
    """RUNTIME as the build wrote it into the worker (the runtime's addresses, relative to assets/)."""
    text = (site.SITE / "assets" / "calc-worker.js").read_text(encoding="utf-8")
    m = re.search(r"^const RUNTIME = (\{.*\});$", text, re.M)
    assert m, "the built calc-worker.js carries no RUNTIME"
    return json.loads(m.group(1))


def _numbers_match_cli(v, site) -> list[str]:
    problems = []
    for k, form in enumerate(v.read_forms()):
        name = form["calculator"]
        flags, preset = site.form_flags(name, form)
        expected = site.cli_json([name, *site.preset_args(preset), *flags])
        texts = site.expected_texts(name, expected)
        for o in form["outputs"]:
            if not o["has_value"] or o["text"].strip() != texts[o["name"]]:
                problems.append(
                    f"form #{k} ({name}): {o['name']} shows {o['text'].strip()!r}, not {texts[o['name']]!r}"
                )
    return problems


def test_runtime_starts_with_the_page_and_downloads_each_file_once(visit, site):
    page = min(site.calculator_pages(), key=lambda p: len(p.forms))
    runtime = _runtime(site)
    v = visit(page.path, init_script=RECORD_START)
    v.wait_live()
    start = v.page.evaluate("window.__start")
    assert start["worker"] is not None and start["dcl"] is not None and start["worker"] < start["dcl"], (
        f"the worker was constructed at {start['worker']} ms, after DOMContentLoaded ({start['dcl']} ms)"
    )
    assert v.page.evaluate("calculators.bootPath") == "boot", "a first visit boots without the snapshot"
    paths = [urlsplit(u).path for u in v.requests]
    for key in ("wasm", "stdlib", "wheel"):
        want = "/assets/" + runtime[key]
        assert paths.count(want) == 1, f"{want} requested {paths.count(want)} times: {paths}"
    assert "/assets/" + runtime["snapshot"] not in paths, "a first visit downloaded the snapshot"
    assert not [p for p in paths if p.endswith("pyodide-lock.json")], "the worker fetched a lock file"
    module = next(i for i, p in enumerate(paths) if p.endswith("/pyodide.mjs"))
    assert paths.index("/assets/" + runtime["wheel"]) < module, (
        "the wheel was requested after the worker started loading Pyodide, not in parallel with the runtime"
    )
    lock = json.loads((site.SITE / "assets" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert list(lock["packages"]) == ["why-r1-calculators"], "the lock file lists more than the one package loaded"
    assert lock == runtime["lock"], "the worker's inline lock differs from the site's pyodide-lock.json"
    assert not v.console_errors, v.console_errors
    assert not v.failed, v.failed


@pytest.mark.parametrize("snapshot", ["served", "missing", "corrupt"])
def test_snapshot_boot_and_fallbacks(visit, site, snapshot):
    page = min(site.calculator_pages(), key=lambda p: len(p.forms))
    url = "/assets/" + _runtime(site)["snapshot"]
    v = visit(init_script=SNAPSHOT)
    if snapshot == "missing":
        v.context.route(lambda u: urlsplit(u).path == url, lambda route: route.fulfill(status=404, body="gone"))
    elif snapshot == "corrupt":
        v.context.route(lambda u: urlsplit(u).path == url, lambda route: route.fulfill(status=200, body=b"\0" * 4096))
    v.goto(page.path)
    v.wait_live()
    path, fallback = v.page.evaluate("[calculators.bootPath, calculators.fallback]")
    if snapshot == "served":
        assert (path, fallback) == ("snapshot", None)
    else:
        assert path == "boot" and fallback and fallback.startswith("snapshot:"), (path, fallback)
    assert not _numbers_match_cli(v, site)
    from calculators import get
    from calculators.page.fields import field_text

    inp = get(v.read_form(0)["calculator"]).numeric_inputs()[0]
    value = field_text(inp, inp.max if inp.max != inp.default else inp.min)
    with v.answer(0, f"{inp.name} {value}") as a:
        v.forms().nth(0).locator(f"[name='{inp.name}']").fill(value)
    assert a.after > a.before and not _numbers_match_cli(v, site)
    if snapshot == "served":
        assert not v.console_errors, v.console_errors


def test_returning_reader_boots_from_the_cached_snapshot(visit, site):
    """The rule: a first visit never downloads the snapshot; the next visit (the runtime from the HTTP cache) boots
    normally and, once live, fetches the snapshot into the cache; the visit after that boots from it."""
    page = min(site.calculator_pages(), key=lambda p: len(p.forms))
    url = "/assets/" + _runtime(site)["snapshot"]
    v = visit(http_cache=True)
    requested = []
    v.context.on("request", lambda r: requested.append(urlsplit(r.url).path))
    paths = []
    for n in range(3):
        if n == 1:  # the returning visit: its worker fetches the snapshot once live
            with v.context.expect_event(
                "requestfinished", lambda r: urlsplit(r.url).path == url, timeout=visits.BOOT_MS
            ):
                v.goto(page.path)
                v.wait_live()
        else:
            v.goto(page.path)
            v.wait_live()
        paths.append(v.page.evaluate("calculators.bootPath"))
        if n == 0:
            assert url not in requested, "a first visit downloaded the snapshot"
    assert paths == ["boot", "boot", "snapshot"], paths
    assert not _numbers_match_cli(v, site)
