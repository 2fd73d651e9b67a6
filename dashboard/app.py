"""The Dash application: ``create_app(settings) -> Dash``; ``server`` is what gunicorn serves."""

from __future__ import annotations

import os
import tempfile
import threading
from importlib import resources
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import duckdb
import flask
from dash import html

from dashboard import answers, features, first_page, guard, static_files, view_cache, warm
from dashboard.accounts.access import PUBLIC_INDICATORS_KEY
from dashboard.accounts.oidc import OidcConfig
from dashboard.accounts.web import install_login
from dashboard.components.layout import footer, navbar, synthetic_notice
from dashboard.config import Settings, load_settings, tile_source
from dashboard.data import queries
from dashboard.data.db import Database, DatabaseMissingError
from dashboard.features.calls.routes import register_letter_pdf
from dashboard.features.fiche.routes import register_fiche_pdf
from dashboard.features.intake.routes import register_intake_pdf
from dashboard.features.trajectory.routes import register_evaluation_pdf
from dashboard.guard import error_page
from dashboard.hardening import hide_python_version
from dashboard.intake.store import open_store
from dashboard.render_pool import RenderPool
from dashboard.search import search

#: Bootstrap 5 CSS shipped inside the installed Bootstrap-Flask wheel: served by the app, never a CDN.
BOOTSTRAP_CSS_DIR = resources.files("flask_bootstrap").joinpath("static", "bootstrap5", "css")
VENDOR_PREFIX = "/vendor/"


def _missing_database(db: Database, unreadable: bool = False) -> html.Div:
    problem = (f"Het dashboard kan {db.path} niet lezen (geen of een beschadigde DuckDB-database). Bouw de "
               "gegevens opnieuw" if unreadable else f"Het dashboard vindt {db.path} niet. Bouw eerst de gegevens")
    return dbc.Container(
        dbc.Alert([
            html.H1("Database onleesbaar" if unreadable else "Nog geen database", className="h4"),
            html.P(f"{problem}, bijvoorbeeld de demo:"),
            html.Pre("python -m data_pipelines demo --out data/demo\n"
                     f"python -m data_pipelines build --source data/demo --db {db.path}"),
        ], color="danger"),
        className="mt-4",
    )


def oidc_config(settings: Settings) -> OidcConfig | None:
    """Return the OIDC provider of ``settings``, or ``None`` unless its issuer, client id and secret are all set."""
    if not (settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret):
        return None
    return OidcConfig(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret,
                      settings.oidc_role_claim, settings.oidc_nis_claim, settings.oidc_province_claim)


