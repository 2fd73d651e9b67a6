"""Worker memory after warm-up: gunicorn as the Procfile runs it, read once the warmer's fiches are done.

Usage::

    python benchmarks/worker_memory.py --db data/retail.duckdb [--settle 3]

Starts the Procfile's gunicorn (2 workers × 4 threads, ``gunicorn.conf.py``) on loopback with its own intake
store; each worker warms up in the background after start (``SMART_RETAIL_WARM``, default 40: the fiche PDFs of
the main areas of the 40 municipalities with most outlets). Once the workers and their typesetting processes
used no CPU for ``--settle`` seconds (watched from ``--wait`` seconds after start), prints per worker its
resident memory (RSS: the target of issue 15, ≤ 250 MiB), its proportional share (PSS) and its own pages
(USS), and the RSS of its typesetting process (typst), beside the same figures right after the workers started
(the floor: what the imports cost).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from soak import ROOT, cpu_seconds, free_port, memory_line, procfile_command, wait_up, workers_of


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds without CPU use that end the warm-up")
    parser.add_argument("--wait", type=float, default=15.0,
                        help="seconds before watching for the end (the warmer starts 5 s after the worker)")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
               "SMART_RETAIL_DB": str(args.db), "SMART_RETAIL_INTAKE_DB_URL": f"sqlite:///{tmp}/intake.sqlite3"}
        log_path = Path(tmp) / "gunicorn.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(procfile_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            t0 = time.monotonic()
            wait_up(f"http://127.0.0.1:{port}", server, log_path)
            workers = workers_of(server.pid)
            print(f"after start ({time.monotonic() - t0:.0f} s): {memory_line(workers)}")

            def busy() -> float:
                return sum(cpu_seconds(p) for w in workers for p in (w, *workers_of(w)))

            time.sleep(args.wait)
            last = busy()
            while True:
                time.sleep(args.settle)
                now = busy()
                if now - last < 0.05:
                    break
                last = now
            print(f"after warm-up ({time.monotonic() - t0:.0f} s): {memory_line(workers)}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
