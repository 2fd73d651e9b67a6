"""Each indicator's label is written once, in the catalogue; tables, cards and the fiche take it from there."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dashboard.fiche.data import DNA_ROWS
from dashboard.kpis import MUNICIPALITY_KPIS, OVERVIEW_KPIS
from dashboard.labels import header, table_columns
from data_pipelines.indicators import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("label", sorted({i.label for i in CATALOGUE}))
def test_each_indicator_label_is_written_once(label: str) -> None:
    found = subprocess.run(["git", "grep", "-n", "-F", f'"{label}"', "--", "*.py", ":!tests/"], cwd=ROOT,
                           capture_output=True, text=True, check=False).stdout.splitlines()
    assert len(found) == 1 and found[0].startswith("data_pipelines/indicators.py"), found


def test_headers_carry_the_unit_and_the_scope() -> None:
    assert header("vacancy_rate_count_all_pct") == "Leegstand (aantal, %)"
    assert header("vacancy_rate_wvo_headline_pct") == "Leegstand (WVO, %)"  # the headline: the WVO vacancy's label
    assert header("vacancy_structural_share_vacant_pct") == "Structurele leegstand (> 3 jaar, % van de leegstand)"
    assert header("retail_wvo_m2") == "WVO detailhandel (m²)" and header("outlets_total") == "Verkooppunten"
    assert table_columns({"name": "Gemeente", "chain_share_count_pct": None}) == {
        "name": ("Gemeente", None), "chain_share_count_pct": ("Aandeel ketens (aantal, %)", 1)}


def test_cards_and_fiche_rows_take_the_catalogue_label_unit_and_direction() -> None:
    by_column = {i.column: i for i in CATALOGUE}
    for spec in (*OVERVIEW_KPIS, *MUNICIPALITY_KPIS):
        source = by_column.get(spec.column, by_column["vacancy_rate_wvo_all_pct"])
        assert (spec.label, spec.unit, spec.decimals, spec.higher_is_better) == (
            source.label, source.unit, source.decimals, source.higher_is_better)
    assert {label for column, label, _, _ in DNA_ROWS if column in by_column} <= {i.label for i in CATALOGUE}
