// The calculators' live mode: Pyodide in a module Web Worker, one per visit (started by calc.js).
// It loads the project's wheel from the site's own copy of Pyodide (assets/pyodide/, registered in its
// pyodide-lock.json at build time) and answers each request through calculators.page.api.call. Nothing else:
// no arithmetic and no formatting here; every string it returns was written by Python.
//
// in:  {id, fn, args}: calls calculators.page.api.API[fn](*args) (fn "compute": [name, {field: string}, preset|null])
// out: {type: "ready", ms, phases: {runtime, wheel, imports}} | {type: "failed", reason} | {type: "result", id, result}
//      result for compute = {ok, outputs: {name: {value, raw, text, shown, formula, label}},
//                            errors: [{field, message}]}

const here = new URL(import.meta.url);
const build = here.searchParams.get("v") || "";
const indexURL = new URL("pyodide/", here).href;

// The Python that answers each request; docs/hooks/runtime.py (BRIDGE) writes it here at build time, and the build
// renders the static numbers with the same code, so pre-rendered and live strings are identical.
const BRIDGE = "__CALC_BRIDGE__";

// A runtime file that fails to download (blocked, offline, 404) must end in "failed", not in a boot that never
// finishes: Pyodide does not always reject when its .wasm cannot be fetched. Watch every fetch the worker makes.
let failDownload;
const downloadFailed = new Promise((_, reject) => (failDownload = reject));
const realFetch = self.fetch.bind(self);
self.fetch = async (resource, init) => {
  const url = String((resource && resource.url) || resource);
  let response;
  try {
    response = await realFetch(resource, init);
  } catch (e) {
    failDownload(new Error(`could not download ${url.split("/").pop()} (${(e && e.message) || e})`));
    throw e;
  }
  if (!response.ok) failDownload(new Error(`could not download ${url.split("/").pop()} (HTTP ${response.status})`));
  return response;
};

async function boot() {
  const t0 = performance.now();
  const problems = [];
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: indexURL + "pyodide-lock.json" + (build ? "?v=" + encodeURIComponent(build) : ""),
    stdout: () => {},
    stderr: (line) => problems.push(line),
  });
  const t1 = performance.now();
  await pyodide.loadPackage("why-r1-calculators", {
    messageCallback: () => {},
    errorCallback: (line) => problems.push(line),
  });
  const t2 = performance.now();
  try {
    pyodide.runPython(BRIDGE);
  } catch (e) {
    throw new Error((problems.join(" ") || String(e)).slice(0, 300));
  }
  const call = pyodide.globals.get("calc_call");
  const t3 = performance.now();
  const phases = { runtime: Math.round(t1 - t0), wheel: Math.round(t2 - t1), imports: Math.round(t3 - t2) };
  return { call, ms: Math.round(t3 - t0), phases };
}

const engine = Promise.race([boot(), downloadFailed]);
engine.then(
  ({ ms, phases }) => postMessage({ type: "ready", ms, phases }),
  (e) => postMessage({ type: "failed", reason: String((e && e.message) || e).slice(0, 300) }),
);

self.onmessage = async (event) => {
  const { id, fn, args } = event.data;
  let call;
  try {
    ({ call } = await engine);
  } catch {
    return; // "failed" was posted once; the page has switched to its static numbers
  }
  try {
    const out = call(fn, JSON.stringify(args));
    postMessage({ type: "result", id, result: JSON.parse(out) });
  } catch (e) {
    const message = String((e && e.message) || e).split("\n").slice(-2).join(" "); // a Python traceback's last line
    postMessage({ type: "result", id, result: { ok: false, outputs: {}, errors: [{ field: "", message }] } });
  }
};
