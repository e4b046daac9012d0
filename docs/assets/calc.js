// Live calculators: binds every <form class="calc"> (rendered, with its numbers, by docs/hooks/calc_pages.py) to
// one Pyodide worker for the whole visit. This file moves strings between the form and Python; it holds no
// arithmetic and no number formatting. Every text it shows comes from Python or from the form's data-msg-*.
//
// States (form[data-state]): "static" (pre-rendered numbers), "live" (the worker has answered for this form),
// "error" (Python could not start: the pre-rendered numbers stay, the fields go back to their values and lock).
// While a change waits for its answer the form has [data-busy]; while Python rejects an input, [data-invalid].
// form[data-results] counts the answers shown. Once a field changes, only an answer computed from the fields as
// they are now is shown, so a form without [data-busy] shows the answer for its current fields. When a form has
// shown an answer (outputs, field errors, status, all of it), the form fires `calc:result` (bubbling; detail
// {result, inputs, seq}, seq = the new data-results).

const build = new URL(import.meta.url).searchParams.get("v") || "";
// The worker is started by calc-boot.js (from the page's <head>, before this runs): the same module, so one worker.
const boot = import(new URL(`calc-boot.js${build ? `?v=${encodeURIComponent(build)}` : ""}`, import.meta.url).href);

const engine = { worker: null, status: "idle", reason: "", ms: null, phases: null, path: null, fallback: null };
const waiting = new Map(); // request id -> resolve
let lastId = 0;

// Call calculators.page.api.API[fn](*args) in the worker; resolves with its result (null if Python cannot start).
function call(fn, args) {
  if (engine.status === "failed") return Promise.resolve(null);
  startEngine();
  const id = ++lastId;
  const answer = new Promise((resolve) => waiting.set(id, resolve));
  engine.worker.then((worker) => worker?.postMessage({ id, fn, args }));
  return answer;
}

function onMessage(event) {
  const msg = event.data;
  if (msg.type === "ready") {
    engine.status = "ready";
    engine.ms = msg.ms;
    engine.phases = msg.phases;
    engine.path = msg.path;
    engine.fallback = msg.fallback;
    performance.mark("calc-ready");
    boot.then((b) => b.remember());
  } else if (msg.type === "failed") {
    fail(msg.reason);
  } else if (msg.type === "result") {
    const resolve = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (resolve) resolve(msg.result);
  }
}

function startEngine() {
  if (engine.worker || engine.status === "failed") return;
  engine.status = "booting";
  performance.mark("calc-boot-start");
  // A boot that never finishes (e.g. a host policy that forbids WebAssembly, which Pyodide only logs) must still
  // end in the error state with the pre-rendered numbers, not in "booting" forever.
  setTimeout(() => {
    if (engine.status === "booting") fail("Python did not start within two minutes");
  }, 120000);
  engine.worker = boot.then(
    (b) => b.listen(onMessage, (reason) => fail(reason)),
    (e) => {
      fail(`the live mode's script could not be loaded (${e?.message || e})`);
      return null;
    },
  );
}

function fail(reason) {
  if (engine.status === "failed") return;
  engine.status = "failed";
  engine.reason = reason || "unknown error";
  for (const resolve of waiting.values()) resolve(null);
  waiting.clear();
  if (engine.worker) engine.worker.then((worker) => worker?.terminate());
  for (const form of document.querySelectorAll("form.calc")) if (form._calc) showFailed(form);
}

// --------------------------------------------------------------------------------------------------------------

function fields(form) {
  return form.querySelectorAll("[data-field]");
}

function setStatus(form, text) {
  const status = form.querySelector(".calc-status");
  if (status && status.textContent !== text) status.textContent = text;
}

function inputsOf(form) {
  const inputs = {};
  for (const el of fields(form)) inputs[el.name] = el.value;
  return inputs;
}

function request(form) {
  if (engine.status === "failed") return;
  const inputs = inputsOf(form);
  const ticket = ++form._calc.tickets;
  form._calc.requested = ticket;
  form.setAttribute("data-busy", "");
  call("compute", [form.dataset.calculator, inputs, null]).then((result) => {
    // only the latest request's answer is shown
    if (result && form.isConnected && form._calc.requested === ticket) apply(form, result, inputs);
  });
}

