"""Dutch (nl-BE) number and date formatting: 1.234,5 and 29-11-2026."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

#: The users' clock: stored moments are UTC, shown in Belgian time (summer time included).
BRUSSELS = ZoneInfo("Europe/Brussels")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")


def _missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """Format a number the Belgian way: ``1234.5`` -> ``"1.234,5"``; missing -> ``"–"``."""
    if _missing(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(value: float | None, decimals: int = 1) -> str:
    """Format a percentage: ``12.345`` -> ``"12,3 %"``."""
    return "–" if _missing(value) else f"{fmt_number(value, decimals)} %"


def fmt_delta(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """Format a change with its sign: ``+1,2 pp``, ``−0,4 %``."""
    if value is None or _missing(value):
        return "–"
    value = round(value, decimals)  # so that -0.04 reads ±0,0 and not −0,0
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{fmt_number(abs(value), decimals)}{(' ' + unit) if unit else ''}"


def fmt_time(value: dt.datetime | None) -> str:
    """Format a moment as Belgian local time, ``30-11-2026 10:32``; a naive value is taken to be UTC."""
    if value is None:
        return "–"
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(BRUSSELS).strftime("%d-%m-%Y %H:%M")


#: Short Dutch date, e.g. ``29-11-2026``.
DATE_FORMAT = "%d-%m-%Y"


def fmt_date(value: dt.date | dt.datetime | None, long: bool = False) -> str:
    """Format a date as ``29-11-2026`` or, long, ``29 november 2026``."""
    if value is None:
        return "–"
    if long:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return value.strftime(DATE_FORMAT)
