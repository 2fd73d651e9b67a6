"""The pages as feature slices: each ``dashboard/features/<name>/`` holds everything of one page.

- ``params.py``: what a value may be: the URL parameters parsed into a typed dataclass, and the
  controls its callbacks take (:class:`dashboard.controls.Control`), from the build's vocabularies;
  and who may use the page: ``ACCESS`` (:class:`dashboard.accounts.access.Access`);
- ``view.py``: database + params -> what the page shows (pure, no Dash);
- ``layout.py``: ``PAGE`` (its address) and ``layout(**url)``;
- ``callbacks.py``: ``CALLBACKS``, thin, with named ``inputs=dict(...)`` and ``state=dict(...)``;
- ``routes.py``: its Flask routes (the PDFs), where it has any.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the slices import Dash and the database layer: only when the app is built
    import dash

    from dashboard.accounts.access import Access
    from dashboard.controls import Control

#: The slices, in menu order after the home page.
SLICES: tuple[str, ...] = ("home", "province", "municipality", "core_map", "fiche", "intake", "intake_overview",
                           # the programme (issue 19)
                           "calls_list", "calls", "trajectory", "vitrine", "roster")
NOT_FOUND = "dashboard.features.not_found_404"  # Dash shows the page of a module of this name for unknown paths


def install(app: dash.Dash) -> dict[str, tuple[str, str]]:
    """Register every slice's page and callbacks with ``app``, and the shared ones.

    Returns each server callback's ``callback_map`` key -> (slice, function name): the guard applies the
    slice's access rule to it. The shared callbacks belong to no slice (``""``) and are public.
    """
    import dash

    callbacks = importlib.import_module("dashboard.callbacks")  # shared: search, downloads, map clicks, address

    owners: dict[str, tuple[str, str]] = {}
    for name in SLICES:
        layout = importlib.import_module(f"dashboard.features.{name}.layout")
        dash.register_page(f"dashboard.features.{name}", layout=guarded(name, layout.layout), **layout.PAGE)
        registered = importlib.import_module(f"dashboard.features.{name}.callbacks").CALLBACKS.register(app)
        owners.update({key: (name, func) for key, func in registered.items()})
    not_found = importlib.import_module(NOT_FOUND)
    dash.register_page(NOT_FOUND, layout=not_found.layout, **not_found.PAGE)
    owners.update({key: ("", func) for key, func in callbacks.CALLBACKS.register(app).items()})
    return owners


def guarded(name: str, layout: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``layout`` behind slice ``name``'s access rule: a refused account gets the refusal in the app's frame.

    Dash's page router renders a page in a callback, without a GET of its address: this is where the rule
    holds for it (the guard applies it to the GET and to the slice's own callbacks).
    """
    import functools

    from dashboard.components.layout import refusal

    rule = access(name)

    @functools.wraps(layout)
    def page(**url: Any) -> Any:
        refused = refusal(rule, _router_path(), {str(url["nis"])} if url.get("nis") else set())
        return refused if refused is not None else layout(**url)

    return page


def _router_path() -> str:
    """Return the address the page router (or the first layout) renders, for the login link's way back, else ``/``."""
    import dash
    import flask

    if flask.has_request_context() and "page_address" in flask.g:
        return str(flask.g.page_address)  # the page the first layout holds (dashboard.first_page)
    path = dash.ctx.inputs.get("_pages_location.pathname") if dash.ctx else None
    search = dash.ctx.inputs.get("_pages_location.search") if dash.ctx else None
    return (path if isinstance(path, str) else "/") + (search if isinstance(search, str) else "")


def access(name: str) -> Access:
    """Return the access rule slice ``name`` declares (a shared callback, ``""``, is public)."""
    from dashboard.accounts.access import PUBLIC

    return importlib.import_module(f"dashboard.features.{name}.params").ACCESS if name else PUBLIC


def slice_of_page(module: str) -> str:
    """Return the slice a registered page module belongs to (``""`` for the not-found page)."""
    prefix = "dashboard.features."
    name = module[len(prefix):] if module.startswith(prefix) else ""
    return name if name in SLICES else ""


def controls() -> dict[str, Control]:
    """Return every control any callback of the app takes, by its ``callback_map`` key."""
    from dashboard.controls import declared

    callbacks = importlib.import_module("dashboard.callbacks")

    every = list(callbacks.CONTROLS)
    for name in SLICES:
        every += importlib.import_module(f"dashboard.features.{name}.params").CONTROLS
    return declared(every)
