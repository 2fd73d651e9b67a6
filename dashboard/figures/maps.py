"""Map figures (plotly ``scattermap`` / ``choroplethmap`` on MapLibre) as plain figure dicts.

Pure functions: frames and GeoJSON text in, figure dicts out. Plain dicts rather than ``go.Figure``
because a core-area map carries thousands of points and plotly's validation would cost more than the
queries behind it. A street base map (OpenStreetMap, or any XYZ/WMTS URL) lies under the traces by default
(``SMART_RETAIL_MAP_TILES``, ``SMART_RETAIL_TILES_URL``) on a white background with the province outlines: where
the tiles cannot load, that background remains and the map still reads. No text labels are drawn on the
map itself, because MapLibre fetches fonts for them from the internet; names go in the hover.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from plotly.colors import sample_colorscale

from dashboard.formatting import DATE_FORMAT, fmt_number


@dataclass(frozen=True)
class TileSource:
    """A raster base map: an XYZ/WMTS URL with ``{z}``, ``{x}``, ``{y}`` and the attribution it requires."""

    url: str
    attribution: str

    def origin(self) -> str:
        """Return ``scheme://host[:port]`` of the tiles: what the Content-Security-Policy must admit."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


NO_DATA_COLOR = "#c4cad1"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

#: Classification schemes offered to the user (key -> Dutch label).
SCHEMES = {"quantielen": "Kwantielen (even veel gemeenten per klasse)",
           "natuurlijk": "Natuurlijke grenzen (Fisher-Jenks)"}

#: Sequential palettes: dark is "bad" where lower is better, dark is "good" where higher is better.
PALETTES = {False: "OrRd", True: "YlGnBu", None: "Purples"}

#: Vacant units in greys to black: they must stand out from the branch colours (Dark2), which use every hue.
VACANCY_CLASSES = {"frictioneel": ("Leeg ≤ 1 jaar", "#a3a3a3"),
                   "langdurig": ("Leeg 1–3 jaar", "#5c5c5c"),
                   "structureel": ("Leeg > 3 jaar", "#111111")}

#: What changed at a unit between two inventories (see ``dashboard.features.core_map.mapdata.changes``).
#: Okabe and Ito's colour-blind-safe colours: a closure (vermillion) and a new vacant unit (black) never look
#: alike, whatever the reader's colour vision.
CHANGE_CLASSES = {"geopend": ("Geopend", "#009e73"),
                  "nieuwe_zaak": ("Nieuwe zaak (andere uitbater)", "#0072b2"),
                  "gesloten": ("Gesloten", "#d55e00"),
                  "nieuw_leeg": ("Nieuw leeg pand", "#000000")}

AREA_COLOR = "#1f5f8b"
LEGAL_CORE_COLOR = "#8e1f1f"
POINT_COLOR = "#1f5f8b"


@dataclass(frozen=True)
class Classes:
    """A classed colour scale: per class its range label, colour and count; per value its class."""

    labels: list[str]
    colors: list[str]
    counts: list[int]
    index: np.ndarray = field(repr=False)  # class of each value, -1 where the value is missing
    upper: list[float] = field(default_factory=list)


def classify(values: pd.Series | np.ndarray, bins: list[float], decimals: int = 1, unit: str = "",
             higher_is_better: bool | None = None) -> Classes:
    """Put values in the classes whose upper bounds are ``bins`` and label each class in Dutch.

    Parameters
    ----------
    values
        One value per map feature; NaN means no data (class -1).
    bins
        The classes' upper bounds, ascending, as the build stored them in ``mart_map_classes``
        (quantiles or Fisher-Jenks, see ``data_pipelines.classes``): a value belongs to the first class
        whose bound it does not exceed, as in mapclassify.
    decimals, unit
        How the class bounds are written, e.g. ``3,1 – 5,4 %``.
    higher_is_better
        Picks the palette, so that dark always means the same thing to the reader.

    """
    upper = np.asarray(bins, dtype=float)
    if len(upper) > 1 and not np.all(np.diff(upper) > 0):
        raise ValueError(f"klassegrenzen niet oplopend: {bins!r}")
    y = np.asarray(values, dtype=float)
    present = ~np.isnan(y)
    index = np.full(len(y), -1, dtype=int)
    if len(upper) == 0 or not present.any():
        return Classes([], [], [], index)
    # A value above the last bound (a build older than its breaks cannot happen; be safe) joins the top class.
    yb = np.minimum(np.searchsorted(upper, y[present], side="left"), len(upper) - 1)
    index[present] = yb
    suffix = f" {unit}" if unit else ""
    labels, counts = [], []
    for i in range(len(upper)):
        members = y[present][yb == i]
        counts.append(len(members))
        # The label shows the values that are in the class (not the interpolated quantile), so that
        # the reader can find any municipality's value in exactly one label.
        lo, hi = (members.min(), members.max()) if len(members) else (upper[i], upper[i])
        low, high = fmt_number(lo, decimals), fmt_number(hi, decimals)
        labels.append(f"{low}{suffix}" if low == high else f"{low} – {high}{suffix}")
    palette = PALETTES.get(higher_is_better, PALETTES[None])
    positions = [0.25 + 0.75 * i / max(len(upper) - 1, 1) for i in range(len(upper))] if len(upper) > 1 else [0.7]
    colors = sample_colorscale(palette, positions, colortype="rgb")
    return Classes(labels, colors, counts, index, [float(b) for b in upper])


