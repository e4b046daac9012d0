// Pyodide under node, for the build (docs/hooks/runtime_build.py) and the tests (tests/test_pyodide.py).
//
//   node pyodide_node.mjs JOB.json       prints one JSON object (below) on stdout
//
// A job boots Pyodide from `runtime` (pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm: the files the site ships),
// with the standard-library archive `stdlib` and the lock file `lock`, installs the project's `wheel` the way the
// site's worker does (pyodide.unpackArchive into site-packages; nothing is loaded through the lock file), runs the
// worker's Python (`bridge`), then, each optional:
//   "snapshot": FILE         boot from this memory snapshot instead (Pyodide's _loadSnapshot)
//   "trace": true            record every module imported and every archive member read (an audit hook and
//                            zipimport's reader), from before the wheel is installed
//   "make_snapshot": FILE    once the bridge has run and `warm` calls are made, write a memory snapshot
//   "warm": [[fn, args]]     page API calls made before the snapshot
//   "calls": [[fn, args]]    page API calls, each made as the worker makes it: calc_call(fn, JSON) from JavaScript
//   "cases": [{name, raw, preset}]   calculators.page.compute.compute cases (their dicts, for the tests)
//   "imports": [NAME]        modules imported after the calls (the standard-library modules the package names)
//   "stdlib_out": FILE       write a standard-library archive of exactly the modules loaded from `stdlib`,
//                            compiled by this Python (.pyc only: nothing compiles at start-up), and the other
//                            members read
//   "wheel_out": FILE        write `wheel` with every module compiled the same way (.pyc instead of .py)
// Output: {python, platform, module, ms: {boot, wheel, bridge, snapshot, calls}, answers: [JSON text],
//          results: [dict], modules, failed, members, problems}
//   modules: the archive's modules in sys.modules; failed: names imported that no finder found;
//   members: archive members read after start-up; problems: what Pyodide wrote to stderr.
//
//   node pyodide_node.mjs --brotli FILE OUT [Q]    writes OUT, FILE by brotli quality Q (11; --gzip: gzip level 9)
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

if (process.argv[2] === "--brotli" || process.argv[2] === "--gzip") {
  const [, , how, src, out, quality = "11"] = process.argv;
  const data = readFileSync(src);
  const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_SIZE_HINT, BROTLI_PARAM_LGWIN } = zlib.constants;
  const params = { [BROTLI_PARAM_QUALITY]: Number(quality), [BROTLI_PARAM_SIZE_HINT]: data.length, [BROTLI_PARAM_LGWIN]: 24 };
  writeFileSync(out, how === "--brotli" ? zlib.brotliCompressSync(data, { params }) : zlib.gzipSync(data, { level: 9 }));
  process.exit(0);
}

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const runtime = path.resolve(job.runtime) + path.sep;
const { loadPyodide } = await import(pathToFileURL(runtime + "pyodide.mjs").href);

const TRACE = `
import sys, zipimport
_trace_imports = set()
_trace_members = set()
def _trace_hook(event, args):
    if event == "import":
        _trace_imports.add(args[0])
sys.addaudithook(_trace_hook)
_trace_get_data = zipimport._get_data
def _traced_get_data(archive, toc_entry):
    _trace_members.add((archive, toc_entry[0]))
    return _trace_get_data(archive, toc_entry)
zipimport._get_data = _traced_get_data
`;

const REPORT = `
import json, sys
def _origin(m):
    spec = getattr(m, "__spec__", None)
    return str(getattr(spec, "origin", None) or getattr(m, "__file__", None) or "")
_archive = "/lib/python%d%d.zip" % sys.version_info[:2]
_mods = sorted(n for n, m in list(sys.modules.items()) if _origin(m).startswith(_archive + "/"))
_tried = globals().get("_trace_imports", set())
_failed = sorted(n for n in _tried if n not in sys.modules)
_members = sorted(name[len(_archive) + 1:] for arch, name in globals().get("_trace_members", set())
                  if arch == _archive and name.startswith(_archive + "/"))
json.dumps({"modules": _mods, "failed": _failed, "members": _members})
`;

