"""The fiche's groupings and quartiles in SQL, on a small DuckDB file of hand-made rows, against hand counts."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.fiche.data import SIZE_BANDS, candidate_peers, choose_peers
from dashboard.peers import SIZE_CLASSES

TABLES = """
create table ref_branch_groups (branch_group varchar, label varchar, is_retail boolean, sort_order bigint,
                                color varchar);
insert into ref_branch_groups values ('Dagelijks', 'D', true, 1, '#000'), ('Mode', 'M', true, 2, '#111'),
                                     ('Vrije Tijd', 'V', false, 3, '#222');
create table mart_branch_mix (level varchar, area_code varchar, year integer, branch_group varchar, outlets bigint,
                              share_outlets_pct double, share_wvo_pct double);
-- P1 and P2 have no Mode (the mart has no row for it), P3 has 2 of 4 outlets in Mode; P4 has no outlet at all.
insert into mart_branch_mix values
    ('winkelgebied', 'A', 2025, 'Dagelijks', 1, 50, null), ('winkelgebied', 'A', 2025, 'Mode', 1, 50, null),
    ('winkelgebied', 'P1', 2025, 'Dagelijks', 4, 100, null), ('winkelgebied', 'P2', 2025, 'Dagelijks', 2, 100, null),
    ('winkelgebied', 'P3', 2025, 'Dagelijks', 2, 50, null), ('winkelgebied', 'P3', 2025, 'Mode', 2, 50, null),
    ('winkelgebied', 'P1', 2024, 'Mode', 9, 100, null), ('gemeente', 'P2', 2025, 'Mode', 9, 100, null);
create table fct_outlets (area_id varchar, year integer, is_vacant boolean, wvo_m2 double, vacancy_class varchar);
insert into fct_outlets values
    ('A', 2025, true, 99, 'structureel'), ('A', 2025, true, 100, 'frictioneel'), ('A', 2025, true, 600, 'structureel'),
    ('A', 2025, true, null, 'langdurig'), ('A', 2025, false, 50, null), ('A', 2025, true, 250, 'structureel'),
    ('A', 2024, true, 80, 'structureel'), ('B', 2025, true, 80, 'structureel');
create table mart_area_year (level varchar, area_code varchar, year integer, retail_outlets bigint,
                             chain_outlets bigint, vacancy_rate_wvo_all_pct double, vacancy_rate_wvo_retail_pct double,
                             vacancy_rate_wvo_headline_pct double, vacancy_wvo_scope varchar);
insert into mart_area_year values
    ('winkelgebied', 'A', 2024, 10, 4, 20, 30, 20, 'alle'),
    ('winkelgebied', 'A', 2025, 12, 4, 21, 31, 31, 'detailhandel'),
    ('winkelgebied', 'P1', 2025, 2, 1, 1, 10, 1, 'alle'), ('winkelgebied', 'P2', 2025, 3, 1, 2, 20, 2, 'alle'),
    ('winkelgebied', 'P3', 2025, 4, 1, 3, 30, 3, 'alle'), ('winkelgebied', 'P4', 2025, 5, 1, 4, 40, 4, 'alle'),
    ('winkelgebied', 'P5', 2025, 6, 1, 5, null, 5, 'alle'), ('winkelgebied', 'P1', 2024, 99, 0, 99, 99, 99, 'alle'),
    ('gemeente', 'P2', 2025, 99, 0, 99, 99, 99, 'alle');
create table dim_areas (area_id varchar, nis_code varchar, area_type varchar);
insert into dim_areas values ('A', '1', 'hoofdwinkelgebied'), ('A2', '1', 'hoofdwinkelgebied'),
    ('S1', '2', 'hoofdwinkelgebied'), ('S2', '3', 'hoofdwinkelgebied'), ('L1', '4', 'hoofdwinkelgebied'),
    ('U1', '5', 'hoofdwinkelgebied'), ('O1', '2', 'ondersteunend winkelgebied');