function apply(form, result, inputs) {
  form.removeAttribute("data-busy");
  form.dataset.state = "live";
  const seq = ++form._calc.results;
  const byName = {};
  for (const el of fields(form)) {
    byName[el.name] = el;
    el.removeAttribute("aria-invalid");
    const err = form.querySelector(`#${CSS.escape(`${el.id}-error`)}`);
    if (err) {
      err.textContent = "";
      err.hidden = true;
    }
  }
  for (const out of form.querySelectorAll("output[name]")) {
    const o = result.ok ? result.outputs[out.name] : null;
    const shown = form.querySelector(`.calc-shown[data-shown-for="${CSS.escape(out.name)}"]`);
    if (o) {
      out.textContent = o.text;
      out.setAttribute("data-value", o.raw);
      if (shown) shown.textContent = o.shown;
      showFormula(out, o.formula, o.label); // both may follow the inputs (a choice can change the formula)
    } else {
      out.textContent = "";
      out.removeAttribute("data-value");
      if (shown) shown.textContent = "";
    }
  }
  const status = form.querySelector(".calc-status");
  form.toggleAttribute("data-invalid", !result.ok);
  if (result.ok) {
    writeLink(form, inputs);
    setStatus(form, status.dataset.msgLive);
  } else {
    const general = [];
    for (const e of result.errors) {
      const el = byName[e.field];
      const err = el && form.querySelector(`#${CSS.escape(`${el.id}-error`)}`);
      if (err) {
        el.setAttribute("aria-invalid", "true");
        err.textContent = `${el.dataset.label} ${e.message}`;
        err.hidden = false;
      } else {
        general.push(e.message);
      }
    }
    setStatus(form, [status.dataset.msgInvalid, ...general].join(" "));
  }
  form.dataset.results = String(seq);
  // Last, once the form shows all of this answer. Page features (permalinks, charts, exports) listen for it; they
  // read, never rewrite, the numbers.
  form.dispatchEvent(new CustomEvent("calc:result", { bubbles: true, detail: { result, inputs, seq } }));
}

// An output's formula (after the prefix its element carries, "= ") and its label, as Python wrote them.
function showFormula(out, formula, label) {
  const box = out.closest(".calc-output");
  const f = box?.querySelector(".calc-formula");
  if (f) f.textContent = formula ? f.dataset.prefix + formula : "";
  const l = box?.querySelector(".calc-label-text");
  if (l && label) l.textContent = label;
}

function showFailed(form) {
  form.removeAttribute("data-busy");
  form.removeAttribute("data-invalid");
  form.dataset.state = "error";
  form.reset(); // the fields go back to the values the pre-rendered numbers were computed for
  const initial = form._calc.initial;
  for (const out of form.querySelectorAll("output[name]")) {
    const o = initial[out.name];
    out.textContent = o.text;
    if (o.value === null) out.removeAttribute("data-value");
    else out.setAttribute("data-value", o.value);
    const shown = form.querySelector(`.calc-shown[data-shown-for="${CSS.escape(out.name)}"]`);
    if (shown) shown.textContent = o.shown;
    showFormula(out, o.formula, o.label);
  }
  for (const el of fields(form)) {
    el.removeAttribute("aria-invalid");
    const err = form.querySelector(`#${CSS.escape(`${el.id}-error`)}`);
    if (err) err.hidden = true;
  }
  for (const fs of form.querySelectorAll("fieldset")) fs.disabled = true;
  showPresetSource(form);
  const status = form.querySelector(".calc-status");
  setStatus(form, `${status.dataset.msgError} (${engine.reason})`);
}

// Presets: the select's options carry every field's value as Python wrote it; choosing one copies them in.
function presetSelect(form) {
  return form.querySelector("select.calc-preset");
}

function showPresetSource(form) {
  const select = presetSelect(form);
  if (!select) return;
  for (const s of form.querySelectorAll("[data-for-preset]")) s.hidden = s.dataset.forPreset !== select.value;
  form.dataset.preset = select.value === "custom" ? "" : select.value;
}

function choosePreset(form) {
  const option = presetSelect(form).selectedOptions[0];
  if (option?.dataset.values) {
    const values = JSON.parse(option.dataset.values);
    for (const el of fields(form)) if (el.name in values) el.value = values[el.name];
  }
  showPresetSource(form);
  request(form);
}

function markEdited(form) {
  const select = presetSelect(form);
  if (!select) return;
  const option = select.selectedOptions[0];
  const values = option?.dataset.values ? JSON.parse(option.dataset.values) : null;
  const same = values && [...fields(form)].every((el) => values[el.name] === el.value);
  if (!same && select.value !== "custom") {
    select.value = "custom";
    showPresetSource(form);
  }
}

// --------------------------------------------------------------------------------------------------------------

