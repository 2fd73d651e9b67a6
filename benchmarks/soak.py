"""Load and soak: 50 users for 5 minutes against gunicorn with the Procfile's settings, on loopback.

Usage::

    python benchmarks/soak.py [--db FILE] [--users 50] [--minutes 5] [--think 10]

Without ``--db`` the demo export is generated and built into a temporary directory first. gunicorn
starts with the Procfile's ``web`` command (bound to 127.0.0.1 instead of 0.0.0.0). Each user walks
random pages (the overview, the five provinces, municipalities of every size) the way a browser does:
the page, its layout, then the server callbacks its controls fire, over HTTP; then pauses
``--think`` seconds on average. Per minute the script prints the requests, errors, p50 and p95 of
all requests and of the callbacks, and the resident memory of each gunicorn worker; at the end the
totals, the server-side 5xx count from the request log, and the workers' memory at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.traffic import child_pids, pages_for, percentile, run_users  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_command(port: int) -> list[str]:
    """Return the Procfile's web command with the port filled in, bound to loopback."""
    line = next(ln for ln in (ROOT / "Procfile").read_text().splitlines() if ln.startswith("web:"))
    command = line.split(":", 1)[1].strip().replace("${PORT:-8050}", str(port)).replace("0.0.0.0", "127.0.0.1")
    words = shlex.split(command)
    # gunicorn of this Python's environment when that environment is not on the PATH (a virtualenv not activated)
    words[0] = shutil.which(words[0]) or str(Path(sys.executable).parent / words[0])
    return words


def workers_of(master: int) -> list[int]:
    """Return the pids of the master's children (the gunicorn workers)."""
    return child_pids(master)


def rss_mb(pid: int) -> float:
    """Return the resident memory of ``pid`` in MB (nan when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024


def memory_mb(pid: int) -> tuple[float, float, float]:
    """Return the resident (RSS), proportional (PSS) and unique (USS: private pages) memory of ``pid`` in MiB."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return (float("nan"),) * 3

    def kib(name: str) -> int:
        return int(re.search(rf"^{name}:\s+(\d+)", text, re.MULTILINE).group(1))

    return kib("Rss") / 1024, kib("Pss") / 1024, (kib("Private_Clean") + kib("Private_Dirty")) / 1024


