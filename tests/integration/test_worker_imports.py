"""What a web worker must not load: serving the pages, a fiche PDF included, in a fresh interpreter.

Each of these cost a worker tens of MiB (issue 15): alembic (the store is migrated before the workers
start), shapely (the fiche maps read the WKB themselves), typst (it runs in its own process), scipy,
scikit-learn and mapclassify (the map classes come from the build). A top-level import added back fails here.
pyarrow is made unimportable first, as gunicorn's configuration does in a worker: every page must work without.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUST_NOT_LOAD = ("alembic", "mako", "shapely", "typst", "scipy", "sklearn", "mapclassify", "geopandas")

WORKER = """
import json, sys
sys.modules["pyarrow"] = None  # as gunicorn.conf.py does in a worker
import duckdb
from dashboard.app import create_app
from dashboard.config import load_settings
from tests.accounts import logged_in
from tests.traffic import pages_for, payloads

db, intake = sys.argv[1], sys.argv[2]
app = create_app(load_settings({"SMART_RETAIL_DB": db, "SMART_RETAIL_INTAKE_DB_URL": intake,
                                "SMART_RETAIL_WARM": "0", "SMART_RETAIL_MAP_TILES": "0"}))
con = duckdb.connect(db, read_only=True)
years = [r[0] for r in con.execute("select distinct year from mart_area_year order by 1").fetchall()]
provinces = [r[0] for r in con.execute("select province_code from ref_provinces order by 1").fetchall()]
nis, area = con.execute("select nis_code, area_id from stg_areas order by area_id limit 1").fetchone()
con.close()
deps = json.loads(app.server.test_client().get("/_dash-dependencies").data)
clients, answered = {}, []
for page in pages_for(years, [nis], provinces[:1]):
    if page.account not in clients:
        clients[page.account] = logged_in(app, *page.account) if page.account else app.server.test_client()
    client = clients[page.account]
    answered.append(client.get(page.url).status_code)
    for _name, body in payloads(deps, page):
        answered.append(client.post("/_dash-update-component", json=body).status_code)
answered.append(logged_in(app, "gemeente", nis).get(f"/gemeente/{nis}/fiche.pdf?gebied={area}").status_code)
print(json.dumps({"answered": answered, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[3:])}))
"""


def test_serving_the_pages_and_a_fiche_pdf_loads_none_of_the_heavy_modules(fixture_db: Path, tmp_path: Path) -> None:
    intake = f"sqlite:///{tmp_path / 'intake.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SMART_RETAIL_INTAKE_DB_URL": intake}
    # As gunicorn's configuration does before it starts the workers.
    migrated = subprocess.run([sys.executable, "-m", "dashboard.intake.migrate"], env=env, cwd=ROOT,
                              capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr
    done = subprocess.run([sys.executable, "-c", WORKER, str(fixture_db), intake, *MUST_NOT_LOAD], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(out["answered"]) > 20 and set(out["answered"]) <= {200, 204}, out["answered"]  # 204: no update
    assert out["loaded"] == []


def test_the_migration_command_says_what_failed_in_dutch(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SMART_RETAIL_INTAKE_DB_URL": "nietsql://nergens"}
    done = subprocess.run([sys.executable, "-m", "dashboard.intake.migrate"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("fout: de intake-opslag kon niet bijgewerkt worden")
