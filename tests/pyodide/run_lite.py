"""The Python half of the xlwings Lite stand-in (``run_lite.mjs``); also runs under CPython.

Does what the add-in does with a workbook's ``main.py``: sets up xlwings' remote engine
and its script decorators, imports ``main``, and runs a script on ``xw.Book(json=...)``
for each payload, collecting the actions the script sends back to Excel. Under CPython
(``python run_lite.py JOB.json``) it is the baseline of bench/bench_lite.py.
"""

import contextlib
import io
import json
import os
import sys
import time

FORBIDDEN = ("lxml", "pandas", "python_calamine", "openpyxl", "xlsxwriter", "numpy")


async def run(job):
    # What the add-in sets up before it imports main.py: xlwings' remote engine, and the
    # decorators of xlwings Server/Lite (xw.script) instead of classic xlwings' stand-ins.
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    os.environ["XLWINGS_ON_SERVER"] = "true"
    sys.path.insert(0, job["main_dir"])
    t = time.perf_counter()
    import main
    import xlwings as xw
    from xlwings.server import custom_scripts_call

    import_seconds = time.perf_counter() - t
    results = []
    for item in job["payloads"]:
        times = []
        for _ in range(job.get("repeat", 1)):
            text = io.StringIO()
            t = time.perf_counter()
            book = xw.Book(json=item["payload"])
            try:
                with contextlib.redirect_stdout(text):
                    await custom_scripts_call(
                        main, job["script"], typehint_to_value={xw.Book: book}
                    )
                actions = book.json()["actions"]
            finally:
                book.close()
            times.append(time.perf_counter() - t)
        results.append({"name": item["name"], "seconds": times, "output": text.getvalue(),
                        "actions": json.loads(json.dumps(actions, default=str))})  # fmt: skip
    return {
        "platform": sys.platform,
        "python": sys.version.split()[0],
        "xlwings": xw.__version__,
        "toolkit_file": sys.modules["toolkit"].__file__,
        "import_seconds": import_seconds,
        "forbidden_modules": sorted(m for m in FORBIDDEN if m in sys.modules),
        "results": results,
    }


if __name__ == "__main__" and sys.platform != "emscripten":
    import asyncio

    with open(sys.argv[1], encoding="utf-8") as fh:
        print(json.dumps(asyncio.run(run(json.load(fh)))))