def memory_line(workers: list[int]) -> str:
    """Return each worker's RSS / PSS / USS and the RSS of its typesetting process (typst, PDFs)."""
    parts = []
    for w in workers:
        rss, pss, uss = memory_mb(w)
        typst = " + ".join(f"{memory_mb(k)[0]:.0f}" for k in workers_of(w)) or "-"
        parts.append(f"{w}: RSS {rss:.0f} / PSS {pss:.0f} / USS {uss:.0f} MiB, its typesetting process RSS {typst} MiB")
    return "; ".join(parts)


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) ``pid`` has used, in seconds (nan when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_up(base: str, server: subprocess.Popen, log_path: Path, seconds: float = 120) -> dict:
    """Wait until gunicorn at ``base`` answers ``/health`` and return its answer (exit when it does not start)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return requests.get(base + "/health", timeout=5).json()
        except requests.RequestException:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit(f"gunicorn did not start:\n{log_path.read_text()}")
            time.sleep(0.3)


def demo_db(base: Path) -> Path:
    for args in (["demo", "--out", str(base / "export")],
                 ["build", "--source", str(base / "export"), "--db", str(base / "retail.duckdb")]):
        subprocess.run([sys.executable, "-m", "data_pipelines", *args], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return base / "retail.duckdb"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--think", type=float, default=10.0, help="mean pause between two pages (s): a person reading")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    db = args.db or demo_db(tmp)
    port = free_port()
    log_path = tmp / "gunicorn.log"
    cmd = procfile_command(port)
    # Its own intake store (the accounts the users log in with), never the repository's.
    intake = f"sqlite:///{tmp / 'intake.sqlite3'}"
    with log_path.open("w") as log:
        server = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "SMART_RETAIL_DB": str(db),
                                                      "SMART_RETAIL_INTAKE_DB_URL": intake},
                                  stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        health = wait_up(base, server, log_path)
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        years = [r[0] for r in con.execute("select distinct year from mart_area_year where level = 'vlaanderen' "
                                           "order by 1").fetchall()]
        munis = [r[0] for r in con.execute("select nis_code from ref_municipalities order by 1").fetchall()]
        provinces = [r[0] for r in con.execute("select province_code from ref_provinces order by 1").fetchall()]
        con.close()
        pages = pages_for(years, random.Random(1).sample(munis, 40), provinces)
        for page in pages:  # warm up each worker's caches and imports once
            requests.get(base + page.url, timeout=60)
        workers = workers_of(server.pid)
        print(f"gunicorn: {' '.join(cmd)}")
        print(f"database: {db} (build {health.get('build_id')}); {args.users} users, {args.minutes:g} min, "
              f"think {args.think:g} s; workers {workers}")
        rss_start = {w: rss_mb(w) for w in workers}
        memory_start = memory_line(workers)
        stop = threading.Event()
        # Each account logs in once before the run (a person logs in once a working day); the clock and
        # the CPU count start once the users walk.
        users, hits = run_users(base, pages, args.users, stop, think=args.think, intake_db_url=intake,
                                login_first=True)
        t0 = time.monotonic()
        cpu_start = sum(cpu_seconds(w) for w in workers)
        print(f"{'min':>3} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'cb p50':>7} {'cb p95':>7}  "
              "worker RSS MB")
        minute = 0
        while minute < args.minutes:
            time.sleep(max(0.0, t0 + 60 * (minute + 1) - time.monotonic()))
            window = [h for h in list(hits) if t0 + 60 * minute <= h.t < t0 + 60 * (minute + 1)]
            cbs = [h.ms for h in window if h.what.startswith("callback")]
            rss = " ".join(f"{rss_mb(w):6.1f}" for w in workers)
            print(f"{minute + 1:>3} {len(window):>8} {sum(h.failed for h in window):>6} "
                  f"{percentile([h.ms for h in window], 50):7.0f} {percentile([h.ms for h in window], 95):7.0f} "
                  f"{percentile(cbs, 50):7.0f} {percentile(cbs, 95):7.0f}  {rss}", flush=True)
            minute += 1
        stop.set()
        cpu = sum(cpu_seconds(w) for w in workers) - cpu_start  # read at once: the load has just stopped
        for user in users:
            user.join(timeout=120)
        done = [h for h in hits if t0 <= h.t < t0 + 60 * args.minutes]
        failed = [h for h in hits if h.failed]
        entries = [json.loads(ln) for ln in log_path.read_text().splitlines() if ln.startswith("{")]
        server_5xx = sum(1 for e in entries if e.get("event") == "request" and e["status"] >= 500)
        print(f"total: {len(done)} requests ({len(done) / (60 * args.minutes):.1f}/s), {len(failed)} errors, "
              f"{server_5xx} server 5xx; p50 {percentile([h.ms for h in done], 50):.0f} ms, "
              f"p95 {percentile([h.ms for h in done], 95):.0f} ms, max {max(h.ms for h in done):.0f} ms")
        views = sum(1 for h in done if h.what == "page")
        print(f"page views: {views} ({views / (60 * args.minutes):.1f}/s); worker CPU {cpu:.1f} s, "
              f"{cpu / max(views, 1):.3f} CPU-seconds per page view (with its layout and callbacks)")
        for kind in sorted({h.what for h in done}):
            ms = [h.ms for h in done if h.what == kind]
            print(f"  {kind:<28} {len(ms):>6}  p50 {percentile(ms, 50):6.0f} ms  p95 {percentile(ms, 95):6.0f} ms")
        print("worker RSS MB start -> end: " + ", ".join(f"{w}: {rss_start[w]:.1f} -> {rss_mb(w):.1f}"
                                                          for w in workers))
        print(f"memory at start: {memory_start}")
        print(f"memory at end:   {memory_line(workers)}")
        for h in failed[:5]:
            print(f"  failed: {h.what} {h.status} {h.error[:120]}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