function bind(form) {
  if (form._calc) return;
  const initial = {};
  for (const out of form.querySelectorAll("output[name]")) {
    const shown = form.querySelector(`.calc-shown[data-shown-for="${CSS.escape(out.name)}"]`);
    const value = out.getAttribute("data-value");
    const box = out.closest(".calc-output");
    const formula = box?.querySelector(".calc-formula");
    const label = box?.querySelector(".calc-label-text");
    initial[out.name] = {
      text: out.textContent,
      value,
      shown: shown ? shown.textContent : "",
      formula: formula ? formula.textContent.slice(formula.dataset.prefix.length) : "",
      label: label ? label.textContent : "",
    };
  }
  form._calc = { requested: 0, tickets: 0, timer: 0, results: 0, initial };
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("input", (e) => {
    const el = e.target;
    if (!el.matches("[data-field]")) return;
    markEdited(form);
    if (engine.status === "failed") return;
    form.setAttribute("data-busy", "");
    form._calc.requested = 0; // an answer still on its way was computed from the fields before this change
    clearTimeout(form._calc.timer);
    // Numbers go to Python at once (it answers in well under a millisecond and stale answers are dropped);
    // a config.json being typed waits for a pause.
    form._calc.timer = setTimeout(() => request(form), el.dataset.type === "json" ? 250 : 0);
  });
  form.addEventListener("change", (e) => {
    if (e.target.matches("select.calc-preset")) choosePreset(form);
  });
  bindTools(form);
  if (engine.status === "failed") {
    showFailed(form);
    return;
  }
  setStatus(form, form.querySelector(".calc-status").dataset[engine.status === "ready" ? "msgLive" : "msgBooting"]);
  // The address may carry this form's inputs (a permalink): Python reads them first. Then the worker's first
  // answer turns the form live (and catches fields the browser restored).
  readLink(form).then(() => request(form));
  renderScenarios(form);
}

// --------------------------------------------------------------------------------------------------------------
// Permalinks: the inputs that differ from the page as built live in the query string
// (calculators/page/permalinks.py says why not the fragment, and decides everything about it: this only passes the
// strings).

function formIds() {
  return [...document.querySelectorAll("form.calc[id]")].map((f) => f.id);
}

function defaultOption(select) {
  const option = [...select.options].find((o) => o.defaultSelected) || select.options[0];
  return option ? option.value : "";
}

function builtValues(form) {
  const values = {};
  for (const el of fields(form)) values[el.name] = el.tagName === "SELECT" ? defaultOption(el) : el.defaultValue;
  return values;
}

function builtPreset(form) {
  const select = presetSelect(form);
  return select ? defaultOption(select) : "";
}

function pickerValue(form) {
  const select = presetSelect(form);
  return select ? select.value : "";
}

function showNotice(form, text) {
  const notice = form.querySelector(".calc-notice");
  if (!notice) return;
  notice.textContent = text || "";
  notice.hidden = !text;
}

function readLink(form) {
  const args = [form.dataset.calculator, form.id, location.search, formIds(), builtValues(form), builtPreset(form)];
  return call("read_permalink", args).then((r) => {
    if (!r?.ok || !form.isConnected) return;
    if (r.changed) {
      for (const el of fields(form)) if (el.name in r.values) el.value = r.values[el.name];
      const select = presetSelect(form);
      if (select && r.preset !== null) select.value = r.preset;
      showPresetSource(form);
    }
    showNotice(form, r.notice);
    form._calc.linked = true;
  });
}

// One address for all the forms of a page: each rewrite starts from the address as the previous one left it.
let linkChain = Promise.resolve();

// The address follows the forms once they settle (LINK_DELAY_MS after the last answer), not at every answer: each
// history.replaceState costs the page several milliseconds, which a drag of a slider would pay per step. "Copy
// link" writes what is pending first (flushLink).
const LINK_DELAY_MS = 250;
const linkPending = new Map(); // form -> its newest inputs, not yet in the address
let linkTimer = null;

function writeLink(form, inputs) {
  if (!form._calc.linked) return; // not before the address has been read
  linkPending.set(form, inputs);
  clearTimeout(linkTimer);
  linkTimer = setTimeout(flushLink, LINK_DELAY_MS);
}

function flushLink() {
  clearTimeout(linkTimer);
  linkTimer = null;
  for (const [form, inputs] of linkPending) writeLinkNow(form, inputs);
  linkPending.clear();
  return linkChain;
}