def _setup_before_any_request(app: dash.Dash) -> None:
    """Let every request of a worker wait until Dash has set itself up on the worker's first request.

    Dash flags its setup (its bundles' addresses, the callbacks) done as it *starts* it: a request arriving
    on another thread meanwhile (a fresh worker given a page's bundles at once) found no bundle (404).
    """
    lock = threading.Lock()

    def setup() -> None:
        with lock:
            app._setup_server()  # at once after the first time

    app.server.before_request_funcs.setdefault(None, []).insert(0, setup)


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build the Dash app on the database named in ``settings`` (default: from the environment)."""
    settings = settings or load_settings()
    db = Database(settings.db_path)
    server = flask.Flask(__name__)
    server.extensions["smart_retail_db"] = db
    server.extensions["smart_retail_map_tiles"] = tile_source(settings)
    # The intake store is operational data: migrated to the latest schema as each worker starts.
    store = open_store(settings.intake_db_url)
    server.extensions["smart_retail_intake"] = store
    install_login(server, store, https=settings.https, session_hours=settings.session_hours, oidc=oidc_config(settings))
    server.config[PUBLIC_INDICATORS_KEY] = settings.public_indicators

    @server.route(f"{VENDOR_PREFIX}<path:name>")
    def vendor(name: str) -> flask.Response:
        if name != "bootstrap.min.css":
            flask.abort(404)
        return flask.send_file(str(BOOTSTRAP_CSS_DIR.joinpath(name)), mimetype="text/css", max_age=86400)

    @server.route("/zoek")
    def find() -> flask.Response:
        # The search form of a page drawn without Dash (an error page): the best match, as Enter in the navbar.
        text = flask.request.args.get("q", "")[:100]
        hits = search(text, queries.municipalities(db), queries.postal_codes(db)) if text.strip() else []
        if not hits:
            return error_page(404, f"Geen gemeente gevonden voor '{text[:40]}'.")
        return flask.redirect(f"/gemeente/{hits[0][0]}", code=303)

    @server.route("/health")
    def health() -> flask.Response:
        try:
            body, status = queries.health(db, settings.max_age_days), 200
        except DatabaseMissingError:
            # No server paths: /health is public, the log and the page say which file is missing.
            body, status = {"status": "missing"}, 503
        except duckdb.Error as exc:  # present but unreadable (not a DuckDB file, damaged)
            body, status = {"status": "unreadable", "reden": type(exc).__name__}, 503
        return flask.jsonify(body), status

    # One PDF render at a time per worker, one waiting, and one at a time on the machine (a file lock
    # shared by the workers): a burst of PDFs is refused (503), it never takes the request threads or the
    # cores that serve the pages and /health.
    slot = Path(tempfile.gettempdir()) / f"smart-retail-pdf-{os.getuid()}.lock"
    pool = RenderPool(workers=1, queue=1, slot=slot)
    server.extensions["smart_retail_pdf_pool"] = pool
    register_fiche_pdf(server, db, pool)
    register_intake_pdf(server, db, pool)
    # The programme's documents (issue 19): decision letters and evaluation documents.
    register_letter_pdf(server, db, pool)
    register_evaluation_pdf(server, db, pool)

    view_cache.configure_compression(server, db)  # before Dash sets up flask-compress
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder="",  # the slices register their pages themselves (features.install)
        # Inside the package, so a plain (non-editable) install serves the stylesheet from any directory.
        assets_folder=str(resources.files("dashboard").joinpath("assets")),
        external_stylesheets=[f"{VENDOR_PREFIX}bootstrap.min.css"],
        title="Smart Retail",
        update_title=None,
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        serve_locally=True,
        # gzip (flask-compress): a core-area map of a large city is mostly repeated JSON keys and digits.
        compress=True,
    )

    hide_python_version(app)
    _setup_before_any_request(app)
    # Answers with components (every page) encoded by orjson in one pass, not rebuilt in Python first.
    answers.install()
    owners = features.install(app)

    def serve_layout() -> html.Div:
        try:
            info = queries.build_info(db)
        except DatabaseMissingError:
            return html.Div([navbar(), _missing_database(db), dash.page_container], className="app-root")
        except duckdb.Error:
            return html.Div([navbar(), _missing_database(db, unreadable=True), dash.page_container],
                            className="app-root")
        return html.Div([
            navbar(),
            dbc.Container([synthetic_notice(info), first_page.container(app, db, known)], fluid=True,
                          className="page"),
            footer(info),
        ], className="app-root")

    guard.install(app, db, owners, https=settings.https, tiles=tile_source(settings))
    # Fingerprinted addresses kept for good, and the page's lazily loaded parts named in its index (issue 15).
    known = server.extensions["smart_retail_known"]
    first_page.install(app)  # the requested page in the first layout: no wait for the page router
    static_files.install(app, {f"{VENDOR_PREFIX}bootstrap.min.css": Path(str(BOOTSTRAP_CSS_DIR.joinpath(
        "bootstrap.min.css")))})
    visits = view_cache.Visits()
    view_cache.install(server, db, visits=visits,  # after the guard: only valid requests are answered from the cache
                       setup=repr(settings))
    # After each build swap, in the background and only while no request is in flight: the most visited
    # views and the main areas' fiche PDFs (started by the servers: warm.start).
    warm.install(server, db, visits, settings.warm, pool.slot)
    app.index_string = app.index_string.replace("<html>", '<html lang="nl">', 1)
    app.layout = serve_layout
    return app


def __getattr__(name: str) -> object:
    # gunicorn imports ``dashboard.app:server``; build the app only then, not on every import.
    if name == "server":
        return warm.start(view_cache.share(create_app().server))
    raise AttributeError(name)
