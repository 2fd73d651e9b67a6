"""The indicator map of Vlaanderen or one province: queries -> classes -> figure, shared by two pages."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.controls import GRAPH_CONFIG, dropdown, indicator_options
from dashboard.controls import INDICATOR_COLUMN, Choice, Control
from dashboard.data import queries
from dashboard.data.db import Database
from dashboard.figures import maps
from dashboard.figures.maps import TileSource

DEFAULT_INDICATOR = "vacancy_rate_count_all_pct"
SHORT = {"quantielen": "kwantielen", "natuurlijk": "natuurlijke grenzen"}


def indicator_map(db: Database, year: int, column: str, scheme: str, tiles: TileSource | None,
                  province: str | None = None, highlight: str | None = None) -> tuple[dict, str]:
    """Return the classed map of one indicator in ``year`` and a line saying what it shows.

    With ``province`` the classes are computed over that province's municipalities only, so that
    its municipalities are compared with each other.
    """
    catalogue = queries.indicator_catalogue(db).set_index("column")
    if column not in catalogue.index or scheme not in maps.SCHEMES:
        raise ValueError(f"onbekende indicator of indeling: {column!r}, {scheme!r}")
    info = catalogue.loc[column]
    munis = queries.map_municipalities(db, year, column)
    if province is not None:
        munis = munis[munis["province_code"] == province].reset_index(drop=True)
    unit = "" if info["unit"] == "aantal" else str(info["unit"])
    better = None if pd.isna(info["higher_is_better"]) else bool(info["higher_is_better"])
    bins = queries.map_class_bounds(db, province or "vlaanderen", column, year, scheme)  # computed by the build
    classes = maps.classify(munis["value"], bins, int(info["decimals"]), unit, better)
    provinces = queries.map_shapes(db, "provincie").merge(
        queries.provinces(db).rename(columns={"province_code": "code"}), on="code")
    boundaries = queries.map_shapes(db, "gemeente")
    fig = maps.municipality_map(munis, provinces, classes, f"{info['label']} ({year})", unit, int(info["decimals"]),
                                tiles, boundaries if not boundaries.empty else None, province, highlight=highlight)
    missing = int(munis["value"].isna().sum())
    how = ("gemeentegrenzen" if not boundaries.empty
           else "een stip per gemeente, groter naarmate er meer verkooppunten zijn")
    note = (f"{len(munis) - missing} gemeenten in {len(classes.labels)} klassen ({SHORT[scheme]}); "
            f"{how}. Klik op een gemeente om ze te openen.")
    if missing:
        note += f" {missing} zonder gegevens in {year} (grijs)."
    return fig, note


def map_controls(prefix: str, indicator: bool = True) -> tuple[Control, ...]:
    """Return the controls of the map block of :func:`map_panel` with ``prefix`` (``indicator``: its own picker)."""
    scheme = Control(prefix + "map-scheme", "value", Choice(tuple(maps.SCHEMES)))
    return (Control(prefix + "map-indicator", "value", INDICATOR_COLUMN), scheme) if indicator else (scheme,)


def map_panel(prefix: str, catalogue: pd.DataFrame, value: str = DEFAULT_INDICATOR,
              indicator: bool = True) -> html.Div:
    """Return the map block of a page: indicator and classification pickers, the map and its note.

    Without ``indicator`` the map follows the page's own indicator picker (one choice for the whole page).
    The map's clicks navigate through ``{prefix}map-nav`` (see the clientside callback in callbacks.py).
    """
    picker = dbc.Col([html.Label("Indicator op de kaart", htmlFor=prefix + "map-indicator", className="form-label"),
                      dropdown(id=prefix + "map-indicator", options=indicator_options(catalogue), value=value,
                                   clearable=False)], md=6)
    return html.Div([
        dbc.Row([
            *([picker] if indicator else []),
            dbc.Col([html.Label("Klassen", className="form-label", id=prefix + "map-scheme-label"),
                     dbc.RadioItems(id=prefix + "map-scheme", options=[{"label": v, "value": k}
                                                                       for k, v in maps.SCHEMES.items()],
                                    value="quantielen")], md=6),
        ], className="g-3 mb-2"),
        dcc.Graph(id={"type": "nav-map", "page": prefix}, config={**GRAPH_CONFIG, "scrollZoom": True},
                  figure={"data": [], "layout": {"height": 560}}, className="indicator-map"),
        html.P(id=prefix + "map-note", className="text-muted small"),
        dcc.Location(id={"type": "nav-map-location", "page": prefix}, refresh="callback-nav"),
    ])
