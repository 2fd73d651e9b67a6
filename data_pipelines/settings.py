"""Every setting of the project as one declared table, read and validated at call time.

The table lives on the ETL side because both the ETL and the app read it and the ETL never imports the app.
Values are read when asked for, never at import, so a test or a long-running process sees the environment of
the moment. README.md documents each row; ``tests/unit/test_settings.py`` keeps the two in step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SettingError(ValueError):
    """A setting holds a value it cannot have; the message names the variable and what it may be."""


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "ja", "yes", "on"):
        return True
    if value in ("0", "false", "nee", "no", "off", ""):
        return False
    raise ValueError("verwacht 1 of 0")


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError("verwacht een poortnummer van 1 tot 65535")
    return int(text)


def _positive(text: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise ValueError("verwacht een getal groter dan 0")
    return value


_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$", re.IGNORECASE)


def _memory(text: str) -> str:
    # DuckDB accepts these units for memory_limit; checking here gives the user our message, not DuckDB's.
    if not _MEMORY.match(text):
        raise ValueError("verwacht een hoeveelheid geheugen zoals 4GB of 512MB")
    return text.strip()


def _db_url(text: str) -> str:
    url = text.strip()
    # SQLAlchemy 2 dropped the postgres:// alias that hosting platforms still hand out.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", url):
        raise ValueError("verwacht een SQLAlchemy-URL die begint met sqlite:// of postgresql://")
    return url


def _years(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise ValueError("verwacht een geheel aantal jaren, minstens 1")
    return int(text)


def _base_url(text: str) -> str:
    url = text.strip().rstrip("/")
    # Printed in PDFs as the permanent link: an address of the dashboard itself, nothing after the host and path.
    if not re.match(r"^https?://[^/?#\s]+(/[^?#\s]*)?$", url):
        raise ValueError("verwacht het adres van het dashboard, zoals https://smartretail.example.be")
    return url


def _tile_url(text: str) -> str:
    url = text.strip()
    # MapLibre fills in {z}, {x} and {y}; the Content-Security-Policy admits the host of this URL only.
    if not re.match(r"^https?://[^/?#{}]+/", url) or not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise ValueError("verwacht een http(s)-URL van een tegeldienst met {z}, {x} en {y}")
    return url


def _text(text: str) -> str:
    if not text.strip():
        raise ValueError("mag niet leeg zijn")
    return text.strip()


def _count(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError("verwacht een geheel getal vanaf 0")
    return int(text)


def _optional(text: str) -> str:
    return text.strip()


def _url_or_empty(text: str) -> str:
    value = text.strip().rstrip("/")
    if value and not re.match(r"^https?://[^/\s]+", value):
        raise ValueError("verwacht een URL die begint met https:// (of leeg: geen aanmelding via OIDC)")
    return value


def _path(text: str) -> Path:
    return Path(_text(text)).expanduser()


@dataclass(frozen=True)
class Setting:
    """One setting: its name in code, its environment variable, default, meaning and parser."""

    name: str
    env: str
    default: str
    help: str
    parse: Callable[[str], Any]
    #: Other variables consulted, in order, when ``env`` is not set (a platform's conventional name).
    fallback: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", "SMART_RETAIL_DB", "data/retail.duckdb",
            "Pad naar de DuckDB-database die de ETL bouwt en het dashboard leest", _path),
    Setting("host", "SMART_RETAIL_HOST", "127.0.0.1", "Adres waarop `python -m dashboard` luistert", _text),
    Setting("port", "SMART_RETAIL_PORT", "8050", "Poort waarop `python -m dashboard` luistert", _port),
    Setting("debug", "SMART_RETAIL_DEBUG", "0", "1 = Dash-ontwikkelmodus (foutmeldingen in de browser)", _flag),
    Setting("map_tiles", "SMART_RETAIL_MAP_TILES", "1",
            "1 = een stratenkaart onder de kaarten (de browser haalt de tegels op bij SMART_RETAIL_TILES_URL); "
            "0 = witte achtergrond, werkt zonder internet", _flag),
    Setting("tiles_url", "SMART_RETAIL_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "XYZ- of WMTS-URL van de achtergrondtegels, met {z}, {x} en {y} (bv. de GRB-basiskaart van Digitaal "
            "Vlaanderen); de Content-Security-Policy laat alleen deze host toe", _tile_url),
    Setting("tiles_attribution", "SMART_RETAIL_TILES_ATTRIBUTION",
            '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers',
            "Bronvermelding die op de kaart bij de tegels staat (HTML-link toegestaan)", _text),
    Setting("max_age_days", "SMART_RETAIL_MAX_AGE_DAYS", "400",
            "Ouder dan zoveel dagen meldt /health de build als 'stale' (inventarissen zijn jaarlijks)", _positive),
    Setting("intake_db_url", "SMART_RETAIL_INTAKE_DB_URL", "sqlite:///data/intake.sqlite3",
            "SQLAlchemy-URL van de operationele intake-opslag (aanvragen Profploeg); nooit de analytische DuckDB. "
            "Zonder deze variabele geldt DATABASE_URL, indien gezet", _db_url, fallback=("DATABASE_URL",)),
    Setting("https", "SMART_RETAIL_HTTPS", "0",
            "1 = het dashboard staat achter TLS: sessiecookies alleen over HTTPS (Secure) en HSTS", _flag),
    Setting("session_hours", "SMART_RETAIL_SESSION_HOURS", "8",
            "Na zoveel uur na het aanmelden vervalt de sessie en moet de gebruiker opnieuw aanmelden", _positive),
    Setting("public_indicators", "SMART_RETAIL_PUBLIC_INDICATORS", "0",
            "1 = de geaggregeerde indicatorpagina's (Vlaanderen, provincies, gemeenten) zijn openbaar zonder "
            "aanmelden; 0 = alleen voor aangemelde accounts. Winkels per adres vragen altijd een account", _flag),
    Setting("oidc_issuer", "SMART_RETAIL_OIDC_ISSUER", "",
            "URL van de OpenID Connect-provider (issuer); samen met client-id en -geheim verschijnt 'Aanmelden via …' "
            "op /login. Leeg: alleen e-mailadres en wachtwoord", _url_or_empty),
    Setting("oidc_client_id", "SMART_RETAIL_OIDC_CLIENT_ID", "", "Client-id van het dashboard bij de OIDC-provider",
            _optional),
    Setting("oidc_client_secret", "SMART_RETAIL_OIDC_CLIENT_SECRET", "",
            "Client-geheim van het dashboard bij de OIDC-provider", _optional),
    Setting("oidc_role_claim", "SMART_RETAIL_OIDC_ROLE_CLAIM", "smart_retail_role",
            "Claim met de rol (gemeente, provincie, expert, vlaio, beheerder); zonder claim geldt de accounttabel",
            _text),
    Setting("oidc_nis_claim", "SMART_RETAIL_OIDC_NIS_CLAIM", "nis_code", "Claim met de NIS-code (rol gemeente)",
            _text),
    Setting("oidc_province_claim", "SMART_RETAIL_OIDC_PROVINCE_CLAIM", "province_code",
            "Claim met de provinciecode (rol provincie)", _text),
    Setting("stream_above_mb", "SMART_RETAIL_STREAM_ABOVE_MB", "256",
            "Exportbestanden groter dan zoveel MB worden regel per regel gelezen in plaats van in het geheugen",
            _positive),
    Setting("etl_memory", "SMART_RETAIL_ETL_MEMORY", "1GB",
            "Geheugen dat DuckDB tijdens een build mag gebruiken; daarboven gaan tijdelijke tabellen naar schijf",
            _memory),
    Setting("retention_years", "SMART_RETAIL_RETENTION_YEARS", "5",
            "Zoveel jaar na de laatste activiteit anonimiseert `python -m dashboard privacy retention` een afgesloten "
            "aanvraag (contactgegevens, vrije tekst, auteurs)", _years),
    Setting("base_url", "SMART_RETAIL_BASE_URL", "http://127.0.0.1:8050",
            "Adres van het dashboard voor de permanente links in PDF's (nooit de Host-header van de aanvraag)",
            _base_url),
    Setting("cache_dir", "SMART_RETAIL_CACHE", "~/.cache/smart-retail",
            "Map waarin de ETL de afgeleide referentietabellen bewaart (opnieuw gemaakt als hun bronnen wijzigen)",
            _path),
    Setting("warm", "SMART_RETAIL_WARM", "40",
            "Na elke nieuwe build maakt elke worker op de achtergrond de PDF-fiches van de hoofdwinkelgebieden van "
            "zoveel gemeenten met de meeste verkooppunten en zoveel meest bekeken weergaven vooraf; 0 = uit", _count),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """Return the declared setting called ``name`` (KeyError for a name nobody declared)."""
    return _BY_NAME[name]


def get(name: str, env: Mapping[str, str] | None = None) -> Any:
    """Read setting ``name`` from ``env`` (default: the process environment, now) and parse it.

    Raises
    ------
    SettingError
        The value cannot be parsed; the message names the variable, the value and what it may be.

    """
    spec = _BY_NAME[name]
    env = os.environ if env is None else env
    raw = next((env[v] for v in (spec.env, *spec.fallback) if env.get(v)), spec.default)
    try:
        return spec.parse(raw)
    except ValueError as exc:
        source = next((v for v in (spec.env, *spec.fallback) if env.get(v)), spec.env)
        raise SettingError(f"{source}={raw!r}: {exc}") from None
