"""Pure pieces of the dashboard: nl-BE formatting, KPI texts, figure builders, settings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from sqlalchemy import make_url

from dashboard.config import SETTINGS, load_settings
from dashboard.figures.trend import scope_trend
from dashboard.formatting import fmt_date, fmt_delta, fmt_number, fmt_percent
from dashboard.intake.db import driver_url, make_engine
from dashboard.kpis import OVERVIEW_KPIS, KpiSpec, kpi_view

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234.5, 1, "1.234,5"), (1234567, 0, "1.234.567"), (0.25, 2, "0,25"), (-1500.0, 0, "-1.500"),
     (None, 0, "–"), (float("nan"), 1, "–")],
)
def test_fmt_number_uses_belgian_separators(value: float | None, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


def test_percent_delta_and_date_formats() -> None:
    assert fmt_percent(12.345) == "12,3 %"
    assert fmt_delta(-0.44, 1, "pp") == "−0,4 pp"
    assert fmt_delta(2.0, 1, "%") == "+2,0 %"
    assert fmt_date(dt.date(2026, 11, 29)) == "29-11-2026"
    assert fmt_date(dt.date(2026, 11, 29), long=True) == "29 november 2026"


def test_kpi_percentage_changes_in_points_and_colours_by_direction() -> None:
    spec = next(s for s in OVERVIEW_KPIS if s.column == "vacancy_rate_count_all_pct")
    view = kpi_view(spec, {"vacancy_rate_count_all_pct": 11.6}, {"vacancy_rate_count_all_pct": 12.1})
    assert view["value"] == "11,6 %"
    assert view["delta"].startswith("−0,5 pp")
    assert view["delta_good"] is True  # less vacancy is good


def test_kpi_count_changes_in_percent() -> None:
    spec = KpiSpec("Winkels", "retail_outlets", "aantal", 0, True)
    view = kpi_view(spec, {"retail_outlets": 110}, {"retail_outlets": 100})
    assert (view["value"], view["delta"], view["delta_good"]) == ("110", "+10,0 % t.o.v. vorig jaar", True)


def test_kpi_headline_wvo_says_its_narrow_scope_and_never_compares_across_the_break() -> None:
    spec = next(s for s in OVERVIEW_KPIS if s.column == "vacancy_rate_wvo_headline_pct")
    assert spec.label == "Leegstand (WVO)" and spec.higher_is_better is False  # from the indicator catalogue
    current = {"vacancy_rate_wvo_headline_pct": 9.5, "vacancy_wvo_scope": "detailhandel"}
    view = kpi_view(spec, current, {"vacancy_rate_wvo_headline_pct": 9.0, "vacancy_wvo_scope": "detailhandel"})
    assert view["value"] == "9,5 %" and "detailhandel" in view["note"]
    assert view["delta"].startswith("+0,5 pp")
    mixed = kpi_view(spec, current, {"vacancy_rate_wvo_headline_pct": 7.0, "vacancy_wvo_scope": "alle"})
    assert mixed["delta"] is None


def test_kpi_without_data_shows_a_dash_and_says_why() -> None:
    view = kpi_view(OVERVIEW_KPIS[0], None, None)
    assert view["value"] == "–" and view["delta"] is None and view["note"] == "geen gegevens voor dit jaar"
    per_1000 = next(s for s in OVERVIEW_KPIS if s.column == "outlets_per_1000_inh")
    assert kpi_view(per_1000, {"outlets_per_1000_inh": None}, None)["note"] == "geen bevolkingscijfer voor dit jaar"


def test_an_empty_chain_share_card_gives_the_reason_from_the_mart() -> None:
    chain = next(s for s in OVERVIEW_KPIS if s.column == "chain_share_count_pct")
    view = kpi_view(chain, {"chain_share_count_pct": None, "chain_share_note": "geen ketenvlag in de levering"},
                    {"chain_share_count_pct": 30.0, "chain_share_note": None})
    assert (view["value"], view["delta"], view["note"]) == ("–", None, "geen ketenvlag in de levering")
    known = kpi_view(chain, {"chain_share_count_pct": 31.0, "chain_share_note": None}, None)
    assert known["note"] == "van de winkels"


def test_scope_trend_draws_one_unjoined_line_per_scope() -> None:
    df = pd.DataFrame({"year": [2018, 2019, 2020, 2019, 2020], "scope": ["detailhandel"] * 3 + ["alle"] * 2,
                       "value": [8.0, 8.5, 9.0, 7.0, 7.5]})
    fig = go.Figure(scope_trend(df, "Leegstand"))  # a plain dict, validated here
    names = [t.name for t in fig.data]
    assert names == ["alle verkooppunten", "detailhandel"]
    assert list(fig.data[0].x) == [2019, 2020] and list(fig.data[1].y) == [8.0, 8.5, 9.0]
    assert fig.layout.separators == ",."


def test_settings_read_from_environment_with_defaults() -> None:
    s = load_settings({"SMART_RETAIL_DB": "/x/y.duckdb", "SMART_RETAIL_PORT": "9000"})
    assert (str(s.db_path), s.port, s.host, s.debug) == ("/x/y.duckdb", 9000, "127.0.0.1", False)


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert re.search(rf"`{setting.env}`.*{re.escape(setting.default)}", readme), setting.env


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"DATABASE_URL": "postgres://u:pw@db.example:5433/intake?sslmode=require"},
      "postgresql+psycopg://u:pw@db.example:5433/intake?sslmode=require"),
     ({"DATABASE_URL": "postgresql://u@/intake?host=/run/pg"}, "postgresql+psycopg://u@/intake?host=/run/pg"),
     ({"SMART_RETAIL_INTAKE_DB_URL": "postgresql+psycopg2://u@h/db"}, "postgresql+psycopg2://u@h/db"),
     ({}, "sqlite:///data/intake.sqlite3")],
)
def test_a_platform_postgres_url_gets_the_psycopg_3_driver(env: dict[str, str], expected: str) -> None:
    # DATABASE_URL names no driver; SQLAlchemy would pick psycopg2, which the project does not install.
    assert driver_url(load_settings(env).intake_db_url) == make_url(expected)


def test_make_engine_opens_a_plain_postgresql_url_with_psycopg_3() -> None:
    engine = make_engine("postgresql://u@h/db")  # no connection yet: only the dialect and driver are chosen
    assert (engine.dialect.name, engine.dialect.driver, engine.url.drivername) == (
        "postgresql", "psycopg", "postgresql+psycopg")


def test_kpi_change_since_a_base_year() -> None:
    spec = next(s for s in OVERVIEW_KPIS if s.column == "vacancy_rate_count_all_pct")
    view = kpi_view(spec, {spec.column: 12.0}, {spec.column: 11.0}, {spec.column: 9.0}, 2015)
    assert view["delta"].startswith("+1,0 pp t.o.v. vorig jaar")
    assert view["base_delta"] == "+3,0 pp t.o.v. 2015"


def test_sparkline_is_tiny_and_skips_missing_years() -> None:
    from dashboard.figures.charts import sparkline

    fig = sparkline(pd.DataFrame({"year": [2023, 2024, 2025], "v": [1.0, None, 3.0]}), "v")
    assert fig["data"][0]["x"] == [2023, 2025] and fig["layout"]["height"] <= 50
    assert fig["layout"]["xaxis"]["visible"] is False
    import plotly.graph_objects as go

    go.Figure(fig)  # a valid plotly figure


def _years(*years: int) -> object:
    from dashboard.vocab import Known

    return Known("", frozenset(), frozenset(), frozenset(years), frozenset(), frozenset())


@pytest.mark.parametrize(("text", "expected"), [("2020", 2020), (None, 2025), ("", 2025), (" 2020 ", 2020)])
def test_url_year_defaults_to_the_latest_inventory(text: str | None, expected: int) -> None:
    from dashboard.params import year

    assert year(_years(2019, 2020, 2025), text) == expected


@pytest.mark.parametrize(("text", "status"), [("2031", 404), ("abc", 400), ("-1", 400), ("99999999999999999999", 400)])
def test_url_year_outside_the_build_is_refused(text: str, status: int) -> None:
    from dashboard.errors import RejectedError
    from dashboard.params import year

    with pytest.raises(RejectedError) as refused:
        year(_years(2019, 2020, 2025), text)
    assert refused.value.status == status


def test_the_province_indicator_is_a_column_of_the_catalogue_or_refused() -> None:
    from dashboard.errors import RejectedError
    from dashboard.features.province.params import ProvinceParams
    from dashboard.vocab import Known

    known = Known(build_id="b", municipalities=frozenset(), provinces=frozenset({"70000"}),
                  years=frozenset({2024, 2025}),
                  indicators=frozenset({"chain_share_count"}), columns=frozenset({"chain_share_count_pct"}))
    assert ProvinceParams.from_url(known, "70000").indicator == "vacancy_rate_count_all_pct"
    assert ProvinceParams.from_url(known, "70000", "2024", "chain_share_count_pct").indicator == "chain_share_count_pct"
    for bad in ("onzin", "chain_share_count"):
        with pytest.raises(RejectedError) as err:
            ProvinceParams.from_url(known, "70000", None, bad)
        assert err.value.status == 404
