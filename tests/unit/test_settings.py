"""The one settings table: documented, validated with a message naming the variable, read when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.config import load_settings, tile_source
from data_pipelines import settings
from data_pipelines.extract.tabular import stream_above_bytes
from data_pipelines.settings import SETTINGS, SettingError

TILES_MESSAGE = "verwacht een http(s)-URL van een tegeldienst met {z}, {x} en {y}"
ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented_in_the_readme_with_its_default() -> None:
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in readme.splitlines()
            if line.startswith("| `SMART_RETAIL_")}
    assert set(rows) == {s.env for s in SETTINGS}
    for s in SETTINGS:
        assert f"`{s.default}`" in rows[s.env], s.env


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("SMART_RETAIL_PORT", "acht", "verwacht een poortnummer van 1 tot 65535"),
    ("SMART_RETAIL_PORT", "70000", "verwacht een poortnummer van 1 tot 65535"),
    ("SMART_RETAIL_ETL_MEMORY", "veel", "verwacht een hoeveelheid geheugen zoals 4GB of 512MB"),
    ("SMART_RETAIL_ETL_MEMORY", "4", "verwacht een hoeveelheid geheugen zoals 4GB of 512MB"),
    ("SMART_RETAIL_STREAM_ABOVE_MB", "-1", "verwacht een getal groter dan 0"),
    ("SMART_RETAIL_MAX_AGE_DAYS", "nan", "verwacht een getal groter dan 0"),
    ("SMART_RETAIL_DEBUG", "misschien", "verwacht 1 of 0"),
    ("SMART_RETAIL_INTAKE_DB_URL", "mysql://u@h/db", "verwacht een SQLAlchemy-URL die begint met sqlite:// of postgresql://"),
    ("SMART_RETAIL_TILES_URL", "https://tile.example/{z}/{x}.png", TILES_MESSAGE),
    ("SMART_RETAIL_TILES_URL", "//tile.example/{z}/{x}/{y}.png", TILES_MESSAGE),
])
def test_a_bad_value_names_the_variable_the_value_and_what_it_may_be(variable: str, value: str,
                                                                      message: str) -> None:
    name = next(s.name for s in SETTINGS if s.env == variable)
    with pytest.raises(SettingError) as err:
        settings.get(name, {variable: value})
    assert str(err.value) == f"{variable}={value!r}: {message}"


def test_good_values_parse_to_their_types() -> None:
    env = {"SMART_RETAIL_PORT": "8061", "SMART_RETAIL_DEBUG": "ja", "SMART_RETAIL_ETL_MEMORY": "512MB",
           "SMART_RETAIL_MAX_AGE_DAYS": "30,5", "DATABASE_URL": "postgres://u@h/db"}
    loaded = load_settings(env)
    assert (loaded.port, loaded.debug, loaded.max_age_days) == (8061, True, 30.5)
    assert loaded.intake_db_url == "postgresql://u@h/db"
    assert settings.get("etl_memory", env) == "512MB"
    assert settings.get("base_url", {"SMART_RETAIL_BASE_URL": "https://retail.example.be/"}) == \
        "https://retail.example.be"


def test_flags_given_on_the_command_line_win_over_the_environment() -> None:
    loaded = load_settings({"SMART_RETAIL_PORT": "8061", "SMART_RETAIL_DB": "a.duckdb"}, port=9000, db_path=None)
    assert (loaded.port, loaded.db_path) == (9000, Path("a.duckdb"))


def test_settings_are_read_when_asked_for_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMART_RETAIL_STREAM_ABOVE_MB", "16")
    assert stream_above_bytes() == 16 * 1024 * 1024
    monkeypatch.setenv("SMART_RETAIL_STREAM_ABOVE_MB", "1,5")
    assert stream_above_bytes() == int(1.5 * 1024 * 1024)
    monkeypatch.setenv("SMART_RETAIL_CACHE", "/tmp/elders")
    assert settings.get("cache_dir") == Path("/tmp/elders")


def test_a_street_base_map_is_the_default_and_its_url_a_setting() -> None:
    tiles = tile_source(load_settings({}))
    assert tiles is not None and tiles.url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in tiles.attribution
    grb = tile_source(load_settings({"SMART_RETAIL_TILES_URL": "https://geo.api.vlaanderen.be/GRB/wmts?TILEMATRIX={z}"
                                                               "&TILEROW={y}&TILECOL={x}",
                                     "SMART_RETAIL_TILES_ATTRIBUTION": "© Digitaal Vlaanderen"}))
    assert grb is not None and grb.origin() == "https://geo.api.vlaanderen.be"
    assert grb.attribution == "© Digitaal Vlaanderen"
    assert tile_source(load_settings({"SMART_RETAIL_MAP_TILES": "0"})) is None
