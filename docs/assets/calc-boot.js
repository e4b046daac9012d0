// The live mode's early start. A module in every page's <head> (docs/overrides/main.html), so it runs as soon as
// the HTML is parsed, before the theme's scripts have shown the page; on a page with a calculator the theme also
// writes preload hints for the runtime (link[rel=preload][data-calc-file]: the wasm, the standard library, the
// wheel, requested while the page is parsed) and this starts the worker (calc-worker.js) at once. It fetches the preloaded files itself (each download is then
// the preload's, made once) and hands each response's body to the worker as a stream, so the worker compiles the
// wasm as it arrives and unpacks the wheel fetched in parallel with the runtime.
//
// launch() returns the visit's one worker, starting it (without preloads) when no page has yet: calc.js calls it,
// through Material's instant navigation too. Messages the worker sends before calc.js listens are kept in
// `early` and handed over by listen().
//
// How to boot (the worker's start message, `runtime`): localStorage "calc-runtime" = "snapshot" | "boot" forces a
// way (scripts/bench and the tests use it). Otherwise a first visit boots normally ("boot": the snapshot would
// double what it downloads); a visit after one that went live (localStorage "calc-runtime-seen" = this build)
// says "auto": the snapshot when the browser already holds it, and if it does not, the worker fetches it into
// the cache once live, for the next visit, unless the reader's browser asks to save data.

const build = new URL(import.meta.url).searchParams.get("v") || "";
const workerURL = new URL(`calc-worker.js${build ? `?v=${encodeURIComponent(build)}` : ""}`, import.meta.url);
const SEEN = "calc-runtime-seen";

let visit = null; // {worker, early: [messages], error, handler}

function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled
  }
}

export function remember() {
  try {
    localStorage.setItem(SEEN, build);
  } catch {
    // storage disabled: every visit is a first visit
  }
}

function startMessage(files) {
  const forced = ["snapshot", "boot"].includes(stored("calc-runtime")) ? stored("calc-runtime") : null;
  const returning = stored(SEEN) === build;
  const saveData = !!navigator.connection?.saveData;
  return {
    type: "start",
    files,
    runtime: forced || (returning ? "auto" : "boot"),
    prefetch: !forced && returning && !saveData,
  };
}

export function launch() {
  if (visit) return visit;
  const links = [...document.querySelectorAll("link[rel=preload][data-calc-file]")];
  visit = { worker: null, early: [], error: null, handler: null };
  try {
    visit.worker = new Worker(workerURL, { type: "module", name: "calculators" });
  } catch (e) {
    visit.error = String(e?.message || e);
    return visit;
  }
  visit.worker.onmessage = (event) => (visit.handler ? visit.handler(event) : visit.early.push(event));
  visit.worker.onerror = (event) => {
    if (event.preventDefault) event.preventDefault();
    const reason = event.message || "the worker script could not be loaded";
    if (visit.onerror) visit.onerror(reason);
    else visit.error = reason;
  };
  visit.worker.postMessage(startMessage(links.map((l) => l.dataset.calcFile)));
  for (const link of links) {
    const name = link.dataset.calcFile;
    fetch(link.href).then(
      (r) => visit.worker.postMessage({ type: "file", name, body: r.body, status: r.status }, r.body ? [r.body] : []),
      (e) => visit.worker.postMessage({ type: "file", name, error: String(e?.message || e) }),
    );
  }
  return visit;
}

// calc.js takes the worker's messages from here on (those sent so far first) and its errors.
export function listen(onMessage, onError) {
  const v = launch();
  v.handler = onMessage;
  v.onerror = onError;
  for (const event of v.early.splice(0)) onMessage(event);
  if (v.error) onError(v.error);
  return v.worker;
}

if (document.querySelector("link[rel=preload][data-calc-file]")) launch();
