// Page charts: draws the figures (figure.calc-chart) inside a calculator's form, from data Python computes.
//
// After every answer for a form, calc.js fires `calc:result` on it (detail {result, inputs}). For each chart figure
// in that form this script asks the same worker for calculators.page.charts.chart_data(name, inputs, preset, index)
// (through window.calculators.call("chart", ...)) and hands the answer to Chart.js. Like calc.js it holds no
// arithmetic and formats no number: bar ends, points, axis limits, tick positions and every text (tick labels,
// category labels, tooltips, the canvas's description, the table) come from Python.
//
// Chart.js is vendored (docs/hooks/runtime.py copies it to assets/vendor/) and added to a page only when the page
// has a chart figure: pages without one never download it. The figure's pre-rendered <table class="calc-chart-table">
// (the data as text) stays for screen readers and without JavaScript; once a chart is drawn it is visually hidden
// (calc-charts.css) and kept in step with the chart.
//
// figure[data-state]: "static" (pre-rendered table only), "drawn", "cleared" (the form's inputs are invalid: no
// chart), "error" (the library could not load: the table stays). figure[data-drawn] counts the draws.

const here = new URL(import.meta.url);
const build = here.searchParams.get("v") || "";
const libraryURL = new URL(`vendor/chart.umd.min.js${build ? `?v=${encodeURIComponent(build)}` : ""}`, here).href;
const FIGURES = "figure.calc-chart[data-chart]";

let library = null;

function loadLibrary() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!library) {
    library = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = libraryURL;
      script.async = true;
      script.dataset.calcVendor = "chart.js";
      script.addEventListener("load", () =>
        window.Chart ? resolve(window.Chart) : reject(new Error("the chart library did not define Chart")),
      );
      script.addEventListener("error", () => reject(new Error("the chart library could not be downloaded")));
      document.head.appendChild(script);
    });
    library.catch(() => (library = null)); // a later page may try again
  }
  return library;
}

// --------------------------------------------------------------------------------------------------------------
// Per-figure state

const live = new Set(); // figures with a state (to redraw on a palette change, to free charts on navigation)

function stateOf(figure) {
  if (!figure._calcChart) {
    figure._calcChart = { chart: null, data: null, requested: 0, tickets: 0, draws: 0 };
    live.add(figure);
  }
  return figure._calcChart;
}

function forget(figure) {
  const st = figure._calcChart;
  if (st?.chart) st.chart.destroy();
  if (st) st.chart = null;
  live.delete(figure);
}

// --------------------------------------------------------------------------------------------------------------
// Colours: Material's palette (its CSS custom properties), plus the chart colours calc-charts.css derives from it

function palette(figure) {
  const css = getComputedStyle(figure);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    fg: v("--md-default-fg-color"),
    muted: v("--md-default-fg-color--light"),
    grid: v("--md-default-fg-color--lightest"),
    bg: v("--md-default-bg-color"),
    font: css.fontFamily,
    series: [1, 2, 3, 4, 5, 6].map((k) => v(`--calc-chart-${k}`)),
    low: v("--calc-chart-low"),
    high: v("--calc-chart-high"),
    increase: v("--calc-chart-increase"),
    decrease: v("--calc-chart-decrease"),
    total: v("--calc-chart-total"),
  };
}

// --------------------------------------------------------------------------------------------------------------
// Chart.js configuration from Python's data (no numbers made here)

function valueScale(axis, title, colors) {
  const texts = new Map(axis.ticks.map((t) => [t.value, t.text]));
  return {
    type: axis.scale,
    min: axis.min,
    max: axis.max,
    // the ticks are exactly Python's: positions and texts
    afterBuildTicks: (scale) => {
      scale.ticks = axis.ticks.map((t) => ({ value: t.value }));
    },
    ticks: {
      callback: (value) => (texts.has(value) ? texts.get(value) : ""),
      color: colors.muted,
      autoSkip: false,
      maxRotation: 0,
    },
    grid: { color: colors.grid },
    border: { color: colors.grid },
    title: { display: Boolean(title), text: title, color: colors.fg },
  };
}

function categoryScale(title, colors) {
  return {
    type: "category",
    ticks: { color: colors.fg, autoSkip: false, maxRotation: 0 },
    grid: { display: false },
    border: { color: colors.grid },
    title: { display: Boolean(title), text: title, color: colors.fg },
  };
}