// Compiling: unchecked hash-based .pyc (deterministic bytes), every member dated 1980 (reproducible archives).
const COMPILE = `
import base64, hashlib, importlib._bootstrap_external as _ext, importlib.util, io, json, sys, zipfile

_OPT = 2
def _pyc(data, name):
    code = compile(data, name, "exec", dont_inherit=True, optimize=_OPT)
    return bytes(_ext._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))

def _member(z, name, data):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED  # the host compresses the whole file (.br, .gz): smaller, and no inflating
    info.external_attr = 0o644 << 16
    z.writestr(info, data)

def compile_stdlib(archive, wanted):
    src = zipfile.ZipFile(archive)
    names = set(src.namelist())
    out = io.BytesIO()
    done = set()
    with zipfile.ZipFile(out, "w") as z:
        for mod in sorted(wanted["modules"]):
            base = mod.replace(".", "/")
            name = base + "/__init__.py" if base + "/__init__.py" in names else base + ".py"
            _member(z, name + "c", _pyc(src.read(name), name))
            done.add(name)
        for name in sorted(set(wanted["members"]) - done):
            if name in names and not name.endswith(".py"):
                _member(z, name, src.read(name))
    return out.getvalue()

def compile_wheel(data):
    src = zipfile.ZipFile(io.BytesIO(data.to_bytes()))
    files = {}
    for info in src.infolist():
        if info.is_dir():
            continue
        body = src.read(info)
        if info.filename.endswith(".py"):
            files[info.filename + "c"] = _pyc(body, info.filename)
        else:
            files[info.filename] = body
    record = next(n for n in files if n.endswith(".dist-info/RECORD"))
    lines = []
    for name, body in sorted(files.items()):
        if name == record:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(body)}")
    lines.append(f"{record},,")
    files[record] = ("\\n".join(lines) + "\\n").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in [n for n in sorted(files) if n != record] + [record]:
            _member(z, name, files[name])
    return out.getvalue()
`;

const problems = [];
const ms = {};
let t = performance.now();
const lap = (name) => {
  const now = performance.now();
  ms[name] = Math.round(now - t);
  t = now;
};

const options = {
  indexURL: runtime,
  stdLibURL: path.resolve(job.stdlib),
  lockFileContents: readFileSync(job.lock, "utf8"),
  packageBaseUrl: runtime,
  stdout: () => {},
  stderr: (line) => problems.push(line),
  // compiled modules without column tables (tracebacks lose their ^^^ markers, .pyc files a third of their size)
  env: job.stdlib_out || job.wheel_out ? { PYTHONNODEBUGRANGES: "1" } : {},
};
if (job.snapshot) options._loadSnapshot = new Uint8Array(readFileSync(job.snapshot));
if (job.make_snapshot) options._makeSnapshot = true;
const py = await loadPyodide(options);
lap("boot");
if (job.trace) py.runPython(TRACE);
// as docs/assets/calc-worker.js does: into site-packages (the path is the one on sys.path)
const sitePackages = py.runPython("import sys; next(p for p in sys.path if p.endswith('/site-packages'))");
py.unpackArchive(new Uint8Array(readFileSync(job.wheel)), "wheel", { extractDir: sitePackages });
lap("wheel");
py.runPython(job.bridge);
const call = py.globals.get("calc_call");
lap("bridge");

if (job.make_snapshot) {
  for (const [fn, args] of job.warm || []) call(fn, JSON.stringify(args));
  writeFileSync(job.make_snapshot, py.makeMemorySnapshot());
  lap("snapshot");
}

const answers = (job.calls || []).map(([fn, args]) => call(fn, JSON.stringify(args)));
py.globals.set("_cases_json", JSON.stringify(job.cases || []));
const results = JSON.parse(
  py.runPython(`
import json
from calculators.page import compute as _compute
json.dumps([_compute.compute(c["name"], c["raw"], c.get("preset")) for c in json.loads(_cases_json)])
`),
);
for (const name of job.imports || []) py.pyimport(name);
lap("calls");

const report = JSON.parse(py.runPython(REPORT));
if (job.stdlib_out || job.wheel_out) {
  const ns = py.toPy({});
  py.runPython(COMPILE, { globals: ns });
  if (job.stdlib_out) {
    const archive = `/lib/python${py.runPython("import sys; '%d%d' % sys.version_info[:2]")}.zip`;
    const out = ns.get("compile_stdlib")(archive, py.toPy(report));
    writeFileSync(job.stdlib_out, out.toJs());
  }
  if (job.wheel_out) writeFileSync(job.wheel_out, ns.get("compile_wheel")(new Uint8Array(readFileSync(job.wheel))).toJs());
}
const info = JSON.parse(
  py.runPython(`
import json, sys, calculators
json.dumps({"python": list(sys.version_info[:2]), "platform": sys.platform, "module": calculators.__file__})
`),
);
process.stdout.write(JSON.stringify({ ...info, ms, answers, results, ...report, problems }));
