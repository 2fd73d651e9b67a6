"""Repeated views from the per-build cache: the answer of a read-only callback is kept, keyed on its request.

A callback of the analytics pages (overview, province, municipality, core map, search) reads only the
build and its own inputs, so the same request body gives the same answer until the next build. The
answer's bytes are kept in :attr:`Database.cache <dashboard.data.db.Database.cache>` (bounded LRU, keyed
on the build, the body and the access scope) and a repeat is answered without running Dash at all.
Callbacks that write or read the intake store are never cached: their answer can change at any moment.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import flask

from dashboard.cache import PUBLIC, CacheKey
from dashboard.data.db import Database, DatabaseMissingError

CALLBACK_PATH = "/_dash-update-component"
#: Id prefixes of the components whose callbacks only read the build (``kaart-download`` is a file: not kept).
READ_ONLY = ("home-", "prov-", "gem-", "kaart-", "search-results")
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
    return bool(ids) and all(i.startswith(READ_ONLY) and not i.startswith(NEVER) for i in ids)


def install(server: flask.Flask, db: Database, scope: str = PUBLIC) -> None:
    """Answer repeated read-only callbacks from ``db.cache``; install after the request guard.

    ``scope`` is the access scope of every caller today (all read the same public build).
    """

    @server.before_request
    def answer_from_cache() -> flask.Response | None:
        request = flask.request
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        if not cacheable(request.get_json(silent=True)):
            return None
        digest = hashlib.sha256(request.get_data()).hexdigest()
        try:
            key = db.cache_key("callback", (digest,), scope=scope)
        except DatabaseMissingError:
            return None
        flask.g.view_cache_digest = digest
        kept = db.cache.get(key)
        if kept is not None:
            return flask.Response(kept, 200, mimetype="application/json")
        flask.g.view_cache_key = key
        return None

    @server.after_request
    def keep_answer(response: flask.Response) -> flask.Response:
        key = flask.g.pop("view_cache_key", None)
        if key is not None and response.status_code == 200 and not response.direct_passthrough:
            db.remember(key, response.get_data())
        return response


#: The compression cache's key of an answer that is not kept (flask-compress asks a key for every answer).
NOT_KEPT = "-"


class CompressedAnswers:
    """flask-compress's cache backend: the compressed bytes of kept answers, in the same per-build cache.

    A kept answer is then compressed once per build and encoding, not on every repeat.
    """

    def __init__(self, db: Database, scope: str = PUBLIC) -> None:
        self.db, self.scope = db, scope

    def _key(self, key: str) -> CacheKey | None:
        if key.endswith(";" + NOT_KEPT):
            return None
        try:
            return self.db.cache_key("compressed", (key,), scope=self.scope)
        except DatabaseMissingError:
            return None

    def get(self, key: str) -> bytes | None:
        """Return the compressed answer kept under ``key`` (``<encoding>;<request digest>``), if any."""
        found = self._key(key)
        return None if found is None else self.db.cache.get(found)

    def set(self, key: str, value: bytes) -> None:
        """Keep a compressed answer, unless its request is not a kept one."""
        found = self._key(key)
        if found is not None:
            self.db.remember(found, value)


def configure_compression(server: flask.Flask, db: Database, scope: str = PUBLIC) -> None:
    """Let flask-compress keep the compressed bytes of kept answers; call before Dash sets up compression."""
    answers = CompressedAnswers(db, scope)
    server.config["COMPRESS_CACHE_BACKEND"] = lambda: answers
    server.config["COMPRESS_CACHE_KEY"] = lambda request: flask.g.get("view_cache_digest") or NOT_KEPT
