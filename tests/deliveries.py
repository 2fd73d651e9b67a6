"""A small delivery shaped like a real one, written from code: the indicators are computed by hand in the tests.

Three municipalities (Kortrijk 34022, Gent 44021, Hasselt 71022), inventories 2023 and 2024, one file
per year, named as people name them:

- ``Locatus export 2023.xlsx``: a notes sheet first, then sheet "Verkooppunten" (readable headers,
  Lambert 72 numbers, d/m/yyyy dates as text);
- ``verkooppunten_2024.csv``: Windows-1252, ``;``, decimal comma, an extra column "Opmerking";
- ``TF_SOC_POP_STRUCT_2023.txt`` (``|``, no year column) and ``TF_SOC_POP_STRUCT_2024.zip`` (the txt
  inside, with ``DT_REFDATE``), as Statbel publishes them: all of Belgium, one row per sex;
- ``telpunten.csv`` and ``passanten.csv``: one counting point in Kortrijk, entries counted during
  opening hours only;
- ``notities.docx`` (ignored) and ``LEESMIJ.txt`` (documentation).

Every municipality and year has four outlets: X1 Zeeman (MOD01, 100 m², a chain formula but no chain
flag), X2 a bakery (DAG03, 80 m²), X3 a restaurant (LEI01, 120 m²), X4 vacant (LEE01, 90 m²) since:

=========  ==========  =========================  =========================
town       since       2023 (ref. 31-12-2023)     2024 (ref. 31-12-2024)
=========  ==========  =========================  =========================
Kortrijk   15/3/2019   structural                 structural
Gent       1/9/2023    frictional                 long-term
Hasselt    1/2/2022    long-term                  long-term
=========  ==========  =========================  =========================

So per town and year: 2 retail outlets, 1 vacant: vacancy rate (retail) 1/3.

Population (Statbel, men + women): 2023 Kortrijk 40.000 + 38.000, Gent 130.000 + 135.000, Hasselt
39.000 + 40.500; 2024 Kortrijk 40.300 + 38.200, Gent 131.000 + 135.000, Hasselt 39.400 + 40.600.
Outside Flanders: 2023 Brussel 2 rows, Wallonia 3; 2024 Brussel 1, Wallonia 2.

Footfall TP1 (Kortrijk), 5/3/2024: 8h 50 passers (no entries), 10h 200 (30), 11h 300 (45), 22h 100
(no entries). Capture rate 2024 = 75 / (75 + 500) = 13,04 % (not 75 / (75 + 650)).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.exports import write_csv

TOWNS = {  # NIS: (name, x, y in Lambert 72, vacant since)
    "34022": ("Kortrijk", 72232.2, 169196.7, "15/3/2019"),
    "44021": ("Gent", 104863.8, 193989.1, "1/9/2023"),
    "71022": ("Hasselt", 218122.0, 180489.1, "1/2/2022"),
}
HEADER = ["Jaar", "Locatus ID", "Winkelnaam", "Straat", "NIS", "Gemeentenaam", "Winkelgebied", "Branchecode",
          "WVO (m²)", "Formule", "Leegstand", "Leegstand sinds", "X Lambert", "Y Lambert"]
NAMES = {"X1": "Zeeman", "X2": "Bakkerij ‘t Hoekske", "X3": "Café “De Zwaan”", "X4": ""}
STATBEL_HEADER = ["CD_REFNIS", "TX_DESCR_NL", "TX_DESCR_FR", "CD_DSTR_REFNIS", "TX_ADM_DSTR_DESCR_NL",
                  "TX_ADM_DSTR_DESCR_FR", "CD_PROV_REFNIS", "TX_PROV_DESCR_NL", "TX_PROV_DESCR_FR", "CD_RGN_REFNIS",
                  "TX_RGN_DESCR_NL", "TX_RGN_DESCR_FR", "CD_SEX", "CD_NATLTY", "TX_NATLTY_NL", "TX_NATLTY_FR",
                  "CD_CIV_STS", "TX_CIV_STS_NL", "TX_CIV_STS_FR", "CD_AGE", "MS_POPULATION"]
POPULATION = {  # year: [(NIS, name, region, sex, count)]
    2023: [("34022", "Kortrijk", "02000", "M", 40000), ("34022", "Kortrijk", "02000", "F", 38000),
           ("44021", "Gent", "02000", "M", 130000), ("44021", "Gent", "02000", "F", 135000),
           ("71022", "Hasselt", "02000", "M", 39000), ("71022", "Hasselt", "02000", "F", 40500),
           ("21004", "Brussel", "04000", "M", 95000), ("21004", "Brussel", "04000", "F", 96000),
           ("62063", "Luik", "03000", "M", 95000), ("62063", "Luik", "03000", "F", 99000),
           ("92094", "Namen", "03000", "F", 57000)],
    2024: [("34022", "Kortrijk", "02000", "M", 40300), ("34022", "Kortrijk", "02000", "F", 38200),
           ("44021", "Gent", "02000", "M", 131000), ("44021", "Gent", "02000", "F", 135000),
           ("71022", "Hasselt", "02000", "M", 39400), ("71022", "Hasselt", "02000", "F", 40600),
           ("21004", "Brussel", "04000", "M", 96000),
           ("62063", "Luik", "03000", "M", 95500), ("62063", "Luik", "03000", "F", 99500)],
}


def outlet_rows(year: int) -> list[list[object]]:
    """Return the outlets of one inventory in the order of ``HEADER`` (numbers as numbers)."""
    rows = []
    for nis, (town, x, y, since) in TOWNS.items():
        for uid, branch, wvo, formula in (("X1", "MOD01", 100, "Zeeman"), ("X2", "DAG03", 80, ""),
                                          ("X3", "LEI01", 120, ""), ("X4", "LEE01", 90, "")):
            vacant = uid == "X4"
            rows.append([year, f"{nis}-{uid}", NAMES[uid], "Grote Markt", nis, town, "", branch, wvo, formula,
                         "J" if vacant else "N", since if vacant else "", x, y])
    return rows


def _as_text(value: object) -> str:
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def write_outlets_xlsx(path: Path, year: int, header: list[str]) -> Path:
    """Write one inventory as an Excel workbook with a notes sheet in front of the data."""
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Toelichting"
    notes.append(["Export van de verkooppunten, peildatum 31 december"])
    notes.append(["Vragen: zie de leverancier"])
    data = book.create_sheet("Verkooppunten")
    data.append(header)
    for row in outlet_rows(year):
        data.append(row)
    book.save(path)
    return path


def write_outlets_csv(path: Path, year: int, header: list[str], extra: list[list[str]] = ()) -> Path:
    """Write one inventory as Excel on a Belgian Windows machine saves a CSV: cp1252, ``;``, decimal comma."""
    rows = [[_as_text(v) for v in row] + ["nagekeken"] for row in outlet_rows(year)]
    return write_csv(path, [*header, "Opmerking"], rows + list(extra), encoding="cp1252")


def statbel_text(year: int, with_refdate: bool) -> str:
    """Return a TF_SOC_POP_STRUCT file as Statbel publishes it ('|', one row per sex, all of Belgium)."""
    header = [*STATBEL_HEADER, "DT_REFDATE"] if with_refdate else STATBEL_HEADER
    lines = ["|".join(header)]
    for nis, name, region, sex, count in POPULATION[year]:
        row = [nis, name, name, nis[:2] + "000", "Arr. " + name, "Arr. " + name, nis[0] + "0000", "Prov.", "Prov.",
               region, "Gewest", "Région", sex, "BEL", "Belgen", "Belges", "1", "Ongehuwd", "Célibataire", "30",
               str(count)]
        lines.append("|".join([*row, f"01/01/{year}"] if with_refdate else row))
    return "\n".join(lines) + "\n"


def write_delivery(directory: Path, *, header: list[str] | None = None) -> Path:
    """Write the whole delivery (see the module docstring) into ``directory``; return it."""
    directory.mkdir(parents=True, exist_ok=True)
    header = header or HEADER
    write_outlets_xlsx(directory / "Locatus export 2023.xlsx", 2023, header)
    write_outlets_csv(directory / "verkooppunten_2024.csv", 2024, header)
    (directory / "TF_SOC_POP_STRUCT_2023.txt").write_text(statbel_text(2023, False), encoding="utf-8")
    with zipfile.ZipFile(directory / "TF_SOC_POP_STRUCT_2024.zip", "w") as zf:
        zf.writestr("TF_SOC_POP_STRUCT_2024.txt", statbel_text(2024, True))
    write_csv(directory / "telpunten.csv", ["telpunt_id", "naam", "nis_code", "winkelgebied_id", "x", "y"],
              [["TP1", "Lange Steenstraat", "34022", "", "72232,2", "169196,7"]])
    write_csv(directory / "passanten.csv", ["telpunt_id", "datum", "uur", "passanten", "binnenkomers"], [
        ["TP1", "5/3/2024", "8", "50", ""], ["TP1", "5/3/2024", "10", "200", "30"],
        ["TP1", "5/3/2024", "11", "300", "45"], ["TP1", "5/3/2024", "22", "100", ""],
    ])
    (directory / "notities.docx").write_bytes(b"PK\x03\x04 not really a document")
    (directory / "LEESMIJ.txt").write_text("Levering van de gemeenten Kortrijk, Gent en Hasselt.\n", encoding="utf-8")
    return directory
