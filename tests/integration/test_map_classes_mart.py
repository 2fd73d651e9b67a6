"""The map class breaks come from the build (``mart_map_classes``); the app imports no mapclassify or scipy."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import mapclassify
import numpy as np
import pytest

from dashboard.data import queries
from dashboard.data.db import Database

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("scheme", ["quantielen", "natuurlijk"])
@pytest.mark.parametrize("province", [None, "40000"])
def test_stored_breaks_are_mapclassifys_on_the_values_the_map_shows(fixture_db: Path, scheme: str,
                                                                     province: str | None) -> None:
    db = Database(fixture_db)
    for column in ("outlets_total", "vacancy_rate_count_all_pct"):
        munis = queries.map_municipalities(db, 2025, column)
        if province:
            munis = munis[munis["province_code"] == province]
        values = munis["value"].dropna().to_numpy(dtype=float)
        k = min(5, len(np.unique(values)))
        assert k >= 2, "the fixture has values to class"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            klass = (mapclassify.Quantiles if scheme == "quantielen" else mapclassify.FisherJenks)(values, k=k)
        stored = queries.map_class_bounds(db, province or "vlaanderen", column, 2025, scheme)
        assert stored == pytest.approx(klass.bins.tolist(), rel=1e-12), (column, scheme, province)


def test_the_app_serves_a_map_without_mapclassify_scipy_or_scikit_learn(fixture_db: Path, tmp_path: Path) -> None:
    code = f"""
import sys
from dashboard.app import create_app
from dashboard.config import load_settings
from dashboard.data.db import Database
from dashboard.components.indicator_map import indicator_map
create_app(load_settings({{"SMART_RETAIL_DB": {str(fixture_db)!r},
                           "SMART_RETAIL_INTAKE_DB_URL": "sqlite:///{tmp_path / 'i.sqlite3'}"}}))
fig, note = indicator_map(Database({str(fixture_db)!r}), 2025, "outlets_total", "natuurlijk", None)
print(sorted(m for m in ("mapclassify", "scipy", "sklearn") if m in sys.modules), "klassen" in note)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split("\n")[-2] == "[] True"
