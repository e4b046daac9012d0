// Live calculators: binds every <form class="calc"> (rendered, with its numbers, by docs/hooks/calculators.py) to
// one Pyodide worker for the whole visit. This file moves strings between the form and Python; it holds no
// arithmetic and no number formatting. Every text it shows comes from Python or from the form's data-msg-*.
//
// States (form[data-state]): "static" (pre-rendered numbers), "live" (the worker has answered for this form),
// "error" (Python could not start: the pre-rendered numbers stay, the fields go back to their values and lock).
// While a change waits for its answer the form has [data-busy]; while Python rejects an input, [data-invalid].

const build = new URL(import.meta.url).searchParams.get("v") || "";
const workerURL = new URL("calc-worker.js" + (build ? "?v=" + encodeURIComponent(build) : ""), import.meta.url);

const engine = { worker: null, status: "idle", reason: "", ms: null, phases: null };
const waiting = new Map(); // request id -> resolve
let lastId = 0;

// Call calculators.web.API[fn](*args) in the worker; resolves with its result (null if Python cannot start).
function call(fn, args) {
  if (engine.status === "failed") return Promise.resolve(null);
  startEngine();
  const id = ++lastId;
  const answer = new Promise((resolve) => waiting.set(id, resolve));
  engine.worker.postMessage({ id, fn, args });
  return answer;
}

function startEngine() {
  if (engine.worker || engine.status === "failed") return;
  engine.status = "booting";
  performance.mark("calc-boot-start");
  try {
    engine.worker = new Worker(workerURL, { type: "module", name: "calculators" });
  } catch (e) {
    fail(String((e && e.message) || e));
    return;
  }
  engine.worker.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === "ready") {
      engine.status = "ready";
      engine.ms = msg.ms;
      engine.phases = msg.phases;
      performance.mark("calc-ready");
    } else if (msg.type === "failed") {
      fail(msg.reason);
    } else if (msg.type === "result") {
      const resolve = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (resolve) resolve(msg.result);
    }
  };
  engine.worker.onerror = (event) => {
    if (event.preventDefault) event.preventDefault();
    fail(event.message || "the worker script could not be loaded");
  };
}

function fail(reason) {
  if (engine.status === "failed") return;
  engine.status = "failed";
  engine.reason = reason || "unknown error";
  for (const resolve of waiting.values()) resolve(null);
  waiting.clear();
  if (engine.worker) engine.worker.terminate();
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
  const byName = {};
  for (const el of fields(form)) {
    byName[el.name] = el;
    el.removeAttribute("aria-invalid");
    const err = form.querySelector("#" + CSS.escape(el.id + "-error"));
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
    } else {
      out.textContent = "";
      out.removeAttribute("data-value");
      if (shown) shown.textContent = "";
    }
  }
  const status = form.querySelector(".calc-status");
  form.toggleAttribute("data-invalid", !result.ok);
  // Page features (permalinks, charts, exports) listen for this; they read, never rewrite, the numbers.
  form.dispatchEvent(new CustomEvent("calc:result", { bubbles: true, detail: { result, inputs } }));
  if (result.ok) {
    setStatus(form, status.dataset.msgLive);
    return;
  }
  const general = [];
  for (const e of result.errors) {
    const el = byName[e.field];
    const err = el && form.querySelector("#" + CSS.escape(el.id + "-error"));
    if (err) {
      el.setAttribute("aria-invalid", "true");
      err.textContent = el.dataset.label + " " + e.message;
      err.hidden = false;
    } else {
      general.push(e.message);
    }
  }
  setStatus(form, [status.dataset.msgInvalid, ...general].join(" "));
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
  }
  for (const el of fields(form)) {
    el.removeAttribute("aria-invalid");
    const err = form.querySelector("#" + CSS.escape(el.id + "-error"));
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
  if (option && option.dataset.values) {
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
  const values = option && option.dataset.values ? JSON.parse(option.dataset.values) : null;
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
    initial[out.name] = { text: out.textContent, value, shown: shown ? shown.textContent : "" };
  }
  form._calc = { requested: 0, tickets: 0, timer: 0, initial };
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("input", (e) => {
    const el = e.target;
    if (!el.matches("[data-field]")) return;
    markEdited(form);
    if (engine.status === "failed") return;
    form.setAttribute("data-busy", "");
    clearTimeout(form._calc.timer);
    form._calc.timer = setTimeout(() => request(form), el.dataset.type === "json" ? 250 : 80);
  });
  form.addEventListener("change", (e) => {
    if (e.target.matches("select.calc-preset")) choosePreset(form);
  });
  if (engine.status === "failed") {
    showFailed(form);
    return;
  }
  setStatus(form, form.querySelector(".calc-status").dataset[engine.status === "ready" ? "msgLive" : "msgBooting"]);
  request(form); // the worker's first answer turns the form live (and catches fields the browser restored)
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
