"""Repeated views from the per-build cache: the answer of a read-only callback is kept, keyed on its request.

A callback of the analytics pages (overview, province, municipality, core map, search) reads only the
build and its own inputs, so the same request body gives the same answer until the next build. The
answer's bytes are kept in :attr:`Database.cache <dashboard.data.db.Database.cache>` (bounded LRU, keyed
on the build, the body and the caller's access scope) and a repeat is answered without running Dash at all.
The scope (:func:`~dashboard.accounts.access.access_scope`: public, or the account's role, binding and
assignments) is part of the key and of the digest the compressed copy is kept under: an answer made for one caller is
never served to a caller who may see less.
Callbacks that write or read the intake store are never cached: their answer can change at any moment (the
application form's 5B analysis and zone map read only the build and the answers sent with the request).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask

from dashboard import static_files
from dashboard.accounts.access import access_scope
from dashboard.cache import PUBLIC, CacheKey
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.shared_answers import SharedAnswers, default_root

CALLBACK_PATH = "/_dash-update-component"
#: Id prefixes of the components whose callbacks only read the build (``kaart-download`` is a file: not kept).
READ_ONLY = ("home-", "prov-", "gem-", "kaart-", "search-results")
#: The application form's parts drawn from the build and the request's own answers alone, never from the
#: intake store: the 5B analysis with its expert suggestions, and the zone on the map.
READ_ONLY_INTAKE = ("intake-fivb-", "intake-fiche-note", "intake-experts", "intake-suggested", "intake-zone-map")
NEVER = ("kaart-download",)
PAGES = "_pages_content"
#: Pages that show the intake store (applications, the programme): their answer can change at any moment.
STORE_PAGES = ("intake", "/oproepen", "/trajecten", "/vitrine")


def _output_ids(output: str) -> list[str]:
    """Return the component ids (or pattern pages) a callback's ``output`` names."""
    ids = []
    for part in output.strip(".").split("..."):
        component = part.rsplit(".", 1)[0]
        if component.startswith("{"):
            try:
                component = str(json.loads(component).get("page", ""))
            except (ValueError, AttributeError):
                return []
        ids.append(component)
    return ids


def cacheable(body: Any) -> bool:
    """Tell whether the callback request ``body`` asks a read-only callback (one whose answer may be kept).

    The page container is read-only except on the pages that show the intake store (:data:`STORE_PAGES`).
    """
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return False
    ids = _output_ids(body["output"])
    if ids and ids[0] == PAGES:
        path = next((i.get("value") for i in body.get("inputs") or [] if isinstance(i, dict)
                     and i.get("property") == "pathname"), None)
        return isinstance(path, str) and not any(part in path for part in STORE_PAGES)
    return bool(ids) and all(i.startswith(READ_ONLY + READ_ONLY_INTAKE) and not i.startswith(NEVER) for i in ids)