function configFor(data, colors) {
  const horizontal = data.index_axis === "y";
  const scales = {};
  for (const key of ["x", "y"]) {
    const axis = data.axes[key];
    const title = key === "x" ? data.x_label : data.y_label;
    scales[key] = axis.scale === "category" ? categoryScale(title, colors) : valueScale(axis, title, colors);
  }
  const series = data.series;
  const tooltip = {
    callbacks: {
      title: (items) => (items.length ? data.labels[items[0].dataIndex] : ""),
      label: (item) => series[item.datasetIndex].tooltips[item.dataIndex],
    },
  };
  let type;
  let datasets;
  let legend = true;
  let interaction = { mode: "nearest", intersect: true };
  if (data.kind === "sweep") {
    type = "line";
    interaction = { mode: "index", intersect: false };
    datasets = series.map((s, k) => {
      const color = colors.series[k % colors.series.length];
      return {
        label: s.name,
        data: s.values.map((y, j) => ({ x: data.x_values[j], y })),
        borderColor: color,
        backgroundColor: color,
        borderWidth: k === 0 ? 3 : 2,
        borderDash: k === 0 ? [] : [6, 4],
        // a dot where the form's own value lies on the line
        pointRadius: s.values.map((_, j) => (j === data.current_index && k === 0 ? 5 : 0)),
        pointHoverRadius: 5,
        tension: 0,
      };
    });
  } else if (data.kind === "tornado") {
    type = "bar";
    datasets = series.map((s) => ({
      label: s.name,
      data: s.bars,
      backgroundColor: s.role === "low" ? colors.low : colors.high,
      borderColor: s.role === "low" ? colors.low : colors.high,
      grouped: false, // both ends of an input's range on one row, either side of the value at the inputs above
      barPercentage: 0.9,
      categoryPercentage: 0.8,
    }));
  } else {
    type = "bar";
    legend = false;
    datasets = series.map((s) => ({
      label: s.name,
      data: s.bars,
      backgroundColor: s.roles.map((r) => colors[r]),
      borderColor: s.roles.map((r) => colors[r]),
      barPercentage: 0.9,
      categoryPercentage: 0.9,
    }));
  }
  return {
    type,
    data: { labels: data.label_lines || data.labels, datasets },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      color: colors.fg,
      font: { family: colors.font },
      interaction,
      scales,
      plugins: {
        legend: {
          display: legend,
          labels: { color: colors.fg, usePointStyle: data.kind === "sweep", pointStyle: "line" },
        },
        tooltip,
      },
    },
  };
}

// --------------------------------------------------------------------------------------------------------------
// Drawing

function fillTable(figure, table) {
  const el = figure.querySelector("table.calc-chart-table");
  if (!el || !table) return;
  let head = el.tHead;
  if (!head) head = el.createTHead();
  head.replaceChildren();
  const hr = head.insertRow();
  for (const c of table.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    hr.appendChild(th);
  }
  const body = el.tBodies[0] || el.createTBody();
  for (const extra of [...el.tBodies].slice(1)) extra.remove();
  body.replaceChildren();
  for (const row of table.rows) {
    const tr = body.insertRow();
    row.forEach((text, k) => {
      const cell = document.createElement(k === 0 ? "th" : "td");
      if (k === 0) cell.scope = "row";
      cell.textContent = text;
      tr.appendChild(cell);
    });
  }
}

function draw(figure, data, Chart) {
  const st = stateOf(figure);
  const box = figure.querySelector(".calc-chart-canvas");
  if (!box) return;
  let canvas = box.querySelector("canvas");
  if (!canvas) {
    canvas = document.createElement("canvas");
    box.appendChild(canvas);
  }
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", data.summary);
  box.style.setProperty("--calc-chart-rows", String(data.labels.length));
  const config = configFor(data, palette(figure));
  figure.dataset.state = "drawn"; // first: the canvas's box is shown only in this state, and Chart.js measures it
  if (st.chart && st.chart.canvas === canvas && st.chart.config.type === config.type) {
    st.chart.data = config.data;
    st.chart.options = config.options;
    st.chart.update();
  } else {
    if (st.chart) st.chart.destroy();
    st.chart = new Chart(canvas, config);
  }
  st.data = data;
  st.draws += 1;
  fillTable(figure, data.table);
  figure.dataset.drawn = String(st.draws);
  figure.removeAttribute("data-busy");
}

