"""The URL's values: each parameter (path variable or query) checked by its name, and parsed to a type.

The guard runs :data:`CHECKS` on every page address, API route and Dash page-router call before a page
sees it; a slice's ``params.py`` builds its typed dataclass with the parsers below, so a year, a NIS code
or an application number means the same everywhere and is refused the same way
(:class:`~dashboard.errors.RejectedError`: 400 malformed, 404 unknown).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.errors import MovedError, RejectedError
from dashboard.intake.models import STATUSES
from dashboard.vocab import Known

#: The peer groups a page can compare with, besides a list of NIS codes.
PEER_MODES = ("grootte", "provincie")
MAX_PEERS = 300
#: Application numbers are 1 to 9 digits: what a link holds, and what fits the store's integer.
MAX_ID_DIGITS = 9

NOTHING = Known("", frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
Check = Callable[[Known, str, dict[str, str]], None]


def check_nis(known: Known, value: str, ctx: dict[str, str]) -> None:
    """Check a municipality's NIS code; an old code of a merged one answers with the new code (MovedError)."""
    if not re.fullmatch(r"\d{4,5}", value):
        raise RejectedError(400, f"'{value}' is geen NIS-code (vijf cijfers, bv. 44021 voor Gent).")
    if value.zfill(5) in known.merged and ctx.get("nis") == value:
        raise MovedError(value, known.merged[value.zfill(5)])
    if value.zfill(5) not in known.municipalities:
        raise RejectedError(404, f"Er is geen Vlaamse gemeente met NIS-code '{value}'.")