class Visits:
    """How often each read-only callback request of the public scope was asked in this worker (bounded).

    The warmer (:mod:`dashboard.warm`) answers the most asked ones again after a build swap.
    """

    def __init__(self, max_bodies: int = 500) -> None:
        self.max_bodies = max_bodies
        self._lock = threading.Lock()
        self._counts: dict[bytes, int] = {}

    def record(self, body: bytes) -> None:
        """Count one request ``body``; beyond the bound, the least asked half is forgotten."""
        with self._lock:
            self._counts[body] = self._counts.get(body, 0) + 1
            if len(self._counts) > self.max_bodies:
                keep = sorted(self._counts.items(), key=lambda kv: -kv[1])[:self.max_bodies // 2]
                self._counts = dict(keep)

    def top(self, n: int) -> list[bytes]:
        """Return the ``n`` most asked request bodies, most asked first."""
        with self._lock:
            return [b for b, _ in sorted(self._counts.items(), key=lambda kv: -kv[1])[:n]]


def request_digest(scope: str, body: bytes) -> str:
    """Return the digest a callback answer is kept under: of the caller's scope and the request body."""
    return hashlib.sha256(scope.encode() + b"\0" + body).hexdigest()


#: ``server.extensions`` keys: the workers' shared answers once a server shares them (:func:`share`), and
#: what the answers depend on besides the request and the build (the app's settings).
SHARED, SETUP = "smart_retail_shared_answers", "smart_retail_answers_setup"


def install(server: flask.Flask, db: Database, scope: Callable[[], str] = access_scope,
            visits: Visits | None = None, setup: str = "") -> None:
    """Answer repeated read-only callbacks from ``db.cache``; install after the request guard.

    ``visits`` counts the read-only requests of anonymous visitors (what the warmer answers again).
    ``setup`` names what else the answers depend on (the app's settings): the key of the answers the
    workers share once :func:`share` is called.

    ``scope`` returns the access scope of the request's caller: a page's answer depends on who asks (the
    refusal of an anonymous visitor, another municipality's outlets), so one caller's answer is never
    served to a caller of another scope.
    """

    @server.before_request
    def answer_from_cache() -> flask.Response | None:
        request = flask.request
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        if not cacheable(request.get_json(silent=True)):
            return None
        who = scope()
        # The scope is part of the digest too: flask-compress keeps the compressed answer under it.
        digest = request_digest(who, request.get_data())
        if visits is not None and who == PUBLIC:
            visits.record(request.get_data())
        try:
            key = db.cache_key("callback", (digest,), scope=who)
        except DatabaseMissingError:
            return None
        flask.g.view_cache_digest = digest
        kept = db.cache.get(key)
        shared: SharedAnswers | None = server.extensions.get(SHARED)
        if kept is None and shared is not None:
            kept = shared.get(db.path, key.build, digest)  # another worker's answer
            if kept is not None:
                db.remember(key, kept)
        if kept is not None:
            return flask.Response(kept, 200, mimetype="application/json")
        flask.g.view_cache_key = key
        return None

    @server.after_request
    def keep_answer(response: flask.Response) -> flask.Response:
        key = flask.g.pop("view_cache_key", None)
        if key is not None and response.status_code == 200 and not response.direct_passthrough:
            answer = response.get_data()
            db.remember(key, answer)
            shared: SharedAnswers | None = server.extensions.get(SHARED)
            if shared is not None and db.fingerprint() == key.build:  # not an answer begun on an older build
                shared.put(db.path, key.build, flask.g.view_cache_digest, answer)
        return response

    server.extensions[SETUP] = setup


def share(server: flask.Flask, root: Path | None = None) -> flask.Flask:
    """Let the workers of this server share their kept answers (:mod:`dashboard.shared_answers`); return it.

    The servers call it (gunicorn's ``dashboard.app:server``, ``python -m dashboard``), never an app made for
    a test or a command.
    """
    server.extensions[SHARED] = SharedAnswers(root or default_root(), server.extensions[SETUP])
    return server


def shared_or_compute(server: flask.Flask, db: Database, kind: str, request: bytes, compute: Callable[[], bytes],
                      *, scope: str) -> bytes:
    """Return the bytes another worker of this server kept for ``request`` of ``kind``, or compute and share them.

    For results a worker keeps in its own memory under another form (the first layout of a page), so that
    each is computed once per server and build, as the callbacks' answers are (:func:`share`).
    """
    shared: SharedAnswers | None = server.extensions.get(SHARED)
    if shared is None:
        return compute()
    digest = request_digest(scope, kind.encode() + b"\0" + request)  # never a callback's digest
    build = db.fingerprint()
    kept = shared.get(db.path, build, digest)
    if kept is None:
        kept = compute()
        if db.fingerprint() == build:  # not a result begun on an older build
            shared.put(db.path, build, digest, kept)
    return kept


#: The compression cache's key of an answer that is not kept (flask-compress asks a key for every answer).
NOT_KEPT = "-"


class CompressedAnswers:
    """flask-compress's cache backend: the compressed bytes of kept answers, in the same per-build cache.

    A kept answer is then compressed once per build and encoding, not on every repeat. Its key holds the
    request digest, which holds the caller's scope; the entry's own scope is therefore the public one.
    """

    def __init__(self, db: Database, scope: str = PUBLIC) -> None:
        self.db, self.scope = db, scope
        # The app's static files (bundles, assets), keyed on their content: the build does not change them,
        # and they are few (one entry per file and encoding), so they stay for the worker's life.
        self.static: dict[str, bytes] = {}

    def _key(self, key: str) -> CacheKey | None:
        if key.endswith(";" + NOT_KEPT):
            return None
        try:
            return self.db.cache_key("compressed", (key,), scope=self.scope)
        except DatabaseMissingError:
            return None

    def get(self, key: str) -> bytes | None:
        """Return the compressed answer kept under ``key`` (``<encoding>;<request digest>``), if any."""
        if key.partition(";")[2].startswith(static_files.STATIC_KEY):
            return self.static.get(key)
        found = self._key(key)
        return None if found is None else self.db.cache.get(found)

    def set(self, key: str, value: bytes) -> None:
        """Keep a compressed answer, unless its request is not a kept one."""
        if key.partition(";")[2].startswith(static_files.STATIC_KEY):
            self.static[key] = value
            return
        found = self._key(key)
        if found is not None:
            self.db.remember(found, value)


def configure_compression(server: flask.Flask, db: Database, scope: str = PUBLIC) -> None:
    """Let flask-compress keep the compressed bytes of kept answers; call before Dash sets up compression."""
    answers = CompressedAnswers(db, scope)
    server.config["COMPRESS_CACHE_BACKEND"] = lambda: answers
    server.config["COMPRESS_CACHE_KEY"] = lambda request: (flask.g.get("view_cache_digest")
                                                           or static_files.compressed_key() or NOT_KEPT)
