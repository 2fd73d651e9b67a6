"""Read a municipality boundary file (GeoPackage, Shapefile, GeoJSON; any of the Belgian CRSs).

Matched on the NIS code; pre-2025 municipalities are dissolved into their 2025 municipality through
the merger table; municipalities outside Flanders (a national file) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from data_pipelines import geo
from data_pipelines.errors import ExportError
from data_pipelines.specs import normalize_header

#: Column names that hold the NIS code in the files Statbel, NGI and the Flemish GIS portals publish.
NIS_COLUMNS = ("nis_code", "niscode", "nis", "cd_munty_refnis", "cd_refnis", "refnis", "nsi", "ins", "code_ins",
               "ins_code", "nis code", "gemeente nis")
#: About 50 m: enough for a municipality on a web map, and it keeps the file small.
SIMPLIFY_DEG = 0.0005


@dataclass
class Boundaries:
    """Boundaries matched to the 2025 municipalities."""

    frame: gpd.GeoDataFrame  # nis_code, area_km2, geometry (WGS84)
    notes: list[str] = field(default_factory=list)


def read_boundaries(path: Path, nis_map: dict[str, str]) -> Boundaries:
    """Read ``path`` and return one (dissolved) WGS84 polygon per current Flemish NIS code."""
    path = Path(path)
    if not path.exists():
        raise ExportError(str(path), "het grenzenbestand bestaat niet")
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own error types per driver
        raise ExportError(path.name, f"geen leesbaar grenzenbestand (GeoPackage, Shapefile of GeoJSON): {exc}"
                          ) from None
    wanted = {normalize_header(c) for c in NIS_COLUMNS}
    column = next((c for c in gdf.columns if c != "geometry" and normalize_header(str(c)) in wanted), None)
    if column is None:
        raise ExportError(path.name, "geen kolom met de NIS-code (verwacht bv. nis_code, NISCODE of "
                                     "CD_MUNTY_REFNIS)", column="nis_code")
    notes = []
    if gdf.crs is None:
        centroids = gdf.geometry.representative_point()
        crs = geo.guess_projected_crs(np.asarray(centroids.x), np.asarray(centroids.y))
        gdf = gdf.set_crs(crs)
        notes.append(f"geen CRS in het bestand; gelezen als {geo.CRS_NAMES[crs]}")
    codes = gdf[column].astype(str).str.strip().str.replace(r"\.0$", "", regex=True).str.zfill(5)
    gdf = gdf.assign(nis_code=codes.map(nis_map))
    skipped = int(gdf["nis_code"].isna().sum())
    if skipped:
        notes.append(f"{skipped} grenzen buiten Vlaanderen overgeslagen")
    gdf = gdf[gdf["nis_code"].notna() & gdf.geometry.notna()]
    if gdf.empty:
        raise ExportError(path.name, "geen enkele Vlaamse gemeente herkend op haar NIS-code", column=str(column))
    gdf = gdf[["nis_code", "geometry"]].to_crs(geo.WGS84)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    dissolved = gdf.dissolve("nis_code").reset_index()
    area = dissolved.to_crs(geo.LAMBERT2008).area / 1e6  # m² -> km²
    simplified = dissolved.geometry.simplify(SIMPLIFY_DEG, preserve_topology=True)
    frame = gpd.GeoDataFrame({"nis_code": dissolved["nis_code"], "area_km2": area.round(3)},
                             geometry=shapely.make_valid(simplified.values), crs=geo.WGS84)
    missing = len(set(nis_map.values())) - len(frame)
    if missing:
        notes.append(f"{missing} Vlaamse gemeenten zonder grens")
    return Boundaries(frame.sort_values("nis_code", ignore_index=True), notes)
