// The calculators' live mode: Pyodide in a module Web Worker, one per visit (started by calc-boot.js).
// It boots the site's own copy of Pyodide (npm's runtime files, the standard library trimmed to what the calculators
// import, the project's wheel; docs/hooks/runtime.py writes their addresses into RUNTIME at build time) and answers
// each request through calculators.page.api.call. Nothing else: no arithmetic and no formatting here; every string
// it returns was written by Python.
//
// in:  {type: "start", files: [names], runtime: "auto" | "snapshot" | "boot", prefetch: bool}, first, from the page:
//        files: which of RUNTIME's wasm, stdlib and wheel the page fetches itself (consuming its preload hints) and
//        hands over as {type: "file", name, body: ReadableStream, status} (or {type: "file", name, error});
//        runtime: "snapshot" boots from the build's memory snapshot, "boot" never does, "auto" does when the
//        browser already holds it (a cache-only fetch: no download); prefetch: once live, fetch the snapshot into
//        the HTTP cache for later visits (the page asks for it on a returning reader's visit);
//      then {id, fn, args}: calls calculators.page.api.API[fn](*args) (fn "compute": [name, {field: string}, preset])
// out: {type: "ready", ms, phases: {runtime, wheel, imports}, path: "snapshot" | "boot", fallback: reason | null}
//      | {type: "failed", reason} | {type: "result", id, result}
//      result for compute = {ok, outputs: {name: {value, raw, text, shown, formula, label}},
//                            errors: [{field, message}]}
// The snapshot is checked (its integrity hash, Pyodide's build id, and one answer compared with CPython's, RUNTIME.check);
// any failure boots normally instead and says why in ready.fallback.

const here = new URL(import.meta.url);
const RUNTIME = "__CALC_RUNTIME__";
// The Python that answers each request; docs/hooks/runtime.py (BRIDGE) writes it here at build time, and the build
// renders the static numbers with the same code, so pre-rendered and live strings are identical.
const BRIDGE = "__CALC_BRIDGE__";
const address = (path) => new URL(path, here).href;
const indexURL = address(RUNTIME.index);
const pyodideModule = import(`${indexURL}pyodide.mjs`); // at once, while the page says how to start

let begin;
const started = new Promise((resolve) => (begin = resolve));

// Responses the page fetched for us (its preloads), by address; each is used once.
const handed = new Map();
function expect(names) {
  for (const name of names) {
    let settle;
    const response = new Promise((resolve) => (settle = resolve));
    handed.set(address(RUNTIME[name]), { response, settle, used: false });
  }
}
function receive({ name, body, status, error }) {
  const entry = handed.get(address(RUNTIME[name]));
  if (!entry) return;
  const type = name === "wasm" ? "application/wasm" : "application/octet-stream";
  entry.settle(error ? { error } : new Response(body, { status, headers: { "Content-Type": type } }));
}

// A runtime file that fails to download (blocked, offline, 404) must end in "failed", not in a boot that never
// finishes: Pyodide does not always reject when its .wasm cannot be fetched. Watch every fetch Pyodide makes.
let failDownload;
const downloadFailed = new Promise((_, reject) => (failDownload = reject));
const realFetch = self.fetch.bind(self);
const named = (url) => url.split("?")[0].split("/").pop();
self.fetch = async (resource, init) => {
  const url = String(resource?.url || resource);
  const mine = handed.get(url);
  let response;
  try {
    if (mine && !mine.used) {
      mine.used = true; // once: a second boot (after a snapshot failed) downloads it again
      response = await mine.response;
      if (response.error) throw new Error(response.error);
    } else {
      response = await realFetch(resource, init);
    }
  } catch (e) {
    failDownload(new Error(`could not download ${named(url)} (${e?.message || e})`));
    throw e;
  }
  if (!response.ok) failDownload(new Error(`could not download ${named(url)} (HTTP ${response.status})`));
  return response;
};

// A file's bytes, checked against its hash (RUNTIME's "sha256-..."): a handed-over response carries no integrity.
async function bytes(name, integrity) {
  const response = await self.fetch(address(RUNTIME[name]));
  const data = new Uint8Array(await response.arrayBuffer());
  if (!self.crypto || !crypto.subtle) return data; // not a secure context: no digest to check with
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  if (`sha256-${btoa(String.fromCharCode(...digest))}` !== integrity) {
    const reason = `could not download ${name}: its contents differ from the build's`;
    failDownload(new Error(reason));
    throw new Error(reason);
  }
  return data;
}

// The snapshot's bytes, or null: fetched outright ("snapshot"), or only from the HTTP cache ("auto").
async function snapshotBytes(mode) {
  if (mode !== "snapshot" && mode !== "auto") return { data: null, why: null };
  const init = { integrity: RUNTIME.snapshot_integrity };
  if (mode === "auto") Object.assign(init, { cache: "only-if-cached", mode: "same-origin" });
  try {
    const response = await realFetch(address(RUNTIME.snapshot), init);
    if (!response.ok) return { data: null, why: mode === "auto" ? null : `snapshot: HTTP ${response.status}` };
    return { data: new Uint8Array(await response.arrayBuffer()), why: null };
  } catch (e) {
    return { data: null, why: mode === "auto" ? null : `snapshot: ${e?.message || e}` };
  }
}