def fit_view(min_lon: float, min_lat: float, max_lon: float, max_lat: float, width: int = 900,
             height: int = 560, max_zoom: float = 17.0) -> tuple[dict[str, float], float]:
    """Return the centre and the Web Mercator zoom that fit a bounding box in a ``width`` x ``height`` map."""
    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    centre = {"lon": (min_lon + max_lon) / 2,
              "lat": math.degrees(2 * math.atan(math.exp((merc(min_lat) + merc(max_lat)) / 2)) - math.pi / 2)}
    d_lon = max(max_lon - min_lon, 1e-6)
    d_merc = max(merc(max_lat) - merc(min_lat), 1e-8)
    # At zoom z the world is 512 * 2^z pixels wide in MapLibre; keep a 10 % margin.
    zoom_x = math.log2(0.9 * width * 360 / (512 * d_lon))
    zoom_y = math.log2(0.9 * height * 2 * math.pi / (512 * d_merc))
    return centre, round(max(1.0, min(zoom_x, zoom_y, max_zoom)), 2)


def feature_collection(codes: list[str], geojson: list[str]) -> dict:
    """Return a GeoJSON FeatureCollection whose feature ids are ``codes`` (geometries given as text)."""
    features = ",".join(f'{{"type":"Feature","id":{json.dumps(c)},"properties":{{}},"geometry":{g}}}'
                        for c, g in zip(codes, geojson, strict=True))
    return json.loads(f'{{"type":"FeatureCollection","features":[{features}]}}')


def map_layout(centre: dict[str, float], zoom: float, tiles: TileSource | None, height: int = 560,
               legend_title: str | None = None) -> dict:
    """Return the figure layout of a map: a white base, the street tiles of ``tiles`` (if any) below the traces."""
    layers = []
    if tiles is not None:
        layers.append({"sourcetype": "raster", "source": [tiles.url], "below": "traces",
                       "sourceattribution": tiles.attribution, "opacity": 0.85})
    return {
        "map": {"style": "white-bg", "center": centre, "zoom": zoom, "layers": layers},
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "separators": ",.",
        "font": {"family": FONT, "size": 13},
        "paper_bgcolor": "white",
        "showlegend": True,
        "legend": {"title": {"text": legend_title or ""}, "x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
                   "bgcolor": "rgba(255,255,255,0.88)", "bordercolor": "#ccd", "borderwidth": 1},
        "hoverlabel": {"namelength": -1},
        # Keep the user's pan and zoom when a callback patches the data.
        "uirevision": "map",
    }


def legend_under(layout: dict, room: int) -> dict:
    """Move the legend of a map ``layout`` into rows under the map, with ``room`` pixels kept for them.

    A legend inside the map covers the part of the area it lies on, worst on a phone where it is half the
    map's width; under the map it covers nothing and wraps into as many rows as the width needs.
    """
    layout["legend"].update(orientation="h", x=0, y=0, yanchor="top", bgcolor="rgba(255,255,255,0)", borderwidth=0)
    # Beside the entries, the title left a phone room for one column of them; the rest ran off the figure.
    layout["legend"]["title"]["side"] = "top"
    layout["margin"]["b"] = room
    return layout


def _flat(color: str) -> list[list]:
    return [[0, color], [1, color]]


def province_trace(provinces: pd.DataFrame, focus: str | None = None) -> dict:
    """Return the province outlines (``code``, ``name``, ``geojson``) as a clickable choropleth trace."""
    fill = ["#f4f6f8" if focus in (None, c) else "#e3e7ec" for c in provinces["code"]]
    codes = provinces["code"].tolist()
    z = [0.0 if f == "#f4f6f8" else 1.0 for f in fill]
    return {
        "type": "choroplethmap", "name": "Provincies", "showlegend": False, "showscale": False,
        "geojson": feature_collection(codes, provinces["geojson"].tolist()), "locations": codes,
        "featureidkey": "id", "z": z, "zmin": 0, "zmax": 1, "colorscale": [[0, "#f4f6f8"], [1, "#e3e7ec"]],
        "marker": {"line": {"color": "#7d8a97", "width": 1.2}},
        "customdata": [["provincie", c, n] for c, n in zip(codes, provinces["name"], strict=True)],
        "hovertemplate": "Provincie %{customdata[2]}<extra></extra>",
    }


