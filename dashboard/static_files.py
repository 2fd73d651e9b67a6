"""What the browser loads before a page's callbacks: kept by the browser for good, asked for early.

A page load runs: the index, its stylesheets and scripts, then Dash's layout, then the callbacks. Before
this module a warm load asked the server again about every file of the app's own (``/assets/``, whose
address carried a modification time, not a fingerprint) and about every part Dash loads lazily (plotly.js,
4.8 MB, and the chunks of the graph, dropdown and table components, whose addresses carry no fingerprint at
all); and the callbacks waited for those chunks, which the browser only asked for once the layout named the
components. Here:

- every address the index names carries a fingerprint of the file's **content** (the app's assets, the
  Bootstrap stylesheet) or Dash's own (its component suites), and such an answer says ``immutable``: a
  browser that has it never asks again. A changed file gets a new address; an asset or vendored address
  whose fingerprint is not the file's is answered as before (revalidated), never kept for good;
- the index loads the lazily loaded chunks the page draws with (:data:`PAGE_PARTS`), at fingerprinted
  addresses, as plain scripts: they register themselves with the component bundles, which then never fetch
  them; and it preloads plotly.js at a fingerprinted address, which ``assets/plotly-url.js`` makes the one
  Dash loads;
- flask-compress keeps the compressed bytes of each static file per worker, keyed on its content, so a file
  is compressed once per worker and encoding, not on every request (:func:`compressed_key`).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
from pathlib import Path

import dash
import flask
from dash.fingerprint import build_fingerprint, check_fingerprint

#: What an answer at a fingerprinted address says: keep it a year, never ask again.
IMMUTABLE = "public, max-age=31536000, immutable"
SUITES_PREFIX = "/_dash-component-suites/"
ASSETS_PREFIX = "/assets/"
FAVICON = "/_favicon.ico"
PLOTLY = ("plotly", "package_data/plotly.min.js")
GRAPH = (("dash", "dcc/async-graph.js"),)
DROPDOWN = (("dash", "dcc/async-dropdown.js"),)
TABLE = (("dash", "dash_table/async-table.js"), ("dash", "dash_table/async-highlight.js"))
#: The lazily loaded chunks each slice's page draws with (the navbar's search is a dropdown on every page),
#: and whether it draws plotly charts. A page missing here still works: its chunks load as Dash loads them.
PAGE_PARTS: dict[str, tuple[tuple[tuple[str, str], ...], bool]] = {
    "home": (GRAPH + DROPDOWN + TABLE, True),
    "province": (GRAPH + DROPDOWN + TABLE, True),
    "municipality": (GRAPH + DROPDOWN + TABLE, True),
    "core_map": (GRAPH + DROPDOWN + TABLE, True),
    "fiche": (GRAPH + DROPDOWN, True),
    "intake": (GRAPH + DROPDOWN, True),
    "calls": (GRAPH + DROPDOWN, True),
}
#: The id of the index's preload of plotly.js: ``assets/plotly-url.js`` points Dash's loader at its address.
PLOTLY_LINK_ID = "plotly-js"


class Fingerprints:
    """Content hashes of files, computed once per file version (its modification time and size)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, tuple[int, int, str]] = {}

    def of(self, path: str | Path) -> str:
        """Return the first 16 hex digits of the SHA-256 of the file at ``path``."""
        name = str(path)
        stat = os.stat(name)
        with self._lock:
            known = self._known.get(name)
        if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        digest = hashlib.sha256(Path(name).read_bytes()).hexdigest()[:16]
        with self._lock:
            self._known[name] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


def suite_file(package: str, path_in_package: str) -> Path:
    """Return the file of a component suite's ``path_in_package`` (as Dash serves it) of ``package``."""
    return Path(sys.modules[package].__file__ or "").parent / path_in_package


def suite_url(app: dash.Dash, prints: Fingerprints, package: str, path_in_package: str) -> str:
    """Return the address of a suite file with its content hash in Dash's fingerprint form (``.v<version>m<hash>``)."""
    version = getattr(sys.modules[package], "__version__", "0")
    fingerprinted = build_fingerprint(path_in_package, version, prints.of(suite_file(package, path_in_package)))
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/{package}/{fingerprinted}"


def with_asset_hashes(html: str, assets_folder: str, prints: Fingerprints) -> str:
    """Return the index ``html`` with each ``/assets/<file>?m=<mtime>`` address fingerprinted by content."""
    def content(match: re.Match[str]) -> str:
        path = Path(assets_folder, match.group(2))
        return f"{match.group(1)}?m={prints.of(path)}" if path.is_file() else match.group(0)

    return re.sub(r'("/assets/([^"?]+))\?m=[0-9.]+', content, html)


