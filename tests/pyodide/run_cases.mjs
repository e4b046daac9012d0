// Run calculator cases inside Pyodide (node), from the built wheel, and print the results as JSON.
// usage: node run_cases.mjs PYODIDE_DIR WHEEL CASES_JSON_FILE
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, wheel, casesFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });
await pyodide.loadPackage(path.resolve(wheel), { messageCallback: () => {} });
pyodide.globals.set("cases_json", readFileSync(casesFile, "utf8"));
const out = pyodide.runPython(`
import json, sys
import calculators
from calculators.page import compute
cases = json.loads(cases_json)
results = [compute.compute(c["name"], c["raw"], c.get("preset")) for c in cases]
json.dumps({"python": list(sys.version_info[:2]), "platform": sys.platform,
            "module": calculators.__file__, "results": results})
`);
process.stdout.write(out);
