"""Controls shared by the pages."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

SCOPE_SUFFIX = {"alle": " – alle verkooppunten", "detailhandel": " – detailhandel", "leegstand": " – van de leegstand"}

#: Every chart: in Dutch (the "nl" locale in assets/plotly-locale-nl.js), no plotly logo, and only the buttons a
#: reader uses: save as PNG (sharp), zoom, pan and back. Selection tools select nothing here, hover modes and
#: spike lines puzzle more than they help.
GRAPH_CONFIG = {
    "displaylogo": False,
    "locale": "nl",
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "smart-retail"},
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines", "hoverClosestCartesian",
                               "hoverCompareCartesian", "zoomIn2d", "zoomOut2d", "sendDataToCloud", "sendChartToCloud",
                               "editInChartStudio"],
}


#: Dash's dropdown speaks English inside ("Search", "Select All", "No options found"): these are its Dutch words.
DROPDOWN_LABELS = {"select_all": "Alles kiezen", "deselect_all": "Niets kiezen",
                   "selected_count": "{num_selected} gekozen", "search": "Zoeken",
                   "clear_search": "Zoekterm wissen", "clear_selection": "Keuze wissen",
                   "no_options_found": "Niets gevonden"}


def dropdown(**kwargs: object) -> dcc.Dropdown:
    """Return a ``dcc.Dropdown`` with Dutch texts inside (``kwargs`` as for ``dcc.Dropdown``)."""
    return dcc.Dropdown(labels=DROPDOWN_LABELS, **kwargs)


def year_picker(component_id: str, years: list[int], value: int, width: str | None = None) -> html.Div:
    """Return a labelled dropdown of the inventory years, newest first."""
    return html.Div([
        html.Label("Inventarisjaar", htmlFor=component_id, className="form-label"),
        dropdown(id=component_id, options=[{"label": str(y), "value": y} for y in reversed(years)], value=value,
                     clearable=False, style={"width": width} if width else None),
    ])


def indicator_options(catalogue: pd.DataFrame) -> list[dict]:
    """Return dropdown options for the rows of the indicator catalogue, the scope written beside the label."""
    return [{"label": f"{r.label}{SCOPE_SUFFIX.get(r.scope, '')}", "value": r.column} for r in catalogue.itertuples()]


def url_search_id(page: str) -> dict:
    """Return the id of the store a page's callback fills with its query string (``?jaar=…``)."""
    return {"type": "url-search", "page": page}


def url_sync(page: str) -> list[dcc.Store]:
    """Return the two stores that keep a page's choices in the address bar (see callbacks.py)."""
    return [dcc.Store(id=url_search_id(page)), dcc.Store(id={"type": "url-done", "page": page})]
