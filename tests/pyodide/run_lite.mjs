// Plays xlwings Lite's part for the tests and bench/bench_lite.py: loads Pyodide (the
// pinned npm package), installs the pure xlwings wheel offline, imports the workbook's
// main.py as xlwings Lite does, and runs a script on xw.Book(json=payload) payloads —
// the remote-engine protocol the add-in speaks. Prints one JSON object on stdout.
//
//   node run_lite.mjs JOB.json
//   JOB = {"wheel": path, "main_py": path, "script": "valider",
//          "payloads": [{"name": ..., "payload": {...}}], "repeat": 1}
import { loadPyodide } from "pyodide";
import { readFileSync } from "node:fs";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const t0 = performance.now();
const py = await loadPyodide({ stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
const loaded = performance.now();
py.unpackArchive(new Uint8Array(readFileSync(job.wheel)), "wheel");
py.FS.writeFile("/home/pyodide/main.py", readFileSync(job.main_py, "utf8"));
py.globals.set("JOB_JSON", JSON.stringify(job));
let out;
try {
  out = await py.runPythonAsync(`
import contextlib, io, json, os, sys, time
# What the add-in sets up before it imports main.py: xlwings' remote engine, and the
# decorators of xlwings Server/Lite (xw.script) instead of classic xlwings' stand-ins.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ["XLWINGS_ON_SERVER"] = "true"
sys.path.insert(0, "/home/pyodide")
job = json.loads(JOB_JSON)
t = time.perf_counter()
import xlwings as xw
from xlwings.server import custom_scripts_call
import main
import_seconds = time.perf_counter() - t
bad = sorted(m for m in ("lxml", "pandas", "python_calamine", "openpyxl", "xlsxwriter") if m in sys.modules)
results = []
for item in job["payloads"]:
    times = []
    for k in range(job.get("repeat", 1)):
        text = io.StringIO()
        t = time.perf_counter()
        book = xw.Book(json=item["payload"])
        try:
            with contextlib.redirect_stdout(text):
                await custom_scripts_call(main, job["script"], typehint_to_value={xw.Book: book})
            actions = book.json()["actions"]
        finally:
            book.close()
        times.append(time.perf_counter() - t)
    results.append({"name": item["name"], "seconds": times, "output": text.getvalue(),
                    "actions": json.loads(json.dumps(actions, default=str))})
json.dumps({"platform": sys.platform, "python": sys.version.split()[0],
            "xlwings": xw.__version__, "toolkit_file": sys.modules["toolkit"].__file__,
            "import_seconds": import_seconds, "forbidden_modules": bad, "results": results})
`);
} catch (e) {
  process.stderr.write(String(e && e.message ? e.message : e) + "\n");
  process.exit(1);
}
const result = JSON.parse(out);
result.pyodide = py.version;
result.load_seconds = (loaded - t0) / 1000;
process.stdout.write(JSON.stringify(result));
