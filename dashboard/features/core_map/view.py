"""The core-area map's rows: outlets of a year (cached per build), the filters, changes, summary and table.

Database + choices -> frames and texts; no Dash.
"""

from __future__ import annotations

import pandas as pd

from dashboard.cache import PUBLIC
from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.features.core_map import mapdata
from dashboard.formatting import fmt_number


def outlets(db: Database, nis: str, year: int) -> pd.DataFrame:
    """Return the outlets of ``nis`` in ``year``, kept in the app's per-build cache (not to be changed).

    The access check is the callbacks' (outlet level): the rows themselves are the same for every caller.
    """
    return db.cached("map-outlets", (nis, year), lambda: queries.map_outlets(db, nis, [year]), scope=PUBLIC,
                     size=lambda frame: int(frame.memory_usage(deep=True).sum()))


def groups_of(db: Database) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """Return the occupied branch groups and their (label, colour)."""
    g = queries.branch_groups(db)
    occupied = g[g["branch_group"] != mapdata.VACANT_GROUP]
    labels = {r.branch_group: (r.label, r.color) for r in occupied.itertuples()}
    return occupied["branch_group"].tolist(), labels



def filters(groups: object, vacancy_only: object, chain: object,
            durations: object = tuple(mapdata.DURATION_CHOICES)) -> mapdata.Filters:
    """Return the map's filters from the controls' values."""
    # Callback payloads can be forged: anything that is not what the controls send counts as "nothing".
    chain = chain if isinstance(chain, str) and chain in mapdata.CHAIN_CHOICES else "alle"
    picked = tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else ()
    spans = tuple(d for d in durations if d in mapdata.DURATION_CHOICES) if isinstance(durations, list | tuple) else ()
    return mapdata.Filters(picked, vacancy_only is True, chain, spans)


def state(db: Database, nis: str, year: int, since: int, f: mapdata.Filters) -> tuple[pd.DataFrame, bool]:
    """Return the rows the map shows (outlets, or changes in 'changes since' mode) and the mode."""
    now = outlets(db, nis, year)
    if since and since < year:
        return mapdata.filter_changes(mapdata.changes(outlets(db, nis, since), now), f), True
    return mapdata.shown(now, f), False


def summary(rows: pd.DataFrame, changes_mode: bool, since: int, year: int, total: int) -> str:
    """Return the line above the map: what it shows, in numbers."""
    if changes_mode:
        c = mapdata.change_counts(rows)
        return (f"Van {since} tot {year}: {fmt_number(c['openingen'])} openingen, {fmt_number(c['sluitingen'])} "
                f"sluitingen, {fmt_number(c['nieuwe_leegstand'])} panden nieuw leeg "
                f"({fmt_number(len(rows))} gewijzigde panden op de kaart).")
    vacant = int(rows["is_vacant"].astype(bool).sum())
    return (f"{fmt_number(len(rows))} van de {fmt_number(total)} verkooppunten van {year} op de kaart, "
            f"waarvan {fmt_number(vacant)} leegstaand.")


def table_rows(db: Database, nis: str, year: int, since: int, f: mapdata.Filters,
               street: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Return the table of what the map shows (on the streets matching ``street``), and its columns."""
    rows, changes_mode = state(db, nis, year, since, f)
    rows = mapdata.on_street(rows, street)
    if changes_mode:
        return mapdata.change_table(rows), mapdata.CHANGE_COLUMNS
    labels = {g: lab for g, (lab, _) in groups_of(db)[1].items()} | {mapdata.VACANT_GROUP: "Leegstand"}
    return mapdata.outlet_table(rows, labels), mapdata.OUTLET_COLUMNS


def street_rows(db: Database, nis: str, year: int, street: str | None = None) -> pd.DataFrame:
    """Return the per-street summary of every unit of ``year`` (streets matching ``street``)."""
    return mapdata.street_summary(mapdata.on_street(outlets(db, nis, year), street))