function writeLinkNow(form, inputs) {
  const path = location.pathname;
  const current = () => form.isConnected && location.pathname === path;
  linkChain = linkChain
    .then(() => {
      if (!current()) return null;
      const args = [
        form.dataset.calculator,
        form.id,
        location.search,
        formIds(),
        inputs,
        pickerValue(form),
        builtValues(form),
        builtPreset(form),
      ];
      return call("write_permalink", args);
    })
    .then((r) => {
      if (r?.ok && current() && r.search !== location.search)
        history.replaceState(history.state, "", location.pathname + r.search + location.hash);
    });
}

// --------------------------------------------------------------------------------------------------------------
// Tools: copy link, reset, downloads, the CLI command, config files, scenarios. Python writes every text.

function toolMessage(form, selector, text) {
  const p = form.querySelector(selector);
  if (p) p.textContent = text || "";
}

function copyText(form, text, okMessage) {
  const tools = form.querySelector(".calc-tools");
  const done = (msg) => toolMessage(form, ".calc-tool-message", msg);
  if (!navigator.clipboard?.writeText) {
    done(tools.dataset.msgCopyFailed);
    return Promise.resolve();
  }
  return navigator.clipboard.writeText(text).then(
    () => done(okMessage),
    () => done(tools.dataset.msgCopyFailed),
  );
}

function download(filename, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function resetForm(form) {
  form.reset(); // every field (and the picker) back to the values the page was built with
  showPresetSource(form);
  showNotice(form, "");
  toolMessage(form, ".calc-tool-message", "");
  const cli = form.querySelector(".calc-cli");
  if (cli) cli.hidden = true;
  request(form);
}

const actions = {
  "copy-link": (form) =>
    flushLink().then(() => copyText(form, location.href, form.querySelector(".calc-tools").dataset.msgCopied)),
  reset: resetForm,
  published: resetForm, // the prose note's "Back to the published figures" (calc-reader.js)
  "export-csv": (form) => exportAs(form, "csv"),
  "export-json": (form) => exportAs(form, "json"),
  "copy-cli": (form) =>
    call("cli_command", [form.dataset.calculator, inputsOf(form), pickerValue(form)]).then((r) => {
      if (!r) return;
      if (!r.ok) return toolMessage(form, ".calc-tool-message", r.message);
      const box = form.querySelector(".calc-cli");
      box.querySelector(".calc-cli-command").textContent = r.command;
      box.querySelector(".calc-cli-note").textContent = r.note;
      box.hidden = false;
      return copyText(form, r.command, form.querySelector(".calc-tools").dataset.msgCliCopied);
    }),
  keep: (form) => {
    const name = form.querySelector(".calc-scenario-name");
    const list = loadScenarios(form.dataset.calculator);
    const args = [form.dataset.calculator, name.value, inputsOf(form), pickerValue(form), list.length];
    return call("keep", args).then((r) => addScenario(form, r, () => (name.value = "")));
  },
  baseline: (form) => {
    const list = loadScenarios(form.dataset.calculator);
    return call("baseline", [form.dataset.calculator, list.length]).then((r) => addScenario(form, r));
  },
  "clear-scenarios": (form) => {
    saveScenarios(form.dataset.calculator, []);
    toolMessage(form, ".calc-scenario-message", "");
  },
  remove: (form, button) => {
    const list = loadScenarios(form.dataset.calculator);
    list.splice(Number(button.dataset.index), 1);
    saveScenarios(form.dataset.calculator, list);
  },
};

function exportAs(form, kind) {
  return call("export", [form.dataset.calculator, inputsOf(form), pickerValue(form), kind]).then((r) => {
    if (!r) return;
    if (r.ok) download(r.filename, r.mime, r.text);
    toolMessage(form, ".calc-tool-message", r.message);
  });
}

function bindTools(form) {
  form.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button || !form.contains(button) || form.dataset.state !== "live") return;
    e.preventDefault();
    const act = actions[button.dataset.action];
    if (act) act(form, button);
  });
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.matches(".calc-scenario-name")) {
      e.preventDefault();
      if (form.dataset.state === "live") actions.keep(form);
    }
  });
  for (const area of form.querySelectorAll('textarea[data-type="json"]')) bindFile(area);
}

// A config.json file, dropped on its field or picked: read as text into the field, nothing else (Python parses).
function bindFile(area) {
  const field = area.closest(".calc-field") || area;
  const picker = field.querySelector('input[type="file"]');
  const limit = picker ? Number(picker.dataset.maxBytes) : 2_000_000;
  const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes("Files");
  const load = (file) => {
    if (!file) return;
    file
      .slice(0, limit)
      .text()
      .then((text) => {
        area.value = text;
        area.dispatchEvent(new Event("input", { bubbles: true }));
      });
  };
  field.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    field.setAttribute("data-drop", "");
  });
  field.addEventListener("dragleave", () => field.removeAttribute("data-drop"));
  field.addEventListener("drop", (e) => {
    const file = e.dataTransfer?.files?.[0];
    field.removeAttribute("data-drop");
    if (!file) return;
    e.preventDefault();
    load(file);
  });
  if (picker)
    picker.addEventListener("change", () => {
      load(picker.files?.[0]);
      picker.value = "";
    });
}