def page_parts(path: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Return the lazily loaded chunks and whether plotly is drawn on the page at ``path`` (none if unknown)."""
    from dashboard import features, guard

    found = guard.page_at(path)
    if found is None:
        return (), False
    return PAGE_PARTS.get(features.slice_of_page(found[0]["module"]), ((), False))


def early_tags(app: dash.Dash, prints: Fingerprints, path: str) -> tuple[str, str]:
    """Return (head tags, script tags) that have the page's lazily loaded parts on their way from the start."""
    chunks, plotly = page_parts(path)
    head = (f'<link rel="preload" as="script" id="{PLOTLY_LINK_ID}" href="{suite_url(app, prints, *PLOTLY)}">'
            if plotly else "")
    # async: they only register with the bundles, so they need not hold up the page's scripts.
    scripts = "".join(f'\n<script async src="{suite_url(app, prints, *chunk)}"></script>' for chunk in chunks)
    return head, scripts


def cache_control(req: flask.Request, app: dash.Dash, prints: Fingerprints, vendor: dict[str, Path]) -> str | None:
    """Return the ``Cache-Control`` of a static answer to ``req``: ``immutable`` only at a true fingerprint.

    ``vendor`` maps the vendored files' addresses to their files. ``None``: not a static file.
    """
    path = req.path
    if path.startswith(SUITES_PREFIX):
        # Dash's rule: an address in its fingerprint form is kept (Dash said a year; now without asking again).
        return IMMUTABLE if check_fingerprint(path)[1] else "no-cache"
    if path.startswith(ASSETS_PREFIX):
        file = Path(app.config.assets_folder, path[len(ASSETS_PREFIX):])
        return IMMUTABLE if file.is_file() and req.args.get("m") == prints.of(file) else "no-cache"
    if path in vendor:
        return IMMUTABLE if req.args.get("v") == prints.of(vendor[path]) else "no-cache"
    if path == FAVICON:  # Dash's own icon, its address carries Dash's version
        return IMMUTABLE if req.args.get("v") == dash.__version__ else "no-cache"
    return None


def static_file(req: flask.Request, app: dash.Dash, vendor: dict[str, Path]) -> Path | None:
    """Return the file a static request answers with (for its content key), or ``None``."""
    path = req.path
    if path.startswith(SUITES_PREFIX):
        package, _, fingerprinted = path[len(SUITES_PREFIX):].partition("/")
        in_package = check_fingerprint(fingerprinted)[0]
        if package in sys.modules and in_package in app.registered_paths.get(package, ()):
            return suite_file(package, in_package)
        return None
    if path.startswith(ASSETS_PREFIX):
        file = Path(app.config.assets_folder, path[len(ASSETS_PREFIX):])
        return file if file.is_file() else None
    return vendor.get(path)


#: The compression cache's keys of static files start with this (the rest: the file's content hash).
STATIC_KEY = "static:"


def compressed_key() -> str | None:
    """Return the key flask-compress keeps the request's compressed static file under, if it is one."""
    return flask.g.get("static_content_key")


def install(app: dash.Dash, vendor: dict[str, Path]) -> Fingerprints:
    """Fingerprint the index's addresses, add the page's early parts, and send the cache headers of static files.

    ``vendor``: the vendored files the app serves (address -> file). Install after the request guard: a
    request for a file Dash does not serve is refused before.
    """
    prints = Fingerprints()
    interpolate = app.interpolate_index

    def index(**parts: str) -> str:
        head, scripts = early_tags(app, prints, flask.request.path) if flask.has_request_context() else ("", "")
        css = with_asset_hashes(head + parts.get("css", ""), app.config.assets_folder, prints)
        for address, file in vendor.items():
            css = css.replace(f'href="{address}"', f'href="{address}?v={prints.of(file)}"')
        parts["css"] = css
        parts["scripts"] = with_asset_hashes(parts.get("scripts", ""), app.config.assets_folder, prints) + scripts
        return interpolate(**parts)

    app.interpolate_index = index  # type: ignore[method-assign,assignment]

    @app.server.after_request
    def static_headers(resp: flask.Response) -> flask.Response:
        req = flask.request
        if req.method not in ("GET", "HEAD") or resp.status_code not in (200, 304):
            return resp
        control = cache_control(req, app, prints, vendor)
        if control is None:
            return resp
        resp.headers["Cache-Control"] = control
        file = static_file(req, app, vendor)
        if file is not None and resp.status_code == 200:
            # Keyed on the content, never on the address: any fingerprint a client makes up names one entry.
            flask.g.static_content_key = STATIC_KEY + prints.of(file)
        return resp

    return prints
