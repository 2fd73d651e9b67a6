"""A tiny hand-made export, written from code, whose indicators are computed by hand in the tests.

Gent (44021), inventory 2025 (reference date 31-12-2025):

====  =======  ======  ========  =====================================================
id    branch   WVO m²  chain     state
====  =======  ======  ========  =====================================================
O1    DAG01    1000    filiaal   occupied, area WG1
O2    MOD01     100    no        occupied, area WG1
O3    MOD05     200    filiaal   occupied, area WG1
O4    LEI01     150    -         occupied (leisure), area WG1
O5    DIE01      50    -         occupied (services), no area
V1    LEE01     100    -         vacant since 01-06-2025 (213 days: frictional)
V2    LEE01     300    -         vacant since 30-06-2023 (2.5 years: long-term)
V3    LEE01     100    -         vacant since 15-01-2020 (structural)
V4    LEE01     200    -         vacant, no date; vacant in 2024 and 2025 (1 year: frictional)
====  =======  ======  ========  =====================================================

In 2024 the leisure and services outlets have no WVO (the Locatus scope break), V1 is an occupied
MOD02 of 100 m², V2 is vacant since 30-06-2023 and V3, V4 are vacant as in 2025.

Aalst (41002), 2025: seven outlets of formula "KetenX" and one of "Klein", no filiaal flag. The export
covers two municipalities, so the 7+ outlets rule cannot tell chains apart: the formula list
``formules.csv`` names KetenX as a chain, so the chain share is 7/8.

Lochristi: a 2024 outlet carries Wachtebeke's pre-2025 code 44073; the 2024 population comes as
44034 (500) + 44073 (300).

Footfall: one point TP1 in Gent: 06-01-2025 10h 100 (entries 10), 11h 200 (20); 07-01-2025 10h 300 (30).
"""

from __future__ import annotations

import csv
from pathlib import Path

from data_pipelines.specs import AREAS, COUNTING_POINTS, FOOTFALL, OUTLETS

GENT_X, GENT_Y = "104500,0", "194000,0"  # Lambert 72, Gent centre
WG1_WKT = "POLYGON ((104000 193500, 105000 193500, 105000 194500, 104000 194500, 104000 193500))"


def outlet(**values: str) -> dict[str, str]:
    """Return a full outlet row with defaults for what a test does not care about."""
    row = {c.name: "" for c in OUTLETS.columns}
    row.update({"nis_code": "44021", "x": GENT_X, "y": GENT_Y, "leegstand": "N", "naam": "Winkel"})
    row.update(values)
    return row


def gent_rows() -> list[dict[str, str]]:
    """Return the Gent outlets of 2024 and 2025 (see the module docstring)."""
    rows = []
    for year in ("2024", "2025"):
        nonretail_wvo = "" if year == "2024" else None
        rows += [
            outlet(jaar=year, vkp_id="O1", branche_code="DAG01", wvo_m2="1000", filiaal="J", formule="SuperA",
                   winkelgebied_id="WG1"),
            outlet(jaar=year, vkp_id="O2", branche_code="MOD01", wvo_m2="100", filiaal="N", winkelgebied_id="WG1"),
            outlet(jaar=year, vkp_id="O3", branche_code="MOD05", wvo_m2="200", filiaal="J", formule="ShoeB",
                   winkelgebied_id="WG1"),
            outlet(jaar=year, vkp_id="O4", branche_code="LEI01",
                   wvo_m2=nonretail_wvo if nonretail_wvo is not None else "150", winkelgebied_id="WG1"),
            outlet(jaar=year, vkp_id="O5", branche_code="DIE01",
                   wvo_m2=nonretail_wvo if nonretail_wvo is not None else "50"),
            outlet(jaar=year, vkp_id="V2", branche_code="LEE01", wvo_m2="300", leegstand="J", naam="",
                   leeg_sinds="30-06-2023"),
            outlet(jaar=year, vkp_id="V3", branche_code="LEE01", wvo_m2="100", leegstand="J", naam="",
                   leeg_sinds="15-01-2020"),
            outlet(jaar=year, vkp_id="V4", branche_code="LEE01", wvo_m2="200", leegstand="J", naam=""),
        ]
    rows.append(outlet(jaar="2024", vkp_id="V1", branche_code="MOD02", wvo_m2="100", filiaal="N"))
    rows.append(outlet(jaar="2025", vkp_id="V1", branche_code="LEE01", wvo_m2="100", leegstand="J", naam="",
                       leeg_sinds="01-06-2025"))
    return rows


def aalst_rows() -> list[dict[str, str]]:
    """Return Aalst 2025: 7 x formula KetenX + 1 x Klein, chain flag left empty."""
    common = {"jaar": "2025", "nis_code": "41002", "x": "127000,0", "y": "181500,0", "branche_code": "MOD01",
              "wvo_m2": "80"}
    rows = [outlet(vkp_id=f"A{i}", formule="KetenX", **common) for i in range(1, 8)]
    rows.append(outlet(vkp_id="A8", formule="Klein", **common))
    return rows


