// The reader's side of a calculator form (docs/overrides/partials/calc/form.html), beside calc.js, which owns the
// worker and the answers. Like calc.js it holds no arithmetic and formats no number; every text it shows comes
// from Python (an answer, a stop's text, an output's label) or from the page's HTML.
//
// - Sliders: a key input's slider moves through the stops Python wrote (data-stops, field texts); moving it copies
//   the stop's text into the paired number box and lets calc.js recompute. Each answer says where every slider
//   sits for the fields as they are (result.positions), so a typed number moves the slider too.
// - One announcement per change: the form's one live region (.calc-announce) reads the headline results once the
//   answer to a committed change is shown (a `change` event: Enter, leaving the field, releasing the slider, a
//   preset, reset), never on every keystroke. Outputs themselves are not live regions (aria-live="off").
// - Inline values that follow the form: a span.calc-value computed for what the form was built for (same
//   data-given) and not pinned shows the form's answer; while it differs from the published figure it is marked as
//   the reader's scenario and the form's note (.calc-prose-note) offers one control back to the published figures.
// - A field Python rejects inside a closed disclosure ("All inputs") is shown: the disclosure opens.
//
// calc.js fires `calc:result` (detail {result, inputs, seq}) after it has shown an answer; this file listens.

const SLIDER = "input.calc-slider[data-stops]";

function stopsOf(slider) {
  if (!slider._stops) slider._stops = JSON.parse(slider.dataset.stops);
  return slider._stops;
}

function boxOf(slider) {
  return document.getElementById(slider.dataset.for);
}

function describe(slider, box) {
  const unit = slider.dataset.unit;
  slider.setAttribute("aria-valuetext", unit ? `${box.value} ${unit}` : box.value);
}

function slide(slider) {
  const box = boxOf(slider);
  const text = stopsOf(slider)[Number(slider.value)];
  if (!box || text === undefined || box.value === text) return;
  box.value = text;
  describe(slider, box);
  box.dispatchEvent(new Event("input", { bubbles: true }));
}

function placeSliders(form, positions) {
  for (const slider of form.querySelectorAll(SLIDER)) {
    const box = boxOf(slider);
    if (!box) continue;
    const k = positions ? positions[box.name] : undefined;
    if (k !== undefined && String(k) !== slider.value) slider.value = String(k);
    describe(slider, box);
  }
}

// --------------------------------------------------------------------------------------------------------------
// Announcements

function state(form) {
  if (!form._reader) form._reader = { pending: false };
  return form._reader;
}

function announce(form, result) {
  const region = form.querySelector(".calc-announce");
  if (!region) return;
  let text;
  if (result?.ok) {
    const parts = [];
    for (const box of form.querySelectorAll(".calc-headline .calc-output")) {
      const label = box.querySelector(".calc-label-text");
      const out = box.querySelector("output");
      if (label && out?.textContent) parts.push(`${label.textContent}: ${out.textContent}`);
    }
    text = parts.join("; ");
  } else {
    const status = form.querySelector(".calc-status");
    text = status ? status.textContent : "";
  }
  region.textContent = text;
  form.dataset.announced = String(Number(form.dataset.announced || 0) + 1);
}

function committed(form) {
  if (form.dataset.state !== "live") return;
  const st = state(form);
  if (form.hasAttribute("data-busy")) st.pending = true;
  else {
    st.pending = false;
    announce(form, st.last);
  }
}

// --------------------------------------------------------------------------------------------------------------
// Inline values that follow a form

function followers(form) {
  const given = form.dataset.given;
  if (given === undefined) return [];
  const first = [...document.querySelectorAll("form.calc[data-calculator]")].find(
    (f) => f.dataset.calculator === form.dataset.calculator && f.dataset.given === given,
  );
  if (first !== form) return []; // one form leads the prose: the first built for the same inputs
  return [...document.querySelectorAll("span.calc-value[data-output]:not([data-pinned])")].filter(
    (s) => s.dataset.calculator === form.dataset.calculator && s.dataset.given === given,
  );
}

function published(span) {
  if (!span._published) {
    span._published = {
      nodes: [...span.childNodes].map((n) => n.cloneNode(true)),
      text: span.textContent,
      value: span.getAttribute("data-value"),
      title: span.getAttribute("title"),
    };
  }
  return span._published;
}

function restore(span) {
  const p = published(span);
  if (!span.classList.contains("calc-value--reader")) return;
  span.replaceChildren(...p.nodes.map((n) => n.cloneNode(true)));
  span.setAttribute("data-value", p.value);
  if (p.title !== null) span.setAttribute("title", p.title);
  span.classList.remove("calc-value--reader");
  span.removeAttribute("aria-describedby");
}

function follow(form, result) {
  const spans = followers(form);
  const note = form.querySelector(".calc-prose-note");
  let marked = 0;
  for (const span of spans) {
    const p = published(span);
    const o = result?.ok ? result.outputs[span.dataset.output] : null;
    if (!o || o.text === p.text) {
      restore(span); // the published figure (also while an input is invalid: never a stale number)
      continue;
    }
    span.textContent = o.text;
    span.setAttribute("data-value", o.raw);
    span.setAttribute("title", o.shown ? `${o.label}: ${o.shown}` : o.label);
    span.classList.add("calc-value--reader");
    if (note) span.setAttribute("aria-describedby", note.id);
    marked += 1;
  }
  if (spans.length) form.dataset.following = String(marked);
  if (note) note.hidden = marked === 0;
}

// --------------------------------------------------------------------------------------------------------------

function showRejected(form) {
  for (const el of form.querySelectorAll('[data-field][aria-invalid="true"]')) {
    for (let d = el.closest("details:not([open])"); d; d = d.parentElement.closest("details:not([open])")) {
      d.open = true;
    }
  }
}

document.addEventListener("calc:result", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("form.calc")) return;
  const { result } = event.detail || {};
  const st = state(form);
  st.last = result;
  placeSliders(form, result?.ok ? result.positions : null);
  if (result && !result.ok) showRejected(form);
  follow(form, result);
  if (st.pending && !form.hasAttribute("data-busy")) {
    st.pending = false;
    announce(form, result);
  }
});

document.addEventListener("input", (event) => {
  const el = event.target;
  if (el instanceof HTMLInputElement && el.matches(SLIDER)) slide(el);
});

document.addEventListener("change", (event) => {
  const el = event.target;
  const form = el.closest ? el.closest("form.calc") : null;
  if (!form) return;
  if (el.matches(SLIDER) || el.matches("[data-field]") || el.matches("select.calc-preset")) committed(form);
});

document.addEventListener("click", (event) => {
  const button = event.target.closest ? event.target.closest("button[data-action]") : null;
  const form = button ? button.closest("form.calc") : null;
  if (!form) return;
  const action = button.dataset.action;
  if (action === "reset" || action === "published") {
    state(form).pending = true; // calc.js recomputes; the answer is announced
  }
  const menu = button.closest("details.calc-menu");
  if (menu) menu.open = false;
});

// Escape closes an open menu (Export) and puts the focus back on its summary.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = event.target.closest ? event.target.closest("details.calc-menu[open]") : null;
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