function clear(figure) {
  const st = stateOf(figure);
  if (st.chart) st.chart.destroy();
  st.chart = null;
  st.data = null;
  const canvas = figure.querySelector(".calc-chart-canvas canvas");
  if (canvas) canvas.remove();
  fillTable(figure, { columns: [], rows: [] }); // no stale numbers beside an invalid input
  figure.dataset.state = "cleared";
  figure.removeAttribute("data-busy");
}

// One chart request per figure at a time, and none for a figure nobody can see. The worker answers one call at a
// time, so a chart's work (a tornado runs the calculator many times) delays the form's next numbers: while a
// request is out, later answers only replace `st.next` and the newest is sent when it returns; a figure in a closed
// disclosure keeps the newest answer in `st.next` and asks for its chart when the disclosure opens.
function update(form, figure, result, inputs) {
  const st = stateOf(figure);
  const ticket = ++st.tickets;
  st.requested = ticket;
  st.next = null;
  if (!result?.ok) {
    clear(figure);
    return;
  }
  figure.setAttribute("data-busy", "");
  if (st.inflight || figure.closest("details:not([open])")) {
    st.next = { form, result, inputs };
    return;
  }
  st.inflight = true;
  const index = Number.parseInt(figure.dataset.chart, 10);
  const args = [form.dataset.calculator, inputs, form.dataset.preset || null, index];
  const settle = () => {
    st.inflight = false;
    const next = st.next;
    if (next && figure.isConnected && !figure.closest("details:not([open])"))
      update(next.form, figure, next.result, next.inputs);
  };
  Promise.all([window.calculators.call("chart", args), loadLibrary()]).then(
    ([data, Chart]) => {
      if (st.requested === ticket && figure.isConnected && data) {
        if (data.ok) draw(figure, data, Chart);
        else clear(figure);
      } // else a newer answer has come (st.next) or none
      settle();
    },
    (e) => {
      if (st.requested === ticket) {
        figure.dataset.state = "error";
        figure.dataset.reason = String(e?.message || e);
        figure.removeAttribute("data-busy");
      }
      settle();
    },
  );
}

// A disclosure opened: its figures ask for the chart of the newest answer they were given.
document.addEventListener(
  "toggle",
  (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open) return;
    for (const figure of details.querySelectorAll(FIGURES)) {
      const st = figure._calcChart;
      if (st?.next && !st.inflight) update(st.next.form, figure, st.next.result, st.next.inputs);
    }
  },
  true,
);

// --------------------------------------------------------------------------------------------------------------

document.addEventListener("calc:result", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !window.calculators) return;
  const figures = form.querySelectorAll(FIGURES);
  if (figures.length === 0) return;
  const { result, inputs } = event.detail || {};
  for (const figure of figures) update(form, figure, result, inputs);
});

function redrawAll() {
  if (!window.Chart) return;
  for (const figure of live) {
    const st = figure._calcChart;
    if (figure.isConnected && st?.data) draw(figure, st.data, window.Chart);
  }
}

function onPage() {
  for (const figure of [...live]) if (!figure.isConnected) forget(figure); // left behind by instant navigation
  const figures = document.querySelectorAll(FIGURES);
  if (figures.length === 0) return; // no chart here: the library is not downloaded
  for (const figure of figures) if (!figure.dataset.state) figure.dataset.state = "static";
  loadLibrary().catch(() => {}); // fetch it while Python starts
}

// Material's palette toggle (and its "follow the system" mode) sets these on <body>: redraw in the new colours.
new MutationObserver(redrawAll).observe(document.body, {
  attributes: true,
  attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"],
});

window.calcCharts = {
  // For the tests: the data Python sent for a figure, and the chart drawn from it.
  dataOf: (figure) => (figure._calcChart ? figure._calcChart.data : null),
  chartOf: (figure) => (figure._calcChart ? figure._calcChart.chart : null),
  get loaded() {
    return Boolean(window.Chart);
  },
};

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(onPage); // Material's instant navigation: runs for every page shown
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", onPage);
} else {
  onPage();
}