def lochristi_rows() -> list[dict[str, str]]:
    """Return one 2024 outlet with Wachtebeke's pre-2025 NIS code."""
    return [outlet(jaar="2024", vkp_id="L1", nis_code="44073", x="112500,0", y="205000,0", branche_code="DAG03",
                   wvo_m2="70")]


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]] | list[list[str]], *,
              delimiter: str = ";", encoding: str = "utf-8") -> Path:
    """Write rows (dicts keyed by header, or lists) as a CSV export file."""
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return path


def write_fixture_export(directory: Path) -> Path:
    """Write the whole fixture export set into ``directory`` and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    header = [c.name for c in OUTLETS.columns]
    write_csv(directory / "verkooppunten.csv", header, gent_rows() + aalst_rows() + lochristi_rows())
    write_csv(directory / "winkelgebieden.csv", [c.name for c in AREAS.columns], [
        {"winkelgebied_id": "WG1", "naam": "Centrum Gent", "nis_code": "44021", "type": "hoofdwinkelgebied",
         "kernwinkelgebied": "J", "geometrie_wkt": WG1_WKT},
    ])
    write_csv(directory / "telpunten.csv", [c.name for c in COUNTING_POINTS.columns], [
        {"telpunt_id": "TP1", "naam": "Veldstraat", "nis_code": "44021", "winkelgebied_id": "WG1",
         "x": GENT_X, "y": GENT_Y},
    ])
    write_csv(directory / "passanten.csv", [c.name for c in FOOTFALL.columns], [
        {"telpunt_id": "TP1", "datum": "06-01-2025", "uur": "10", "passanten": "100", "binnenkomers": "10"},
        {"telpunt_id": "TP1", "datum": "06-01-2025", "uur": "11", "passanten": "200", "binnenkomers": "20"},
        {"telpunt_id": "TP1", "datum": "07-01-2025", "uur": "10", "passanten": "300", "binnenkomers": "30"},
    ])
    write_csv(directory / "formules.csv", ["formule"], [["KetenX"], ["SuperA"], ["ShoeB"]])
    write_csv(directory / "bevolking.csv", ["CD_REFNIS", "CD_SEX", "CD_YEAR", "MS_POPULATION"], [
        ["44021", "F", "2025", "520"], ["44021", "M", "2025", "480"],
        ["44021", "F", "2024", "500"], ["44021", "M", "2024", "490"],
        ["44034", "F", "2024", "500"], ["44073", "F", "2024", "300"],
    ])
    return directory


def write_map_export(directory: Path) -> Path:
    """Write the fixture export plus what the core-area map compares between 2024 and 2025 in Gent.

    On top of ``write_fixture_export`` (where V1 closes in 2025 and becomes vacant):

    - N1 (MOD03, filiaal) opens in 2025;
    - O2 is taken over in 2025 by another business ("Nieuwe Zaak");
    - G1 (DAG02) is in 2024 only: closed, the unit left the inventory;
    - E1 is vacant in 2025 and was not in the 2024 inventory.

    So 2024 -> 2025: openings N1 + O2 = 2, closures V1 + G1 + O2 = 3, new vacancies V1 + E1 = 2.
    Counting point TP2 has no shopping area in the export but lies inside WG1.
    """
    write_fixture_export(directory)
    header = [c.name for c in OUTLETS.columns]
    rows = [r for r in gent_rows() + aalst_rows() + lochristi_rows()
            if not (r["vkp_id"] == "O2" and r["jaar"] == "2025")]
    rows += [
        outlet(jaar="2025", vkp_id="O2", branche_code="MOD01", wvo_m2="100", filiaal="N", winkelgebied_id="WG1",
               naam="Nieuwe Zaak"),
        outlet(jaar="2025", vkp_id="N1", branche_code="MOD03", wvo_m2="120", filiaal="J", formule="ShoeB",
               winkelgebied_id="WG1", naam="ShoeB"),
        outlet(jaar="2024", vkp_id="G1", branche_code="DAG02", wvo_m2="90", filiaal="N", naam="Bakkerij Gust"),
        outlet(jaar="2025", vkp_id="E1", branche_code="LEE01", wvo_m2="60", leegstand="J", naam="",
               leeg_sinds="01-03-2025", winkelgebied_id="WG1"),
    ]
    write_csv(directory / "verkooppunten.csv", header, rows)
    write_csv(directory / "telpunten.csv", [c.name for c in COUNTING_POINTS.columns], [
        # Away from the outlets (which all sit at GENT_X, GENT_Y), so a click hits the point and not them.
        {"telpunt_id": "TP1", "naam": "Veldstraat", "nis_code": "44021", "winkelgebied_id": "WG1",
         "x": "104400,0", "y": "193900,0"},
        {"telpunt_id": "TP2", "naam": "Korenmarkt", "nis_code": "44021", "winkelgebied_id": "",
         "x": "104600,0", "y": "194100,0"},
    ])
    return directory
