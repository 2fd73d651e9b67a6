"""The vocabularies a request may name, read once per build: years, municipalities, areas, indicators...

Every check of a URL parameter or callback value (:mod:`dashboard.params`, :mod:`dashboard.controls`)
tests against these sets, so what a control may hold is what the build holds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import flask

from dashboard.data import queries
from dashboard.data.db import Database


@dataclass(frozen=True)
class Known:
    """The values a URL or a control may name, for one build."""

    build_id: str
    municipalities: frozenset[str]
    provinces: frozenset[str]
    years: frozenset[int]
    indicators: frozenset[str]  # the catalogue's indicators (``vacancy_rate_count``)
    columns: frozenset[str]  # their mart columns, one per scope (``vacancy_rate_count_all_pct``)
    areas: dict[str, str] = field(default_factory=dict)  # area id -> NIS code
    merged: dict[str, str] = field(default_factory=dict)  # NIS code before a merger -> current code
    branch_groups: frozenset[str] = frozenset()


def read_known(db: Database) -> Known:
    """Read the vocabularies of the build ``db`` serves now."""
    build = queries.build_info(db)
    catalogue = queries.indicator_catalogue(db)
    areas = queries.area_ids(db)
    return Known(
        build_id=build.get("build_id", ""),
        municipalities=frozenset(queries.municipalities(db)["nis_code"]),
        provinces=frozenset(queries.provinces(db)["province_code"]),
        years=frozenset(queries.years(db)),
        indicators=frozenset(catalogue["indicator"]),
        columns=frozenset(catalogue["column"]),
        areas=dict(zip(areas["area_id"], areas["nis_code"], strict=True)),
        merged=queries.nis_mergers(db),
        branch_groups=frozenset(queries.branch_groups(db)["branch_group"]),
    )


class KnownCache:
    """``Known`` for the build the database currently serves; re-read when the ETL swaps a new one in."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._value: tuple[object, Known] | None = None

    def get(self) -> Known:
        """Return the vocabularies of the current build (cached per build)."""
        build = queries.build_info(self.db)  # also (re)opens the current file, so the identity is fresh
        identity = (self.db.identity, build.get("build_id"))
        with self._lock:
            if self._value is not None and self._value[0] == identity:
                return self._value[1]
        known = read_known(self.db)
        with self._lock:
            self._value = (identity, known)
        return known


def current_known() -> Known:
    """Return the vocabularies of the build the app serving this request reads."""
    return flask.current_app.extensions["smart_retail_known"].get()