def _hover_values(values: pd.Series, decimals: int, unit: str) -> list[str]:
    suffix = f" {unit}" if unit else ""
    return [("geen gegevens" if pd.isna(v) else fmt_number(v, decimals) + suffix) for v in values]


def municipality_map(munis: pd.DataFrame, provinces: pd.DataFrame, classes: Classes, label: str, unit: str,
                     decimals: int, tiles: TileSource | None, boundaries: pd.DataFrame | None = None,
                     focus: str | None = None, height: int = 560, highlight: str | None = None) -> dict:
    """Return the Flanders (or one province's) map of one indicator.

    Parameters
    ----------
    munis
        The municipalities to draw: ``nis_code``, ``name``, ``lon``, ``lat``, ``outlets_total``, ``value``;
        the row order matches ``classes.index``.
    provinces
        ``code``, ``name``, ``geojson`` and the bounding box columns.
    classes
        The classed colour scale of ``munis["value"]`` (see ``classify``).
    label, unit, decimals
        The indicator's Dutch name (legend title), unit and decimals, for the hover.
    tiles
        The street tiles under the map, or None for the white background.
    boundaries
        Municipality outlines (``code``, ``geojson``): when given, a choropleth of municipalities;
        otherwise a marker at each seat, sized by the number of outlets.
    focus
        A province code: frame the map on it and grey out the other provinces.
    height
        Map height in pixels (the zoom is fitted to it).
    highlight
        A NIS code to mark ("Markeer gemeente"), or None.

    """
    munis = munis.reset_index(drop=True)
    hover = _hover_values(munis["value"], decimals, unit)
    outlets = [fmt_number(v) if pd.notna(v) else "–" for v in munis["outlets_total"]]
    custom = [["gemeente", c, n, h, o] for c, n, h, o in zip(munis["nis_code"], munis["name"], hover, outlets,
                                                              strict=True)]
    template = (f"<b>%{{customdata[2]}}</b><br>{label}: %{{customdata[3]}}<br>"
                "Verkooppunten: %{customdata[4]}<extra></extra>")
    traces = [province_trace(provinces, focus)]
    groups = [(i, classes.labels[i], classes.colors[i]) for i in range(len(classes.labels))]
    groups.append((-1, "geen gegevens", NO_DATA_COLOR))
    shapes = None
    if boundaries is not None and not boundaries.empty:
        shapes = dict(zip(boundaries["code"], boundaries["geojson"], strict=True))
    biggest = max(float(munis["outlets_total"].max() or 0), 1.0) if munis["outlets_total"].notna().any() else 1.0
    for klass, name, color in groups:
        rows = [i for i in munis.index if classes.index[i] == klass]
        if klass == -1 and not rows:
            continue
        if shapes is not None:
            rows = [i for i in rows if munis.at[i, "nis_code"] in shapes]
            codes = [munis.at[i, "nis_code"] for i in rows]
            traces.append({
                "type": "choroplethmap", "name": name, "showlegend": True, "showscale": False,
                "geojson": feature_collection(codes, [shapes[c] for c in codes]), "locations": codes,
                "featureidkey": "id", "z": [1] * len(codes), "colorscale": _flat(color),
                "marker": {"line": {"color": "white", "width": 0.6}, "opacity": 0.9},
                "customdata": [custom[i] for i in rows], "hovertemplate": template,
            })
        else:
            sizes = [6 + 22 * math.sqrt((munis.at[i, "outlets_total"] or 0) / biggest)
                     if pd.notna(munis.at[i, "outlets_total"]) else 6 for i in rows]
            traces.append({
                "type": "scattermap", "mode": "markers", "name": name,
                "lon": munis.loc[rows, "lon"].round(5).tolist(), "lat": munis.loc[rows, "lat"].round(5).tolist(),
                "marker": {"size": [round(s, 1) for s in sizes], "color": color, "opacity": 0.9},
                "customdata": [custom[i] for i in rows], "hovertemplate": template,
            })
    marked = munis[munis["nis_code"] == highlight]
    if not marked.empty:
        traces.append(highlight_trace(marked.iloc[0], shapes))
    box = provinces if focus is None else provinces[provinces["code"] == focus]
    centre, zoom = fit_view(box["min_lon"].min(), box["min_lat"].min(), box["max_lon"].max(), box["max_lat"].max(),
                            width=1100, height=height)
    return {"data": traces, "layout": legend_under(map_layout(centre, zoom, tiles, height, legend_title=label), 90)}


HIGHLIGHT_COLOR = "#e07b39"  # the colour of the marked municipality in the ranking and the scatter too