async function start(loadPyodide, wheel, problems, snapshot) {
  const options = {
    indexURL,
    stdLibURL: address(RUNTIME.stdlib),
    lockFileContents: RUNTIME.lock, // the lock file lists the wheel only; nothing is loaded through it
    packageBaseUrl: indexURL,
    stdout: () => {},
    stderr: (line) => problems.push(line),
  };
  if (snapshot) options._loadSnapshot = snapshot;
  const t0 = performance.now();
  const pyodide = await loadPyodide(options);
  const t1 = performance.now();
  const sitePackages = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('/site-packages'))");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages }); // as docs/hooks/pyodide_node.mjs
  const t2 = performance.now();
  try {
    pyodide.runPython(BRIDGE);
  } catch (e) {
    throw new Error((problems.join(" ") || String(e)).slice(0, 300));
  }
  const call = pyodide.globals.get("calc_call");
  const phases = { runtime: t1 - t0, wheel: t2 - t1, imports: performance.now() - t2 };
  return { call, phases };
}

async function boot() {
  const t0 = performance.now();
  const how = await started;
  const wheel = bytes("wheel", RUNTIME.wheel_integrity); // in parallel with the runtime
  const [{ loadPyodide }, snap] = await Promise.all([pyodideModule, snapshotBytes(how.runtime)]);
  const problems = [];
  let fallback = snap.why;
  let engine = null;
  if (snap.data) {
    try {
      engine = await start(loadPyodide, wheel, problems, snap.data);
      const answer = engine.call(RUNTIME.check.fn, JSON.stringify(RUNTIME.check.args));
      if (answer !== RUNTIME.check.answer) throw new Error("it answered differently from the build");
    } catch (e) {
      fallback = `snapshot: ${String(e?.message || e)
        .split("\n")[0]
        .slice(0, 200)}`;
      engine = null;
    }
  }
  const path = engine ? "snapshot" : "boot";
  if (!engine) engine = await start(loadPyodide, wheel, problems, null);
  const ms = Math.round(performance.now() - t0);
  const phases = Object.fromEntries(Object.entries(engine.phases).map(([k, v]) => [k, Math.round(v)]));
  return { call: engine.call, ms, phases, path, fallback, prefetch: how.prefetch && path === "boot" };
}

const engine = Promise.race([boot(), downloadFailed]);
engine.then(
  ({ ms, phases, path, fallback, prefetch }) => {
    postMessage({ type: "ready", ms, phases, path, fallback });
    // For the next visit: into the HTTP cache, after going live, at low priority (nothing waits for it).
    if (prefetch) {
      realFetch(address(RUNTIME.snapshot), { integrity: RUNTIME.snapshot_integrity, priority: "low" })
        .then((r) => r.arrayBuffer())
        .catch(() => {});
    }
  },
  (e) => postMessage({ type: "failed", reason: String(e?.message || e).slice(0, 300) }),
);

// Requests wait in a queue and the most urgent goes first: a form's numbers (compute, its address) before the
// charts and comparisons that follow each answer, so a change shows without waiting for the previous change's
// charts. Between two calls the worker yields (a MessageChannel message), so requests sent meanwhile are queued
// before the next is picked. Within a rank, first come first served.
const RANK = { compute: 0, read_permalink: 0, write_permalink: 1, cli_command: 1, export: 1, keep: 1, baseline: 1 };
const queue = [];
const tick = new MessageChannel();
let draining = false;
tick.port1.onmessage = () => drain();

async function drain() {
  let call;
  try {
    ({ call } = await engine);
  } catch {
    queue.length = 0;
    return; // "failed" was posted once; the page has switched to its static numbers
  }
  let best = 0;
  for (let i = 1; i < queue.length; i++) if ((RANK[queue[i].fn] ?? 2) < (RANK[queue[best].fn] ?? 2)) best = i;
  const [{ id, fn, args }] = queue.splice(best, 1);
  try {
    const out = call(fn, JSON.stringify(args));
    postMessage({ type: "result", id, result: JSON.parse(out) });
  } catch (e) {
    const message = String(e?.message || e)
      .split("\n")
      .slice(-2)
      .join(" "); // a Python traceback's last line
    postMessage({ type: "result", id, result: { ok: false, outputs: {}, errors: [{ field: "", message }] } });
  }
  if (queue.length) tick.port2.postMessage(0);
  else draining = false;
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "start") {
    expect(msg.files || []);
    begin(msg);
    return;
  }
  if (msg.type === "file") {
    receive(msg);
    return;
  }
  queue.push(msg);
  if (!draining) {
    draining = true;
    tick.port2.postMessage(0);
  }
};