// Scenarios: kept per calculator in localStorage (in memory where storage is off); Python checks them again
// whenever it compares them, so a stored scenario is never trusted.
const memoryStore = {};

function loadScenarios(name) {
  let text = memoryStore[name] || null;
  try {
    text = localStorage.getItem(`calc-scenarios:${name}`) ?? text;
  } catch {
    // storage disabled: memory only
  }
  try {
    const list = JSON.parse(text || "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function saveScenarios(name, list) {
  const text = JSON.stringify(list);
  memoryStore[name] = text;
  try {
    localStorage.setItem(`calc-scenarios:${name}`, text);
  } catch {
    // storage disabled or full: memory only
  }
  for (const form of document.querySelectorAll("form.calc")) {
    if (form._calc && form.dataset.calculator === name) renderScenarios(form);
  }
}

function addScenario(form, r, then) {
  if (!r) return;
  toolMessage(form, ".calc-scenario-message", r.message);
  if (!r.ok) return;
  const list = loadScenarios(form.dataset.calculator);
  list.push(r.scenario);
  saveScenarios(form.dataset.calculator, list);
  if (then) then();
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function renderScenarios(form) {
  const box = form.querySelector(".calc-compare");
  if (!box) return;
  const list = loadScenarios(form.dataset.calculator);
  const section = box.closest(".calc-scenarios");
  section.toggleAttribute("data-empty", list.length === 0);
  form._calc.compareTicket = (form._calc.compareTicket || 0) + 1;
  const ticket = form._calc.compareTicket;
  if (list.length === 0) {
    box.replaceChildren();
    return;
  }
  call("compare", [form.dataset.calculator, list]).then((r) => {
    if (!r?.ok || !form.isConnected || form._calc.compareTicket !== ticket) return;
    box.replaceChildren(compareTable(r));
  });
}

function compareTable(r) {
  const table = element("table", undefined, "calc-compare-table");
  table.appendChild(element("caption", r.legend));
  const head = element("tr");
  head.appendChild(element("th", r.corner)).scope = "col";
  r.columns.forEach((column, index) => {
    const th = element("th");
    th.scope = "col";
    th.appendChild(element("span", column.label, "calc-compare-label"));
    const remove = element("button", r.remove, "calc-button calc-button--small");
    remove.type = "button";
    remove.dataset.action = "remove";
    remove.dataset.index = String(index);
    remove.setAttribute("aria-label", r.remove_label[index]);
    th.appendChild(remove);
    if (column.error) th.appendChild(element("small", column.error, "calc-error"));
    head.appendChild(th);
  });
  table.appendChild(element("thead")).appendChild(head);
  const body = element("tbody");
  for (const row of r.rows) {
    const tr = element("tr", undefined, `calc-compare-${row.section}`);
    if (row.section === "heading") {
      const th = element("th", row.label);
      th.colSpan = row.span;
      th.scope = "colgroup";
      tr.appendChild(th);
    } else {
      if (row.differs) tr.setAttribute("data-differs", "");
      tr.dataset.name = row.name;
      const th = element("th", row.label);
      th.scope = "row";
      tr.appendChild(th);
      for (const text of row.texts) tr.appendChild(element("td", text));
    }
    body.appendChild(tr);
  }
  table.appendChild(body);
  return table;
}

function bindAll() {
  const forms = document.querySelectorAll("form.calc");
  if (forms.length === 0) return; // no calculator here: no worker, no Pyodide bytes
  startEngine();
  forms.forEach(bind);
}

// For scripts/bench and the tests: how long Python took to start, once it has.
window.calculators = {
  call,
  request,
  get status() {
    return engine.status;
  },
  get bootMs() {
    return engine.ms;
  },
  get bootPhases() {
    return engine.phases;
  },
  get bootPath() {
    return engine.path; // "snapshot" or "boot"
  },
  get fallback() {
    return engine.fallback; // why a snapshot was not used, when one was tried
  },
  get reason() {
    return engine.reason;
  },
};

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(bindAll); // Material's instant navigation: runs for every page shown
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", bindAll);
} else {
  bindAll();
}
