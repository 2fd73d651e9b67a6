"""The app's settings, resolved from the project's one declared table (``data_pipelines.settings.SETTINGS``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from dashboard.figures.maps import TileSource
from data_pipelines.settings import SETTINGS, SettingError, get

__all__ = ["SETTINGS", "SettingError", "Settings", "TileSource", "load_settings", "tile_source"]


@dataclass(frozen=True)
class Settings:
    """The resolved settings."""

    db_path: Path
    host: str
    port: int
    debug: bool
    map_tiles: bool = False
    tiles_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tiles_attribution: str = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers'
    max_age_days: float = 400
    intake_db_url: str = "sqlite:///data/intake.sqlite3"
    https: bool = False
    session_hours: float = 8
    public_indicators: bool = False
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_role_claim: str = "smart_retail_role"
    oidc_nis_claim: str = "nis_code"
    oidc_province_claim: str = "province_code"
    retention_years: int = 5
    base_url: str = "http://127.0.0.1:8050"
    warm: int = 40


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read the app's settings from ``env`` (default: the process environment, now); ``overrides`` win.

    Raises
    ------
    data_pipelines.settings.SettingError
        A variable holds a value it cannot have.

    """
    values = {name: get(name, env) for name in _APP_SETTINGS}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)


def tile_source(settings: Settings) -> TileSource | None:
    """Return the base map under the maps, or None for a white background (``SMART_RETAIL_MAP_TILES=0``)."""
    return TileSource(settings.tiles_url, settings.tiles_attribution) if settings.map_tiles else None


_APP_SETTINGS = tuple(f.name for f in fields(Settings))
