"""Warm the per-build cache after a build swap: the main areas' fiche PDFs and the most visited views.

A new build empties the cache (:mod:`dashboard.cache`), so the first visitors after a swap would pay every
first view and every fiche render. Each worker therefore runs one background thread that notices a new
build (the database file's fingerprint, polled) and then, one item at a time:

1. answers again the read-only callbacks visitors asked most in this worker (public scope only: the
   requests themselves, counted by :class:`Visits`), through the Dash view directly, so that no request
   log, audit line or guard runs for a request nobody made;
2. renders the fiche PDFs of the main shopping areas of the municipalities with the most outlets.

It never delays a request: before each item it waits until the worker has no request in flight
(:class:`Activity`), and it starts only some seconds after the worker did. A newer build stops it and
starts it over; ``limit`` bounds both lists (``SMART_RETAIL_WARM``; 0 turns warming off).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

import flask

from dashboard.cache import PUBLIC
from dashboard.data import queries
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.fiche.data import FicheNotFoundError, main_area
from dashboard.render_pool import Ticket, host_slot
from dashboard.view_cache import CALLBACK_PATH, Visits, request_digest

log = logging.getLogger(__name__)


class Activity:
    """The number of requests this worker is serving now."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = 0
        self._idle = threading.Event()
        self._idle.set()

    def enter(self) -> None:
        """Count a request in."""
        with self._lock:
            self._busy += 1
            self._idle.clear()

    def leave(self) -> None:
        """Count a request out."""
        with self._lock:
            self._busy = max(0, self._busy - 1)
            if self._busy == 0:
                self._idle.set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no request is in flight; return whether that happened within ``timeout``."""
        return self._idle.wait(timeout)


def main_fiches(db: Database, limit: int) -> list[tuple[str, str]]:
    """Return ``(nis, area_id)`` of the main shopping area of the ``limit`` municipalities with most outlets."""
    areas = queries.areas(db)
    sizes = areas.groupby("nis_code")["outlets_latest"].sum().sort_values(ascending=False, kind="stable")
    picked = []
    for nis in sizes.index[:limit]:
        area = main_area(areas, str(nis))
        if area is not None:
            picked.append((str(nis), area))
    return picked


class Warmer:
    """The background warming of one worker (see the module's description)."""

    def __init__(self, server: flask.Flask, db: Database, visits: Visits, activity: Activity, limit: int,
                 slot: Path | None = None, delay: float = 5.0, poll_seconds: float = 2.0) -> None:
        self.server, self.db, self.visits, self.activity, self.slot = server, db, visits, activity, slot
        self.limit, self.delay, self.poll_seconds = limit, delay, poll_seconds
        self.warmed_build: Hashable = None
        self.views = 0
        self.fiches = 0
        self._thread: threading.Thread | None = None
        self._item_started: float | None = None

    def start(self) -> None:
        """Start the background thread (once)."""
        if self._thread is None and self.limit > 0:
            self._thread = threading.Thread(target=self._loop, name="cache-warmer", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        time.sleep(self.delay)
        while True:
            try:
                build = self.db.fingerprint()
                if build != self.warmed_build:
                    self.warm(build)
            except DatabaseMissingError:
                pass
            except Exception:  # a failed warm-up costs the visitors a slower first view, never the worker
                log.exception("opwarmen van de cache mislukt")
            time.sleep(self.poll_seconds)

    def _current(self, build: Hashable) -> bool:
        """Rest, then wait for a quiet moment; tell whether ``build`` is still the current build.

        The rest is as long as the last item took (at most a second): the warmer takes at most half of a
        core, and a request's render, which polls for the machine's render slot, finds it free.
        """
        if self._item_started is not None:
            time.sleep(min(time.perf_counter() - self._item_started, 1.0))
        while not self.activity.wait_idle(self.poll_seconds):
            pass
        self._item_started = time.perf_counter()
        try:
            return self.db.fingerprint() == build
        except DatabaseMissingError:
            return False

    def warm(self, build: Hashable) -> None:
        """Warm the most visited views and the main fiches of ``build`` (stops when a newer build arrives)."""
        for body in self.visits.top(self.limit):
            if not self._current(build):
                return
            self.answer(body)
        from dashboard.features.fiche.routes import fiche_pdf_key, render_fiche  # the PDF side loads on demand
        from dashboard.links import base_url

        with self.server.app_context():
            base = base_url()
        latest = max(queries.years(self.db))
        for nis, area in main_fiches(self.db, self.limit):
            if not self._current(build):
                return
            created = dt.date.today()
            keys = [self.db.cache_key("fiche-pdf", fiche_pdf_key(nis, a, y, base, created), scope=PUBLIC)
                    for a, y in ((area, latest), (None, None))]  # the fiche page's button; a bare address
            if self.db.cache.get(keys[0]) is not None:
                continue
            ticket = Ticket()
            try:
                with host_slot(self.slot, ticket):  # one render at a time on the machine, as for the requests
                    found = render_fiche(self.db, nis, area, latest, base, created)(ticket)
            except FicheNotFoundError:
                continue
            for key in keys:
                self.db.remember(key, found, len(found[0]))
            self.fiches += 1
        self.warmed_build = build
        self._item_started = None

    def answer(self, body: bytes) -> None:
        """Answer one callback request as an anonymous visitor would get it, and keep the answer."""
        with self.server.test_request_context(CALLBACK_PATH, method="POST", data=body,
                                              content_type="application/json"):
            endpoint, args = flask.request.url_rule.endpoint, flask.request.view_args or {}
            response = self.server.make_response(self.server.view_functions[endpoint](**args))
        if response.status_code == 200:
            key = self.db.cache_key("callback", (request_digest(PUBLIC, body),), scope=PUBLIC)
            self.db.remember(key, response.get_data())
            self.views += 1


def install(server: flask.Flask, db: Database, visits: Visits, limit: int, slot: Path | None = None) -> Warmer:
    """Count the requests in flight and make this worker's warmer; return it, not started.

    The servers start it (:func:`start`): gunicorn's ``dashboard.app:server`` and ``python -m dashboard``;
    an app made for a test or a command does not warm anything behind its back. Requests are counted
    around the whole WSGI call, so that a request a hook answers early is counted out as well.
    """
    activity = Activity()
    inner = server.wsgi_app

    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        activity.enter()
        try:
            return inner(environ, start_response)
        finally:
            activity.leave()

    server.wsgi_app = counted  # type: ignore[method-assign]
    warmer = Warmer(server, db, visits, activity, limit, slot)
    server.extensions["smart_retail_warmer"] = warmer
    return warmer


def start(server: flask.Flask) -> flask.Flask:
    """Start the warmer of ``server`` (made by :func:`install`) and return ``server``."""
    server.extensions["smart_retail_warmer"].start()
    return server
