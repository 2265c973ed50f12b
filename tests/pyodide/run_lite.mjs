// Plays xlwings Lite's part for the tests and bench/bench_lite.py: loads Pyodide (the
// pinned npm package), installs the pure xlwings wheel offline, and runs run_lite.py in
// it, which imports the workbook's main.py as xlwings Lite does and runs a script on
// xw.Book(json=payload) payloads — the remote-engine protocol the add-in speaks.
// Prints one JSON object on stdout.
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
py.FS.mkdirTree("/home/pyodide/lite");
py.FS.writeFile("/home/pyodide/lite/main.py", readFileSync(job.main_py, "utf8"));
job.main_dir = "/home/pyodide/lite";
py.globals.set("JOB_JSON", JSON.stringify(job));
let out;
try {
  py.runPython(readFileSync(new URL("./run_lite.py", import.meta.url), "utf8"));
  out = await py.runPythonAsync("import json\njson.dumps(await run(json.loads(JOB_JSON)))");
} catch (e) {
  process.stderr.write(String(e && e.message ? e.message : e) + "\n");
  process.exit(1);
}
const result = JSON.parse(out);
result.pyodide = py.version;
result.load_seconds = (loaded - t0) / 1000;
process.stdout.write(JSON.stringify(result));