def highlight_trace(muni: pd.Series, shapes: dict[str, str] | None) -> dict:
    """Return the layer that marks one municipality (``nis_code``, ``name``, ``lon``, ``lat``) on the map.

    With outlines, a heavy outline around it; otherwise a large ring-less dot on its seat. It takes no hover,
    so the hover still tells the municipality's value from the class layer below.
    """
    name = f"Gemarkeerd: {muni['name']}"
    code = muni["nis_code"]
    if shapes is not None and code in shapes:
        return {"type": "choroplethmap", "name": name, "showlegend": True, "showscale": False, "hoverinfo": "skip",
                "geojson": feature_collection([code], [shapes[code]]), "locations": [code], "featureidkey": "id",
                "z": [1], "colorscale": _flat("rgba(224,123,57,0.15)"),
                "marker": {"line": {"color": HIGHLIGHT_COLOR, "width": 4}}}
    return {"type": "scattermap", "mode": "markers", "name": name, "hoverinfo": "skip",
            "lon": [round(float(muni["lon"]), 5)], "lat": [round(float(muni["lat"]), 5)],
            "marker": {"size": 22, "color": HIGHLIGHT_COLOR, "opacity": 0.85}}


# -- the core-area map ----------------------------------------------------------------------------

def core_trace_keys(groups: list[str]) -> list[str]:
    """Return the fixed trace order of a core-area map, so callbacks can patch traces by position.

    ``groups`` are the occupied branch groups; each has a chain and an independent trace, so that the
    chain/independent filter only switches traces on and off and never re-sends points.
    """
    keys = ["areas", "legal_core"]
    for g in groups:
        keys += [f"outlet|{g}|keten", f"outlet|{g}|zelfstandig"]
    keys += [f"vacant|{c}" for c in VACANCY_CLASSES]
    keys += [f"change|{c}" for c in CHANGE_CLASSES]
    keys.append("points")
    return keys


def area_traces(areas: pd.DataFrame) -> list[dict]:
    """Return the shopping areas as a filled layer and the legal core (where flagged) as a heavy outline."""
    codes = areas["area_id"].tolist()
    custom = [["winkelgebied", a, n, t, fmt_number(o) if pd.notna(o) else "–"]
              for a, n, t, o in zip(codes, areas["name"], areas["area_type"], areas["outlets_total"], strict=True)]
    template = ("<b>%{customdata[2]}</b><br>%{customdata[3]}<br>Verkooppunten: %{customdata[4]}"
                "<extra>Winkelgebied</extra>")
    core = areas["is_legal_core"].fillna(False).astype(bool).to_numpy()
    return [
        {"type": "choroplethmap", "name": "Winkelgebieden", "showlegend": True, "showscale": False,
         "geojson": feature_collection(codes, areas["geojson"].tolist()), "locations": codes, "featureidkey": "id",
         "z": [1] * len(codes), "colorscale": _flat(AREA_COLOR),
         "marker": {"opacity": 0.14, "line": {"color": AREA_COLOR, "width": 1.5}},
         "customdata": custom, "hovertemplate": template},
        legal_core_trace(areas.loc[core, "geojson"].tolist()),
    ]


def legal_core_trace(geojson: list[str]) -> dict:
    """Return the legal cores' outlines as a heavy line, so that the legend shows the same line as its symbol.

    (A choropleth's legend symbol is its fill: a transparent fill gave the entry no symbol at all.)
    """
    lon: list[float | None] = []
    lat: list[float | None] = []
    for text in geojson:
        geometry = json.loads(text)
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for ring in (ring for polygon in polygons for ring in polygon):
            lon += [round(x, 5) for x, _ in ring] + [None]
            lat += [round(y, 5) for _, y in ring] + [None]
    return {"type": "scattermap", "mode": "lines", "name": "Kernwinkelgebied (juridisch)",
            "showlegend": bool(geojson), "hoverinfo": "skip", "lon": lon, "lat": lat,
            "line": {"color": LEGAL_CORE_COLOR, "width": 3.5}}


def _text(series: pd.Series, default: str = "") -> np.ndarray:
    return series.astype(object).where(series.notna(), default).to_numpy(dtype=object)


def _whole_m2(wvo: pd.Series) -> list[int | None]:
    """Return the WVO in whole m² (rounded as numpy rounds), ``None`` where it is unknown."""
    values = pd.to_numeric(wvo, errors="coerce").to_numpy(dtype=float)
    known = ~np.isnan(values)
    area = np.where(known, np.round(np.where(known, values, 0)), 0).astype(np.int64).tolist()
    return [a if k else None for a, k in zip(area, known.tolist(), strict=True)]


def _rows(*columns: np.ndarray, wvo: pd.Series) -> list[list]:
    """Zip text columns and the WVO into customdata rows; an unknown WVO is left off the row.

    A value missing from the row shows as the trace's ``hovertemplatefallback`` (``onbekend``); a null
    would be formatted as 0.
    """
    texts = [c.tolist() if isinstance(c, np.ndarray) else list(c) for c in columns]
    return [[*row] if w is None else [*row, w] for *row, w in zip(*texts, _whole_m2(wvo), strict=True)]


