"""gunicorn's workers as the Procfile runs them: what their memory may not hold (issue 15).

Read from each process's memory map: a shared library loaded shows there. The worker holds no Arrow
(pyarrow is unimportable in it), no GEOS (shapely) and no typst; typst lives in the worker's typesetting
process, which does the fiche's compile.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.accounts import http_session
from tests.conftest import Server
from tests.traffic import child_pids

pytestmark = pytest.mark.server
HEAVY = ("libarrow", "libgeos", "_typst")


def libraries(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_a_worker_that_served_a_fiche_pdf_maps_no_arrow_geos_or_typst(fixture_db: Path) -> None:
    server = Server(fixture_db)
    try:
        gent = http_session(server.url, server.intake_db, "gemeente", "44021")
        answer = gent.get(server.url + "/gemeente/44021/fiche.pdf?gebied=WG1", timeout=60)
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        (worker,) = child_pids(server.proc.pid)
        maps = libraries(worker)
        assert "libduckdb" in maps or "duckdb" in maps  # the map is read right: the worker's own libraries show
        assert [lib for lib in HEAVY if lib in maps] == []
        (typesetting,) = child_pids(worker)
        assert "dashboard.fiche.typesetter" in Path(f"/proc/{typesetting}/cmdline").read_bytes().decode()
        assert "_typst" in libraries(typesetting)
    finally:
        server.stop()
