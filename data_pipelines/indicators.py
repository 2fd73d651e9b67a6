"""The indicator catalogue: each wide mart column, its indicator key, scope, Dutch label and unit.

``mart_indicator_values`` (long: level x area x year x indicator x scope) and ``dim_indicator`` are
generated from this table, and the dashboard takes its labels from ``dim_indicator``. The formulas
themselves live in ``sql/marts/mart_area_year.sql`` (../shared/INDICATORS.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """One indicator series as stored in the marts."""

    column: str
    indicator: str
    scope: str  # 'alle' = all outlets, 'detailhandel' = retail (+ vacant), '-' = not applicable
    label: str
    unit: str  # 'aantal', 'm²', '%', 'per 1.000 inw.', 'm²/inw.', 'passanten'
    decimals: int
    higher_is_better: bool | None
    description: str


#: Labels of indicators stored in two scopes (one row each below): written once.
VACANCY_COUNT = "Leegstand (aantal)"
VACANCY_WVO = "Leegstand (WVO)"
FRICTIONAL = "Frictieleegstand (≤ 1 jaar)"
LONGTERM = "Langdurige leegstand (1-3 jaar)"
STRUCTURAL = "Structurele leegstand (> 3 jaar)"

CATALOGUE: tuple[Indicator, ...] = (
    Indicator("outlets_total", "outlets", "alle", "Verkooppunten", "aantal", 0, None,
              "Alle verkooppunten, bezet en leegstaand"),
    Indicator("retail_outlets", "retail_outlets", "detailhandel", "Winkels (detailhandel)", "aantal", 0, True,
              "Bezette verkooppunten in de detailhandel"),
    Indicator("outlets_vacant", "vacant_outlets", "alle", "Leegstaande panden", "aantal", 0, False,
              "Leegstaande verkooppunten"),
    Indicator("retail_wvo_m2", "retail_wvo_m2", "detailhandel", "WVO detailhandel", "m²", 0, None,
              "Winkelvloeroppervlakte van de bezette detailhandel"),
    Indicator("vacancy_rate_count_retail_pct", "vacancy_rate_count", "detailhandel", VACANCY_COUNT, "%", 1,
              False, "Leegstaande panden / (winkels + leegstaande panden) x 100"),
    Indicator("vacancy_rate_count_all_pct", "vacancy_rate_count", "alle", VACANCY_COUNT, "%", 1, False,
              "Leegstaande panden / alle verkooppunten x 100"),
    Indicator("vacancy_rate_wvo_retail_pct", "vacancy_rate_wvo", "detailhandel", VACANCY_WVO, "%", 1, False,
              "Leegstaande m² / (m² detailhandel + leegstaande m²) x 100"),
    Indicator("vacancy_rate_wvo_all_pct", "vacancy_rate_wvo", "alle", VACANCY_WVO, "%", 1, False,
              "Leegstaande m² / m² van alle verkooppunten x 100; alleen waar de WVO van alle verkooppunten "
              "gemeten is"),
    Indicator("vacancy_frictional_share_vacant_pct", "vacancy_frictional_share", "leegstand",
              FRICTIONAL, "%", 1, None, "Aandeel van de leegstaande panden"),
    Indicator("vacancy_longterm_share_vacant_pct", "vacancy_longterm_share", "leegstand",
              LONGTERM, "%", 1, False, "Aandeel van de leegstaande panden"),
    Indicator("vacancy_structural_share_vacant_pct", "vacancy_structural_share", "leegstand",
              STRUCTURAL, "%", 1, False, "Aandeel van de leegstaande panden"),
    Indicator("vacancy_frictional_rate_pct", "vacancy_frictional_rate", "alle", FRICTIONAL,
              "%", 1, None, "Aandeel van alle verkooppunten"),
    Indicator("vacancy_longterm_rate_pct", "vacancy_longterm_rate", "alle", LONGTERM,
              "%", 1, False, "Aandeel van alle verkooppunten"),
    Indicator("vacancy_structural_rate_pct", "vacancy_structural_rate", "alle", STRUCTURAL,
              "%", 1, False, "Aandeel van alle verkooppunten"),
    Indicator("chain_share_count_pct", "chain_share_count", "detailhandel", "Aandeel ketens (aantal)", "%", 1,
              None, "Filiaalbedrijven / winkels x 100"),
    Indicator("chain_share_wvo_pct", "chain_share_wvo", "detailhandel", "Aandeel ketens (WVO)", "%", 1, None,
              "WVO van filiaalbedrijven / WVO detailhandel x 100"),
    Indicator("avg_wvo_per_store_m2", "avg_wvo_per_store", "detailhandel", "Gemiddelde winkelgrootte", "m²", 0,
              None, "WVO detailhandel / winkels met een gemeten WVO"),
    Indicator("population", "population", "-", "Inwoners", "aantal", 0, None, "Bevolking op 1 januari"),
    Indicator("outlets_per_1000_inh", "outlets_per_1000_inh", "detailhandel", "Winkels per 1.000 inwoners",
              "per 1.000 inw.", 1, None, "Winkels / inwoners x 1.000"),
    Indicator("wvo_per_inh_m2", "wvo_per_inh", "detailhandel", "WVO per inwoner", "m²/inw.", 2, None,
              "WVO detailhandel / inwoners"),
    Indicator("footfall_avg_daily_per_point", "footfall_daily", "-", "Passanten per dag per telpunt",
              "passanten", 0, True, "Gemiddeld aantal passanten per teldag en telpunt"),
    Indicator("footfall_avg_weekly_per_point", "footfall_weekly", "-", "Passanten per week per telpunt",
              "passanten", 0, True, "Gemiddelde per dag x 7"),
    Indicator("footfall_yoy_pct", "footfall_yoy", "-", "Passanten t.o.v. vorig jaar", "%", 1, True,
              "Verandering van het daggemiddelde op dezelfde telpunten"),
    Indicator("capture_rate_pct", "capture_rate", "-", "Capture rate", "%", 1, True,
              "Binnenkomers / (binnenkomers + passanten) x 100, alleen waar ingangen geteld worden"),
)

COLUMNS = tuple(i.column for i in CATALOGUE)
