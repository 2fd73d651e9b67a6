"""Read-only DuckDB connections that follow the ETL's atomic swaps.

The ETL replaces the database file with ``os.replace``; a connection keeps reading the file it
opened. Each query checks the file's identity (inode, size, mtime) and opens the new file when it
changed, so the app moves to a new build without a restart while running queries finish on the old.

DuckDB's Python client caches database instances by path: ``duckdb.connect(path)`` while an old
connection to that path is alive returns the *old* file's instance. So each build is opened in its
own in-memory instance that ATTACHes the file read-only; instances are never shared between builds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from dashboard.cache import PUBLIC, BuildCache, CacheKey
from dashboard.figures.maps import TileSource

T = TypeVar("T")

ALIAS = "retail"


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open ``path`` read-only in a fresh in-memory DuckDB instance (never a cached one)."""
    # One DuckDB thread per query: the server's own request threads keep the cores busy, and a view's
    # statements are small (milliseconds), where spreading one over threads costs a quarter more CPU
    # (waking and joining them) and saves no time under load.
    con = duckdb.connect(":memory:", config={"threads": 1})
    quoted = str(path).replace("'", "''")
    con.execute(f"attach '{quoted}' as {ALIAS} (read_only)")
    return con


class DatabaseMissingError(RuntimeError):
    """The database file is not there (not built yet)."""


class Database:
    """A read-only DuckDB database file, reopened when the ETL swaps in a new build."""

    def __init__(self, path: Path, cache: BuildCache | None = None) -> None:
        self.path = Path(path)
        #: Read-only results of this database's current build (see :mod:`dashboard.cache`).
        self.cache = cache if cache is not None else BuildCache()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int, int] | None = None

    def _current(self) -> duckdb.DuckDBPyConnection:
        identity = self.fingerprint()
        with self._lock:
            if self._con is None or identity != self._identity:
                # The old connection is left to the garbage collector: cursors still running on it finish.
                self._con = _open_read_only(self.path)
                self._identity = identity
            return self._con

    @property
    def identity(self) -> tuple[int, int, int] | None:
        """Return the (inode, size, mtime) of the file the current connection reads, if open."""
        return self._identity

    def _run(self, sql: str, params: list[Any] | tuple[Any, ...] | None, take: Callable[[Any], T]) -> T:
        """Run ``sql`` on a cursor of the current build and return ``take(cursor)``."""
        cur = self._current().cursor()
        try:
            cur.execute(f"use {ALIAS}")
            cur.execute(sql, params or [])
            return take(cur)
        finally:
            cur.close()

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        """Run ``sql`` with bound ``params`` and return a DataFrame."""
        return self._run(sql, params, lambda cur: cur.df())

    def query_small(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        """Like :meth:`query`, for a result of some rows: the DataFrame is made from Python rows.

        DuckDB's own conversion costs about a millisecond per ten columns whatever the rows; for a few rows
        the Python rows cost a fraction of that. Types are pandas' own inference (an integer column with a
        missing value becomes float, one without any value holds ``None``), so use it where the caller reads
        values, not dtypes.
        """
        return self._run(sql, params, lambda cur: pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description]))

    def query_row_or_none(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None
                          ) -> tuple[Any, ...] | None:
        """Run ``sql`` with bound ``params`` and return its first row as a tuple (no DataFrame made), if any."""
        return self._run(sql, params, lambda cur: cur.fetchone())

    def cache_key(self, kind: str, params: tuple[Hashable, ...], *, scope: str) -> CacheKey:
        """Return the cache key of a result of the current build, for the caller's access ``scope``."""
        return self.cache.key(self.fingerprint(), kind, params, scope=scope)

    def remember(self, key: CacheKey, value: object, size: int | None = None) -> None:
        """Keep ``value`` under ``key`` unless a new build arrived while it was computed."""
        if self.fingerprint() == key.build:
            self.cache.put(key, value, size)

    def cached(self, kind: str, params: tuple[Hashable, ...], compute: Callable[[], T], *, scope: str,
               size: Callable[[T], int] | None = None) -> T:
        """Return ``compute()``, computed once per build for these ``params`` and the caller's ``scope``.

        The result must not be changed by the caller: every later caller gets the same object.
        """
        key = self.cache_key(kind, params, scope=scope)
        return self.cache.get_or_compute(key, compute, size, still_valid=lambda: self.fingerprint() == key.build)

    def query_cached(self, sql: str, params: tuple[Any, ...] = ()) -> pd.DataFrame:
        """Like :meth:`query`, for the small reference results nearly every view asks for.

        Years, municipalities, the indicator catalogue, …: run once per build, and a copy handed out each
        time, so that a caller may change what it gets.
        """
        frame = self.cached("query", (sql, params), lambda: self.query(sql, list(params)), scope=PUBLIC,
                            size=lambda df: int(df.memory_usage(deep=True).sum()))
        return frame.copy()

    def fingerprint(self) -> tuple[int, int, int]:
        """Return the identity of the file now behind the path: it changes with every swapped-in build."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseMissingError(str(self.path)) from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def exists(self) -> bool:
        """Tell whether the database file is present."""
        return self.path.is_file()


def current_db() -> Database:
    """Return the database of the Flask app serving this request."""
    import flask

    return flask.current_app.extensions["smart_retail_db"]


def map_tiles() -> TileSource | None:
    """Return the street tiles the maps of this app draw (None: white background; ``SMART_RETAIL_MAP_TILES``)."""
    import flask

    return flask.current_app.extensions.get("smart_retail_map_tiles")
