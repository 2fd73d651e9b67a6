"""Callback answers and layouts encoded by orjson in one pass, Dash components included.

Dash encodes every answer with plotly's ``to_json_plotly``. With orjson installed that first tries orjson
on the whole answer; an answer holding a Dash component (every page, every card) makes orjson refuse it,
and plotly then rebuilds the whole answer in Python (``clean_to_json_compatible``: every element of every
list, ten thousand points of a map included) before orjson encodes the copy. Here orjson asks
:func:`_default` for what it cannot encode itself, only those objects: a component gives its
``to_plotly_json``, anything else plotly's own cleaning. The text is the one plotly writes (a test compares
both on the pages' answers), in a fifth of the time or less on a large page.
"""

from __future__ import annotations

from typing import Any

import orjson

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _default(value: Any) -> Any:
    """Return a JSON-ready stand-in for what orjson cannot encode (a component, a pandas or other value)."""
    to_plotly_json = getattr(value, "to_plotly_json", None)
    if to_plotly_json is not None:
        return to_plotly_json()
    from plotly.io._json import clean_to_json_compatible, get_module

    modules = {"sage_all": get_module("sage.all", should_load=False), "np": get_module("numpy", should_load=False),
               "pd": get_module("pandas", should_load=False), "image": get_module("PIL.Image", should_load=False)}
    cleaned = clean_to_json_compatible(value, numpy_allowed=True, datetime_allowed=True, modules=modules)
    if cleaned is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return cleaned


def to_json(value: Any) -> str:
    """Return ``value`` as plotly's ``to_json_plotly`` writes it (components, figures, numpy, pandas)."""
    from plotly.io._json import _safe, _swap_orjson

    to_plotly_json = getattr(value, "to_plotly_json", None)
    if to_plotly_json is not None:
        value = to_plotly_json()
    # The same characters made safe as plotly's (a JSON text may end up inside an HTML page).
    return _safe(orjson.dumps(value, default=_default, option=OPTIONS).decode("utf8"), _swap_orjson)


def install() -> None:
    """Let Dash encode callback answers and the layout with :func:`to_json` (idempotent).

    Dash binds ``to_json`` by name in its callback and app modules; there is no setting for the encoder.
    """
    import dash._callback
    import dash.dash

    dash._callback.to_json = to_json
    dash.dash.to_json = to_json
