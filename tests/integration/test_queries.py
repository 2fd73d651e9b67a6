"""The query layer on the hand-made fixture database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.peers import peer_band, peer_median_by


@pytest.fixture(scope="module")
def db(fixture_db: Path) -> Database:
    return Database(fixture_db)


def test_municipalities_carry_latest_population(db: Database) -> None:
    munis = queries.municipalities(db).set_index("nis_code")
    assert len(munis) == 285
    assert munis.at["44021", "population"] == 1000 and munis.at["44021", "province"] == "Oost-Vlaanderen"


def test_indicator_values_and_area_rows(db: Database) -> None:
    values = queries.indicator_values(db, "gemeente", ["44021"], "vacancy_rate_count")
    assert set(values["scope"]) == {"alle", "detailhandel"}
    rows = queries.area_rows(db, "gemeente", ["44021", "41002"], 2025).set_index("area_code")
    assert rows.at["41002", "outlets_total"] == 8


def test_branch_mix_has_labels(db: Database) -> None:
    mix = queries.branch_mix(db, "gemeente", ["44021"], 2025)
    assert "Dagelijkse artikelen" in set(mix["label"])


def test_areas_footfall_and_province_table(db: Database) -> None:
    areas = queries.areas_of_municipality(db, "44021", 2025)
    assert areas.iloc[0]["area_id"] == "WG1" and areas.iloc[0]["outlets_total"] == 4
    weekly = queries.footfall_weekly(db, "44021")
    assert weekly["passers"].sum() == 600
    assert queries.footfall_weekly(db, "41002").empty
    hours = queries.footfall_profile(db, "44021", 2025, "uur")
    assert hours["avg_passers"].tolist() == [200.0, 200.0]
    table = queries.province_municipalities(db, "40000", 2025)
    assert len(table) == 55 and table.set_index("area_code").at["44021", "outlets_total"] == 9


def test_queries_take_values_as_parameters_not_sql(db: Database) -> None:
    assert queries.indicator_values(db, "gemeente", ["44021' or '1'='1"], "outlets").empty


def test_peer_quartiles_in_sql_match_the_pure_functions_and_the_hand_count(db: Database) -> None:
    peers_ = ["44021", "41002", "11002"]  # 11002 has no outlets in the fixture: no values, left out
    values = queries.indicator_values(db, "gemeente", peers_, "vacancy_rate_count")
    band = queries.peer_band(db, "gemeente", peers_, "vacancy_rate_count")
    expected = peer_band(values, peers_)
    pd.testing.assert_frame_equal(band, expected, check_dtype=False)
    row = band[(band["scope"] == "alle") & (band["year"] == 2025)].iloc[0]
    now = values[(values["scope"] == "alle") & (values["year"] == 2025)]["value"].dropna().sort_values().tolist()
    assert row["n"] == len(now) == 2
    low, high = now
    assert row["p25"] == pytest.approx(low + 0.25 * (high - low)) and row["median"] == pytest.approx((low + high) / 2)

    mix = queries.branch_mix(db, "gemeente", peers_, 2025)
    medians = queries.peer_branch_median(db, "gemeente", peers_, 2025)
    pd.testing.assert_frame_equal(medians, peer_median_by(mix, peers_, "branch_group", "share_outlets_pct"),
                                  check_dtype=False)
