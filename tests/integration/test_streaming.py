"""A large export is streamed, not loaded into memory.

A 1 GB build takes minutes (``benchmarks/big_export.py`` runs it and prints time and peak memory);
here the reading step runs on a file of some 60 MB and on a tiny one, each in its own process, and
the peak memory of the two may differ by far less than the file's size (with the fast path's limit
``SMART_RETAIL_STREAM_ABOVE_MB`` set to 16 MB, as it is 256 MB by default). The later steps run in DuckDB
under ``SMART_RETAIL_ETL_MEMORY`` and spill to disk beyond it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from data_pipelines.specs import OUTLETS
from tests.conftest import ROOT

# Builds of large or damaged exports in subprocesses: seconds each, kept out of the fast lane.
pytestmark = pytest.mark.slow

HEADER = [c.name for c in OUTLETS.columns]


def write_big_outlets(path: Path, rows: int, quoted: bool) -> Path:
    """Write ``rows`` plausible outlet lines (Gent, 2025); a quoted name sends every line the careful way."""
    template = ";".join("{" + c + "}" if c in ("vkp_id", "naam") else {
        "jaar": "2025", "nis_code": "44021", "branche_code": "MOD01", "wvo_m2": "120,5", "leegstand": "N",
        "x": "104500,0", "y": "194000,0", "straat": "Veldstraat", "huisnummer": "12",
    }.get(c, "") for c in HEADER) + "\n"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(";".join(HEADER) + "\n")
        for start in range(0, rows, 10_000):
            fh.write("".join(template.format(vkp_id=f"B{i}", naam=f'"Winkel; nr {i}"' if quoted else f"Winkel nr {i}")
                             for i in range(start, min(start + 10_000, rows))))
    return path


EXTRACT = """
import sys
from pathlib import Path
from data_pipelines.extract.tabular import extract
from data_pipelines.specs import OUTLETS
ex = extract(Path(sys.argv[1]), OUTLETS, Path(sys.argv[2]))
print(ex.rows)
"""


def peak_rss_of_extract(source: Path, out: Path) -> tuple[int, int]:
    """Run the extraction of ``source`` in a fresh process; return its row count and peak RSS in bytes."""
    proc = subprocess.Popen([sys.executable, "-c", EXTRACT, str(source), str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "SMART_RETAIL_STREAM_ABOVE_MB": "16"})
    rows = int(proc.stdout.read())
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0
    return rows, usage.ru_maxrss * 1024  # kilobytes on Linux


@pytest.mark.parametrize("quoted", [True, False], ids=["quoted-fields", "plain-above-the-fast-path-limit"])
def test_reading_a_large_export_keeps_memory_flat(tmp_path: Path, quoted: bool) -> None:
    small = write_big_outlets(tmp_path / "small.csv", 100, quoted)
    big = write_big_outlets(tmp_path / "big.csv", 600_000, quoted)
    assert big.stat().st_size > 50_000_000
    rows_small, rss_small = peak_rss_of_extract(small, tmp_path / "small.out.csv")
    rows_big, rss_big = peak_rss_of_extract(big, tmp_path / "big.out.csv")
    assert (rows_small, rows_big) == (100, 600_000)
    assert (tmp_path / "big.out.csv").stat().st_size > 0.5 * big.stat().st_size  # it really went through
    assert rss_big - rss_small < 0.2 * big.stat().st_size, (rss_small, rss_big, big.stat().st_size)
    # Each record keeps the physical line it came from, whichever reader (and how many threads) read it.
    con = duckdb.connect()
    wrong = con.execute(f"select count(*), count(*) filter (where cast(_line as bigint) <> "
                        f"cast(substr(vkp_id, 2) as bigint) + 2) from read_csv('{tmp_path / 'big.out.csv'}', "
                        "all_varchar=true)").fetchall()
    con.close()
    assert wrong == [(600_000, 0)]