create table dim_population (nis_code varchar, year integer, population bigint);
-- 1 and 2 are small towns (2's latest count is what counts), 3 sits on the bound of the next class.
insert into dim_population values ('1', 2025, 9000), ('2', 2020, 25000), ('2', 2025, 9999), ('3', 2025, 10000),
                                  ('4', 2025, 150000);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("fiche-sql") / "small.duckdb"
    con = duckdb.connect(str(path))
    con.execute(TABLES)
    con.close()
    return Database(path)


def test_branch_groups_count_a_group_a_peer_lacks_as_zero(db: Database) -> None:
    table = queries.fiche_branch_groups(db, "A", ["P1", "P2", "P3", "P4"], 2025).set_index("branch_group")
    assert list(table.index) == ["Dagelijks", "Mode", "Vrije Tijd"]  # in sort order, every group
    # Mode: A has 1 (50 %); the peers with outlets are P1, P2 (0 %) and P3 (50 %); P4 has none: no peer value.
    assert table.loc["Mode", ["outlets", "share_pct", "peer_median", "peer_n", "peer_median_outlets"]].tolist() == [
        1, 50.0, 0.0, 3, 0.0]
    assert table.loc["Mode", ["peer_p25", "peer_p75"]].tolist() == [0.0, 25.0]  # [0, 0, 50]: 0 + 0.5 × 50
    assert table.loc["Vrije Tijd", ["outlets", "share_pct", "peer_p75"]].tolist() == [0, 0.0, 0.0]
    assert table.loc["Dagelijks", ["peer_p25", "peer_median", "peer_median_outlets"]].tolist() == [75.0, 100.0, 2.0]


def test_branch_groups_without_peers_leave_the_peer_columns_empty(db: Database) -> None:
    table = queries.fiche_branch_groups(db, "A", ["P4"], 2025).set_index("branch_group")
    assert table.loc["Mode", ["outlets", "share_pct"]].tolist() == [1, 50.0]
    assert all(math.isnan(v) for v in table.loc["Mode", ["peer_p25", "peer_median", "peer_n"]])


def test_vacant_units_by_size_band_and_structural(db: Database) -> None:
    table = queries.fiche_vacant_by_size(db, "A", 2025, list(SIZE_BANDS)).set_index("band")
    assert list(table.index) == ["< 100 m²", "100–250 m²", "250–500 m²", "≥ 500 m²", "onbekend", "totaal"]
    assert table.loc["< 100 m²", ["vacant", "structural"]].tolist() == [1, 1]
    assert table.loc["100–250 m²", ["vacant", "structural"]].tolist() == [1, 0]
    assert table.loc["250–500 m²", ["vacant", "structural"]].tolist() == [1, 1]
    assert table.loc["≥ 500 m²", ["vacant", "structural", "wvo_m2"]].tolist() == [1, 1, 600.0]
    assert table.loc["onbekend", ["vacant", "structural", "wvo_m2"]].tolist() == [1, 0, 0.0]
    assert table.loc["totaal", ["vacant", "structural", "wvo_m2"]].tolist() == [5, 3, 1049.0]


def test_vacant_units_without_unknown_sizes_have_no_unknown_band(db: Database) -> None:
    table = queries.fiche_vacant_by_size(db, "B", 2025, list(SIZE_BANDS))
    assert table["band"].tolist() == ["< 100 m²", "100–250 m²", "250–500 m²", "≥ 500 m²", "totaal"]
    assert table["vacant"].tolist() == [1, 0, 0, 0, 1]


def test_peer_quartiles_of_the_peers_only_with_the_area_s_wvo_scope(db: Database) -> None:
    columns = ["retail_outlets", "independent_outlets", "vacancy_rate_wvo_headline_pct"]
    peers = ["P1", "P2", "P3", "P4", "P5"]
    assert queries.fiche_peer_quartiles(db, peers, 2025, "alle", columns) == {
        "retail_outlets": (3.0, 4.0, 5.0, 5), "independent_outlets": (2.0, 3.0, 4.0, 5),
        "vacancy_rate_wvo_headline_pct": (2.0, 3.0, 4.0, 5)}
    # In the retail scope P5 has no value: the quartiles of 10, 20, 30, 40 (interpolated), of four peers.
    retail = queries.fiche_peer_quartiles(db, peers, 2025, "detailhandel", columns)
    assert retail["vacancy_rate_wvo_headline_pct"] == (17.5, 25.0, 32.5, 4)
    assert "vacancy_rate_wvo_headline_pct" not in queries.fiche_peer_quartiles(db, peers, 2025, None, columns)


def test_history_takes_the_scope_of_the_fiche_year_for_every_year(db: Database) -> None:
    history = queries.fiche_history(db, "A", [2024, 2025], 2025)
    assert history["year"].tolist() == [2024, 2025]
    assert history["vacancy_rate_wvo_headline_pct"].tolist() == [30.0, 31.0]  # detailhandel, as in 2025
    assert history["independent_outlets"].tolist() == [6, 8]
    assert queries.fiche_history(db, "A", [2024, 2025], 2024)["vacancy_rate_wvo_headline_pct"].tolist() == [20, 21]


def test_peers_are_same_type_areas_of_other_towns_of_the_same_size_class(db: Database) -> None:
    classes = queries.area_size_classes(db, tuple(lo for lo, _, _ in SIZE_CLASSES)).set_index("area_id")
    assert classes.loc[["A", "S1", "S2", "L1"], "size_class"].tolist() == [0, 0, 1, 4]  # 2: its 2025 count
    assert pd.isna(classes.loc["U1", "size_class"])  # no population known
    same, every, size = candidate_peers(classes.reset_index(), "A")
    assert (same, every, size) == (["S1"], ["A2", "L1", "S1", "S2", "U1"], 0)  # A2 is in A's own town
    peers, note = choose_peers("hoofdwinkelgebied", same, every, size)
    assert peers == every and note.startswith("Peers: alle 5 andere winkelgebieden")
    assert candidate_peers(classes.reset_index(), "U1")[2] is None
