"""Settings as one declared table (name, environment variable, default, help), read from the environment.

README.md documents every setting; ``tests/unit/test_config.py`` keeps the two in step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One setting."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", "SMART_RETAIL_DB", "data/retail.duckdb", "Pad naar de DuckDB-database die de ETL bouwt"),
    Setting("host", "SMART_RETAIL_HOST", "127.0.0.1", "Adres waarop `python -m dashboard` luistert"),
    Setting("port", "SMART_RETAIL_PORT", "8050", "Poort waarop `python -m dashboard` luistert"),
    Setting("debug", "SMART_RETAIL_DEBUG", "0", "1 = Dash-ontwikkelmodus (foutmeldingen in de browser)"),
    Setting("map_tiles", "SMART_RETAIL_MAP_TILES", "0",
            "1 = OpenStreetMap-achtergrond onder de kaarten (de browser haalt de tegels op); 0 = witte achtergrond, "
            "werkt zonder internet"),
    Setting("max_age_days", "SMART_RETAIL_MAX_AGE_DAYS", "400",
            "Ouder dan zoveel dagen meldt /health de build als 'stale' (inventarissen zijn jaarlijks)"),
    Setting("intake_db_url", "SMART_RETAIL_INTAKE_DB_URL", "sqlite:///data/intake.sqlite3",
            "SQLAlchemy-URL van de operationele intake-opslag (aanvragen Profploeg); nooit de analytische DuckDB. "
            "Zonder deze variabele geldt DATABASE_URL, indien gezet"),
)


@dataclass(frozen=True)
class Settings:
    """The resolved settings."""

    db_path: Path
    host: str
    port: int
    debug: bool
    map_tiles: bool = False
    max_age_days: float = 400
    intake_db_url: str = "sqlite:///data/intake.sqlite3"


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "ja", "yes")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    raw = {s.name: env.get(s.env, s.default) for s in SETTINGS}
    return Settings(
        db_path=Path(raw["db_path"]),
        host=raw["host"],
        port=int(raw["port"]),
        debug=_flag(raw["debug"]),
        map_tiles=_flag(raw["map_tiles"]),
        max_age_days=float(raw["max_age_days"]),
        intake_db_url=intake_url(env),
    )


def intake_url(env: Mapping[str, str]) -> str:
    """Return the intake store's URL: ``SMART_RETAIL_INTAKE_DB_URL``, else ``DATABASE_URL``, else the default.

    A platform's ``postgres://`` URL is spelled ``postgresql://`` for SQLAlchemy 2, which dropped the alias.
    """
    setting = next(s for s in SETTINGS if s.name == "intake_db_url")
    url = env.get(setting.env) or env.get("DATABASE_URL") or setting.default
    return "postgresql://" + url.removeprefix("postgres://") if url.startswith("postgres://") else url