def outlet_hover(df: pd.DataFrame) -> list[list]:
    """Return per outlet the hover's customdata: id, title, branch or vacancy date, address, WVO (a number).

    Occupied: ``[id, name, branch, address, wvo]``; vacant: ``[id, address, vacant since, "", wvo]``. What a
    whole trace shares (chain or independent, the vacancy class) is in its hover template, and the browser
    formats the WVO in Dutch (the figure's separators), so the server sends values, not sentences. Built
    column by column, not row by row: the largest city has ten thousand outlets a year.
    """
    if df.empty:
        return []
    vacant, address, title, line2 = _hover_columns(df)
    return _rows(_text(df["outlet_id"]), title, line2, np.where(vacant, "", address), wvo=df["wvo_m2"])


def _hover_columns(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return per outlet: vacant or not, the address, the hover's title and its second line (whole columns)."""
    vacant = df["is_vacant"].astype(bool).to_numpy()
    # Joined and stripped by pyarrow, a column at a time.
    street, house = (df[c].astype("string[pyarrow]").fillna("") for c in ("street", "house_number"))
    address = (street + " " + house).str.strip().to_numpy(dtype=object)
    # The dates as fmt_date writes them, only those of vacant units (the others are not shown).
    start = pd.to_datetime(df["vacancy_start"], errors="coerce")
    dated = vacant & start.notna().to_numpy()
    since = np.full(len(df), "onbekend", dtype=object)
    since[dated] = start[dated].dt.strftime(DATE_FORMAT).to_numpy(dtype=object)
    title = np.where(vacant, address, _text(df["name"], "(naam onbekend)"))
    branch = np.where(pd.notna(df["branch_name"]), _text(df["branch_name"]), _text(df["branch_code"]))
    return vacant, address, title, np.where(vacant, since, branch)


def outlet_points(df: pd.DataFrame) -> dict:
    """Return ``lon``, ``lat`` and hover ``customdata`` of outlets (occupied or vacant) for one trace."""
    return {"lon": df["lon"].round(5).tolist(), "lat": df["lat"].round(5).tolist(), "customdata": outlet_hover(df)}


WVO_LINE = "WVO (m²): %{customdata[4]:,.0f}"
#: Hover of an occupied unit; ``{kind}`` is the trace's chain or independent line.
OCCUPIED_TEMPLATE = "<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}<br>" + WVO_LINE + "<br>{kind}"
#: Hover of a vacant unit; ``{kind}`` is the trace's vacancy class.
VACANT_TEMPLATE = "<b>Leeg pand %{customdata[1]}</b><br>leeg sinds %{customdata[2]}<br>" + WVO_LINE + "<br>{kind}"
#: Hover of a change between two inventories.
CHANGE_TEMPLATE = "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>" + WVO_LINE + "<br>%{customdata[3]}"


def hover_template(key: str) -> str:
    """Return the hover template of a point trace of ``core_trace_keys``."""
    kind, _, rest = key.partition("|")
    if kind == "outlet":
        chain = rest.split("|")[1] == "keten"
        line = "Keten (filiaalbedrijf)" if chain else "Zelfstandige zaak"
        return OCCUPIED_TEMPLATE.replace("{kind}", line) + "<extra></extra>"
    if kind == "vacant":
        return VACANT_TEMPLATE.replace("{kind}", VACANCY_CLASSES[rest][0].lower()) + "<extra></extra>"
    return CHANGE_TEMPLATE + "<extra></extra>"


def _trace_rows(outlets: pd.DataFrame, groups: list[str]) -> dict[str, np.ndarray]:
    """Return, per outlet and vacancy trace of ``core_trace_keys``, the positions of its rows in ``outlets``."""
    vacant = outlets["is_vacant"].astype(bool).to_numpy()
    chain = outlets["is_chain"].fillna(False).astype(bool).to_numpy()
    group = outlets["branch_group"].astype(object).to_numpy()
    klass = outlets["vacancy_class"].astype(object).to_numpy()
    masks: dict[str, np.ndarray] = {}
    for g in groups:
        mine = ~vacant & (group == g)
        masks[f"outlet|{g}|keten"] = mine & chain
        masks[f"outlet|{g}|zelfstandig"] = mine & ~chain
    for c in VACANCY_CLASSES:
        masks[f"vacant|{c}"] = vacant & (klass == c)
    return {key: np.flatnonzero(mask) for key, mask in masks.items()}


def outlet_layers(outlets: pd.DataFrame, groups: list[str]) -> dict[str, dict]:
    """Split one inventory's outlets over the outlet and vacancy traces of ``core_trace_keys``."""
    # Hover data and coordinates are computed once for the whole inventory, then dealt out per trace:
    # pandas' per-call overhead times seventeen traces cost more than the work itself.
    hover = outlet_hover(outlets)
    lon, lat = outlets["lon"].round(5).tolist(), outlets["lat"].round(5).tolist()
    return {key: {"lon": [lon[i] for i in rows], "lat": [lat[i] for i in rows], "customdata": [hover[i] for i in rows]}
            for key, rows in _trace_rows(outlets, groups).items()}


#: Positions travel as whole steps of 1e-5 degree (about a metre, finer than a map at its closest zoom shows).
STEPS_PER_DEGREE = 100_000
_WHOLE = re.compile(r"[1-9][0-9]{0,14}")
#: The fields of a dense trace that index the table of texts: street, title (name), second line (branch or date).
_TEXT_FIELDS = ("s", "t", "l")


def _steps(degrees: pd.Series) -> np.ndarray:
    # np.round(x, 5) is rint(x * 1e5) / 1e5: the browser's step / 1e5 gives back the very same double.
    return np.rint(pd.to_numeric(degrees, errors="coerce").to_numpy(dtype=float) * STEPS_PER_DEGREE)


def _whole(texts: pd.Series, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return which texts read back the same as a whole number (shorter in JSON) and those numbers (else 0).

    ``keep`` (optional) masks the rows to consider at all.
    """
    texts = texts.astype("string[pyarrow]")
    whole = texts.str.fullmatch(_WHOLE.pattern).fillna(False).to_numpy(dtype=bool)
    if keep is not None:
        whole &= keep
    return whole, texts.where(whole, "0").astype("int64").to_numpy()


def _objects(values: np.ndarray, known: np.ndarray, other: np.ndarray | None = None) -> np.ndarray:
    """Return Python values per row, to take rows from and list: ``values`` where ``known``, else ``other`` or None."""
    out = values.astype(object)
    out[~known] = None if other is None else other[~known]
    return out


def _step_objects(steps: np.ndarray, origin: int) -> np.ndarray:
    known = ~np.isnan(steps)
    return _objects(np.where(known, steps, 0).astype(np.int64) - origin, known)


def dense_points(keys: list[str], outlets: pd.DataFrame, groups: list[str]) -> dict:
    """Return one inventory's outlet and vacancy points in the dense form the browser's core map expands.

    The first view of a large city holds ten thousand points; sent as :func:`outlet_layers` gives them, the
    names, branches and streets repeat thousands of times. Here every text goes once in ``strings``, the
    points refer to it by index, positions are whole steps of 1e-5 degree from ``origin``, house numbers and
    ids that are plain numbers go as numbers, and ids as differences from the previous point's id when all
    are. ``assets/core-map.js`` (``expand``) turns it back into exactly :func:`outlet_layers`'s ``lon``,
    ``lat`` and ``customdata``, per trace position (``keys``). Built from the same columns as the hover
    (:func:`_hover_columns`), whole columns at a time: a large city has ten thousand outlets.
    """
    _, address, title, line2 = _hover_columns(outlets)
    street, house = _text(outlets["street"]), _text(outlets["house_number"])
    # The address is "street number"; where the two parts do not give it back (spaces at their ends), the
    # whole address goes as the street.
    joined = np.where((street != "") & (house != ""), street + " " + house, street + house)
    same = joined == address
    street, house = np.where(same, street, address), np.where(same, house, "")
    wvo = np.array(_whole_m2(outlets["wvo_m2"]), dtype=object)
    ids = _text(outlets["outlet_id"])
    id_whole, id_numbers = _whole(pd.Series(ids))
    house_whole, house_numbers = _whole(pd.Series(house))
    houses = _objects(house_numbers, house_whole, house)
    x, y = _steps(outlets["lon"]), _steps(outlets["lat"])
    origin = [int(np.nanmin(v)) if not np.isnan(v).all() else 0 for v in (x, y)]
    xs, ys = _step_objects(x, origin[0]), _step_objects(y, origin[1])
    traces: dict[str, dict] = {}
    texts: list[np.ndarray] = []  # every text field of every trace, in order: their indexes come below
    for key, rows in _trace_rows(outlets, groups).items():
        trace: dict[str, Any] = {"x": xs[rows].tolist(), "y": ys[rows].tolist(), "s": street[rows],
                                 "h": houses[rows].tolist(), "l": line2[rows], "w": wvo[rows].tolist()}
        if id_whole[rows].all():
            trace["d"] = np.diff(id_numbers[rows], prepend=0).tolist()
        else:
            trace["i"] = ids[rows].tolist()
        if key.startswith("vacant|"):
            trace["v"] = 1
        else:
            trace["t"] = title[rows]
        texts += [trace[f] for f in _TEXT_FIELDS if f in trace]
        traces[str(keys.index(key))] = trace
    # The most used texts (branches, streets, chains' names) get the shortest indexes; ties in order of first use.
    codes, strings = pd.factorize(np.concatenate(texts) if texts else np.array([], dtype=object))
    rank = np.empty(len(strings), dtype=np.int64)
    rank[np.argsort(-np.bincount(codes, minlength=len(strings)), kind="stable")] = np.arange(len(strings))
    ranked = rank[codes].tolist()
    done = 0
    for trace in traces.values():
        for f in _TEXT_FIELDS:
            if f in trace:
                n = len(trace[f])
                trace[f], done = ranked[done:done + n], done + n
    order = np.empty(len(strings), dtype=object)
    order[rank] = np.asarray(strings, dtype=object)
    return {"origin": origin, "strings": order.tolist(), "traces": traces}


def year_points(keys: list[str], layers: dict[str, dict], base: dict[str, dict] | None) -> dict[str, list]:
    """Return a new inventory's outlet and vacancy points as the browser's core map takes them on a year switch.

    Per trace position (``keys``), one entry per point: the outlet id alone where the inventory the browser
    already holds (``base``, laid out by :func:`outlet_layers`) has the same point with the same hover, else
    ``[lon, lat, customdata]``. Most units are the same from one year to the next, so a switch sends their
    ids and only the changed points in full; ``assets/core-map.js`` puts the traces back together.
    """
    held: dict[str, tuple] = {}
    for layer in (base or {}).values():
        for lon, lat, custom in zip(layer["lon"], layer["lat"], layer["customdata"], strict=True):
            held[custom[0]] = (lon, lat, custom)
    out: dict[str, list] = {}
    for key, layer in layers.items():
        entries: list = []
        for lon, lat, custom in zip(layer["lon"], layer["lat"], layer["customdata"], strict=True):
            same = held.get(custom[0]) == (lon, lat, custom)
            entries.append(custom[0] if same else [lon, lat, custom])
        out[str(keys.index(key))] = entries
    return out


def change_layers(changes: pd.DataFrame) -> dict[str, dict]:
    """Split the changes between two inventories over the change traces.

    ``changes`` as ``dashboard.features.core_map.mapdata.changes`` returns them.
    """
    layers = {}
    for c in CHANGE_CLASSES:
        rows = changes[changes["change"] == c]
        custom = _rows(_text(rows["outlet_id"]), np.full(len(rows), CHANGE_CLASSES[c][0], dtype=object),
                       _text(rows["description"]), _text(rows["branch_label"]), wvo=rows["wvo_m2"])
        layers[f"change|{c}"] = {"lon": rows["lon"].round(5).tolist(), "lat": rows["lat"].round(5).tolist(),
                                 "customdata": custom}
    return layers


def counting_point_trace(points: pd.DataFrame, year: int) -> dict:
    """Return the counting points sized by their average weekly passers in ``year``; click shows their trend."""
    top = max(float(points["avg_weekly"].max()), 1.0) if points["avg_weekly"].notna().any() else 1.0
    sizes = [round(9 + 21 * math.sqrt(v / top), 1) if pd.notna(v) else 9 for v in points["avg_weekly"]]
    custom = [["telpunt", p, n, fmt_number(v) if pd.notna(v) else "geen telling"]
              for p, n, v in zip(points["point_id"], points["name"], points["avg_weekly"], strict=True)]
    return {"type": "scattermap", "mode": "markers", "name": "Telpunten (passanten)",
            "lon": points["lon"].round(5).tolist(), "lat": points["lat"].round(5).tolist(),
            "marker": {"size": sizes, "color": POINT_COLOR, "opacity": 0.85, "symbol": "circle"},
            "customdata": custom,
            "hovertemplate": (f"<b>%{{customdata[2]}}</b><br>Gem. passanten per week ({year}): "
                              "%{customdata[3]}<br><i>klik voor de trend</i><extra>Telpunt</extra>")}


def core_map(keys: list[str], areas: pd.DataFrame, points: pd.DataFrame, layers: dict[str, dict],
             visible: list[bool], labels: dict[str, tuple[str, str]], year: int, tiles: TileSource | None,
             height: int = 620, outlets: pd.DataFrame | None = None) -> dict:
    """Return the whole core-area map, traces in the order of ``keys``.

    ``layers`` holds the point data of the outlet, vacancy and change traces (a trace not in it is drawn
    empty, for the browser to fill: see :func:`dense_points`); ``labels`` maps each occupied branch group to
    its Dutch label and colour; ``visible`` is one flag per trace. Without shopping areas the map frames the
    points of ``layers`` and the ``lon``/``lat`` of ``outlets``.
    """
    traces = area_traces(areas)
    for key in keys[2:-1]:
        kind, rest = key.split("|", 1)
        data = layers.get(key, {"lon": [], "lat": [], "customdata": []})
        if kind == "outlet":
            group, chain = rest.split("|")
            name, color = labels[group]
            trace = {"name": name, "legendgroup": group, "showlegend": chain == "keten",
                     "marker": {"size": 8 if chain == "keten" else 7, "color": color, "opacity": 0.9}}
        elif kind == "vacant":
            name, color = VACANCY_CLASSES[rest]
            trace = {"name": name, "legendgroup": "leegstand", "marker": {"size": 10, "color": color, "opacity": 1}}
        else:
            name, color = CHANGE_CLASSES[rest]
            trace = {"name": name, "legendgroup": "wijziging", "marker": {"size": 11, "color": color, "opacity": 1}}
        traces.append({"type": "scattermap", "mode": "markers", "hovertemplate": hover_template(key),
                       "hovertemplatefallback": "onbekend", **trace, **data})
    traces.append(counting_point_trace(points, year))
    for trace, shown in zip(traces, visible, strict=True):
        trace["visible"] = bool(shown)
    if not areas.empty:
        box = (areas["min_lon"].min(), areas["min_lat"].min(), areas["max_lon"].max(), areas["max_lat"].max())
    else:
        frames = [points] if outlets is None else [points, outlets]
        lon = pd.concat([pd.Series(d["lon"], dtype=float) for d in layers.values()] + [f["lon"] for f in frames])
        lat = pd.concat([pd.Series(d["lat"], dtype=float) for d in layers.values()] + [f["lat"] for f in frames])
        box = (lon.min(), lat.min(), lon.max(), lat.max()) if lon.notna().any() else (4.3, 50.9, 4.5, 51.1)
    centre, zoom = fit_view(*box, height=height - 110)
    # Fifteen legend entries would cover the core inside the map: they go in rows under it.
    layout = map_layout(centre, zoom, tiles, height, legend_title="Legende")
    return {"data": traces, "layout": legend_under(layout, 110)}


ZONE_COLOR = "#d9822b"


def zone_trace(areas: pd.DataFrame, selected: list[str] | None) -> dict:
    """Return the layer that fills the shopping areas picked as the application's zone."""
    picked = areas[areas["area_id"].isin(selected or [])]
    codes = picked["area_id"].tolist()
    return {"type": "choroplethmap", "name": "Gekozen zone", "showlegend": True, "showscale": False,
            "hoverinfo": "skip", "geojson": feature_collection(codes, picked["geojson"].tolist()),
            "locations": codes, "featureidkey": "id", "z": [1] * len(codes), "colorscale": _flat(ZONE_COLOR),
            "marker": {"opacity": 0.45, "line": {"color": ZONE_COLOR, "width": 2.5}}}


def zone_map(areas: pd.DataFrame, selected: list[str] | None, tiles: TileSource | None, height: int = 380) -> dict:
    """Return the map on which a municipality picks its zone: its shopping areas, the picked ones filled.

    The zone layer comes first so that a click lands on the area layers above it, which name the area. Each area
    is its own layer, outlined in its own colour, so that the legend under the map labels it (text on the map
    itself would need fonts from the internet).
    """
    traces = [zone_trace(areas, selected), *labelled_area_traces(areas)]
    min_lon, min_lat, max_lon, max_lat = (
        (areas["min_lon"].min(), areas["min_lat"].min(), areas["max_lon"].max(), areas["max_lat"].max())
        if not areas.empty else (2.5, 50.65, 5.95, 51.5))
    centre, zoom = fit_view(min_lon, min_lat, max_lon, max_lat, height=height)
    layout = map_layout(centre, zoom, tiles, height, legend_title="Winkelgebieden")
    # Under the map, the title above the names: on a phone a long area name still fits beside its swatch.
    layout["legend"].update(orientation="h", x=0, y=0, yanchor="top", bgcolor="rgba(255,255,255,0)", borderwidth=0)
    layout["legend"]["title"]["side"] = "top"
    layout["margin"]["b"] = 24 + 22 * math.ceil(len(areas) / 2)
    layout["height"] = height + layout["margin"]["b"]
    layout["clickmode"] = "event"
    return {"data": traces, "layout": layout}


#: Outline colours of the labelled areas (Okabe and Ito, without the zone's orange): told apart by any reader.
AREA_PALETTE = ("#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#000000", "#d55e00", "#999999")


def labelled_area_traces(areas: pd.DataFrame) -> list[dict]:
    """Return one outlined layer per shopping area, named "<name> (<type>)" in the legend; clicks name the area."""
    traces = []
    for i, r in enumerate(areas.itertuples()):
        color = AREA_PALETTE[i % len(AREA_PALETTE)]
        outlets = fmt_number(r.outlets_total) if pd.notna(r.outlets_total) else "–"
        traces.append({
            "type": "choroplethmap", "name": f"{r.name} ({r.area_type})", "showlegend": True, "showscale": False,
            "geojson": feature_collection([r.area_id], [r.geojson]), "locations": [r.area_id], "featureidkey": "id",
            "z": [1], "colorscale": _flat(color), "marker": {"opacity": 0.12, "line": {"color": color, "width": 2.5}},
            "customdata": [["winkelgebied", r.area_id, r.name, r.area_type, outlets]],
            "hovertemplate": ("<b>%{customdata[2]}</b><br>%{customdata[3]}<br>Verkooppunten: %{customdata[4]}"
                              "<br><i>klik om toe te voegen of weg te nemen</i><extra></extra>"),
        })
    return traces