def check_province(known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check a province code of the build."""
    if value not in known.provinces:
        raise RejectedError(404, f"Er is geen Vlaamse provincie met code '{value}' "
                                 f"(wel: {', '.join(sorted(known.provinces))}).")


def check_year(known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check an inventory year of the build."""
    if not re.fullmatch(r"\d{4}", value):
        raise RejectedError(400, f"'{value}' is geen jaartal.")
    if int(value) not in known.years:
        span = f"{min(known.years)}–{max(known.years)}" if known.years else "geen"
        raise RejectedError(404, f"Voor {value} zijn er geen gegevens (jaren: {span}).")


def check_peers(known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check a peer mode, or up to :data:`MAX_PEERS` NIS codes separated by commas."""
    if value in PEER_MODES:
        return
    codes = [c.strip() for c in value.split(",")]
    if not codes or len(codes) > MAX_PEERS or not all(re.fullmatch(r"\d{4,5}", c) for c in codes):
        raise RejectedError(400, "'peers' is 'grootte', 'provincie' of een lijst NIS-codes gescheiden door komma's.")
    unknown = [c for c in codes if c.zfill(5) not in known.municipalities]
    if unknown:
        raise RejectedError(404, f"Onbekende NIS-code(s) in 'peers': {', '.join(unknown[:5])}.")


def check_indicator(known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check an indicator (or its mart column) of the catalogue."""
    if value not in known.indicators | known.columns:
        raise RejectedError(404, f"Er is geen indicator '{value}'.")


def check_area(known: Known, value: str, ctx: dict[str, str]) -> None:
    """Check a shopping area of the build, in the municipality the address names."""
    nis = known.areas.get(value)
    if nis is None:
        raise RejectedError(404, f"Er is geen winkelgebied met id '{value}'.")
    if "nis" in ctx and ctx["nis"].zfill(5) != nis:
        raise RejectedError(404, f"Winkelgebied '{value}' ligt niet in gemeente {ctx['nis']}.")


def check_application_id(_known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check the form of an application number; whether it exists (here) is the page's to say."""
    if not (value.isascii() and re.fullmatch(rf"[0-9]{{1,{MAX_ID_DIGITS}}}", value)):
        raise RejectedError(400, f"'{value}' is geen aanvraagnummer (een getal van 1 tot {MAX_ID_DIGITS} cijfers).")


def check_call_id(_known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check the form of a call number; whether it exists is the page's to say."""
    if not (value.isascii() and re.fullmatch(rf"[0-9]{{1,{MAX_ID_DIGITS}}}", value)):
        raise RejectedError(400, f"'{value}' is geen oproepnummer (een getal van 1 tot {MAX_ID_DIGITS} cijfers).")


#: A listing's page number: 1 to 4 digits, never 0.
MAX_PAGE_DIGITS = 4


def check_page(_known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check the form of a page number (``pagina``); a page past the last is the page's to clamp."""
    if not (value.isascii() and re.fullmatch(rf"[0-9]{{1,{MAX_PAGE_DIGITS}}}", value)) or int(value) < 1:
        raise RejectedError(400, f"'{value[:20]}' is geen paginanummer (1, 2, 3, …).")


def check_card_id(_known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check the form of a Vitrine card's number (its trajectory's); whether it is published is the page's to say."""
    if not (value.isascii() and re.fullmatch(rf"[0-9]{{1,{MAX_ID_DIGITS}}}", value)):
        raise RejectedError(400, f"'{value[:20]}' is geen kaartnummer (een getal van 1 tot {MAX_ID_DIGITS} cijfers).")


def check_status(_known: Known, value: str, _ctx: dict[str, str]) -> None:
    """Check a status of an application."""
    if value not in STATUSES:
        raise RejectedError(404, f"Er is geen status '{value[:40]}' (wel: {', '.join(STATUSES)}).")


#: Path variables and query parameters, checked by name wherever they occur.
CHECKS: dict[str, Check] = {
    "nis": check_nis,
    "code": check_province,
    "jaar": check_year,
    "basisjaar": check_year,
    "sinds": check_year,
    "peers": check_peers,
    "indicator": check_indicator,
    "gebied": check_area,
    "aanvraag": check_application_id,
    "provincie": check_province,
    "status": check_status,
    "oproep": check_call_id,
    # De Vitrine (issue 19): its page and the card a "gemeenten zoals de uwe" link lands on.
    "pagina": check_page,
    "kaart": check_card_id,
}


def check_all(known: Known, variables: dict[str, str], query: dict[str, list[str]]) -> None:
    """Check the path ``variables`` and the ``query`` (name -> values) of one address."""
    for name, value in variables.items():
        if name in CHECKS:
            CHECKS[name](known, value, variables)
    for name, values in query.items():
        if name not in CHECKS:
            continue  # utm_source and the like: not ours
        if len(values) != 1:
            raise RejectedError(400, f"De parameter '{name}' staat meer dan één keer in het adres.")
        CHECKS[name](known, values[0].strip(), variables)


# -- typed values, for the slices' dataclasses ----------------------------------------------------------

def _given(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) and text.strip() else None


def year(known: Known, text: str | None, default: int | None = None) -> int:
    """Return the inventory year ``text`` names, else ``default`` (the latest year of the build)."""
    given = _given(text)
    if given is None:
        return default if default is not None else max(known.years)
    check_year(known, given, {})
    return int(given)


def indicator_column(known: Known, text: str | None, default: str) -> str:
    """Return the indicator column (``vacancy_rate_count_all_pct``) ``text`` names, else ``default``.

    An indicator given by its name rather than one of its columns is refused (404) like any unknown one.
    """
    given = _given(text)
    if given is None:
        return default
    if given not in known.columns:
        raise RejectedError(404, f"Er is geen indicator '{given}'.")
    return given


def optional_year(known: Known, text: str | None) -> int | None:
    """Return the inventory year ``text`` names, or ``None`` when there is none."""
    given = _given(text)
    return None if given is None else year(known, given)


def municipality_code(known: Known, text: str | None) -> str:
    """Return the NIS code ``text`` names (a merged code refers on: :class:`MovedError`)."""
    check_nis(known, text or "", {"nis": text or ""})
    return (text or "").zfill(5)


def province_code(known: Known, text: str | None) -> str:
    """Return the province code ``text`` names."""
    check_province(known, text or "", {})
    return text or ""


def optional_province(known: Known, text: str | None) -> str | None:
    """Return the province ``text`` names, or ``None`` (all provinces)."""
    given = _given(text)
    return None if given is None else province_code(known, given)


def area_id(known: Known, text: str | None, nis: str) -> str | None:
    """Return the shopping area ``text`` names in municipality ``nis``, or ``None`` when there is none."""
    given = _given(text)
    if given is not None:
        check_area(known, given, {"nis": nis})
    return given


def application_id(text: str | None) -> int | None:
    """Return the application number ``text`` names, or ``None`` when there is none."""
    given = _given(text)
    if given is None:
        return None
    check_application_id(NOTHING, given, {})
    return int(given)


def call_id(text: str | None) -> int:
    """Return the call number ``text`` names (a malformed one: 400)."""
    given = _given(text) or ""
    check_call_id(NOTHING, given, {})
    return int(given)


def status(text: str | None) -> str | None:
    """Return the status ``text`` names, or ``None`` (all statuses)."""
    given = _given(text)
    if given is not None:
        check_status(NOTHING, given, {})
    return given


def peers(known: Known, text: str | None) -> tuple[str, tuple[str, ...]]:
    """Return the peer mode and the picked NIS codes ``text`` names (default: equal size)."""
    given = _given(text)
    if given is None:
        return "grootte", ()
    check_peers(known, given, {})
    if given in PEER_MODES:
        return given, ()
    return "eigen", tuple(dict.fromkeys(c.strip().zfill(5) for c in given.split(",")))


def municipality(db: Database, nis: str | None) -> pd.Series | None:
    """Return the municipality (code, name, province, population) with NIS code ``nis``, or ``None``."""
    munis = queries.municipalities(db)
    row = munis[munis["nis_code"] == (nis or "")]
    return None if row.empty else row.iloc[0]
