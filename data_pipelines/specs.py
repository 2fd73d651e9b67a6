"""The export format, declared once: files, columns, aliases, types and checks.

The extractor maps headers through the aliases, the validator derives its checks from the same
declarations, the demo writes exactly these headers, and ``data/FORMAT.md`` documents them (a test
keeps the two in step).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TypedDict

#: Column kinds. ``bool`` accepts J/N, ja/nee, 1/0, true/false, y/n.
KINDS = ("text", "int", "decimal", "date", "bool", "code")


@dataclass(frozen=True)
class Column:
    """One column of an export file."""

    name: str
    kind: str
    doc: str
    required: bool = True  # the column must be present in the header
    nullable: bool = False  # an empty cell is allowed
    aliases: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None  # regular expression a text/code value must match


@dataclass(frozen=True)
class InputSpec:
    """One export file kind."""

    kind: str
    stems: tuple[str, ...]  # accepted file names without extension, first is the canonical one
    doc: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    required_file: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        """Return the canonical file name (CSV)."""
        return f"{self.stems[0]}.csv"

    def column(self, name: str) -> Column:
        """Return the declared column called ``name``."""
        return next(c for c in self.columns if c.name == name)


class _Range(TypedDict):
    min: int
    max: int


YEAR: _Range = {"min": 2000, "max": 2100}
NIS = Column("nis_code", "code", "NIS-code (REFNIS) van de gemeente; ook codes van vóór de fusies van 2019 "
             "en 2025 worden aanvaard en omgezet", aliases=("nis", "niscode", "refnis", "cd_refnis",
                                                            "gemeente nis", "nis gemeente", "ins code"),
             pattern=r"^\d{4,5}$")
SOURCE = Column("bron", "text", "Herkomst van de rij (de demo schrijft hier 'SYNTHETISCH ...')", required=False,
                nullable=True, aliases=("source", "herkomst"))
X = Column("x", "decimal", "X-coördinaat in Lambert 72 (EPSG:31370), meter", required=False, nullable=True,
           aliases=("x lambert", "x_lambert72", "x coord", "xcoord", "x-coordinaat", "x coordinaat"))
Y = Column("y", "decimal", "Y-coördinaat in Lambert 72 (EPSG:31370), meter", required=False, nullable=True,
           aliases=("y lambert", "y_lambert72", "y coord", "ycoord", "y-coordinaat", "y coordinaat"))
LON = Column("lon", "decimal", "Lengtegraad WGS84 (alternatief voor x/y)", required=False, nullable=True,
             aliases=("longitude", "lengtegraad", "lng"), min=-180, max=180)
LAT = Column("lat", "decimal", "Breedtegraad WGS84 (alternatief voor x/y)", required=False, nullable=True,
             aliases=("latitude", "breedtegraad"), min=-90, max=90)

OUTLETS = InputSpec(
    kind="outlets",
    stems=("verkooppunten", "outlets", "vkp"),
    doc="Verkooppunten: één rij per verkooppunt per jaarlijkse inventaris (bezet of leegstaand).",
    required_file=True,
    unique=("jaar", "vkp_id"),
    columns=(
        Column("jaar", "int", "Jaar van de inventaris", aliases=("year", "inventarisjaar", "peiljaar"), **YEAR),
        Column("peildatum", "date", "Datum van de inventaris; ontbreekt ze, dan geldt 31 december van het jaar",
               required=False, nullable=True, aliases=("inventarisdatum", "datum inventaris")),
        Column("vkp_id", "code", "Blijvende id van het verkooppunt (de eenheid op dat adres)",
               aliases=("verkooppunt id", "vkpid", "id", "locatus id", "outlet id", "verkooppunt_id")),
        Column("naam", "text", "Naam van het verkooppunt (leeg bij leegstand)", nullable=True,
               aliases=("winkelnaam", "handelsnaam", "naam verkooppunt", "name")),
        Column("straat", "text", "Straat", required=False, nullable=True, aliases=("straatnaam", "adres")),
        Column("huisnummer", "text", "Huisnummer (met toevoeging)", required=False, nullable=True,
               aliases=("nr", "nummer", "huisnr")),
        Column("postcode", "code", "Postcode (4 cijfers)", required=False, nullable=True,
               aliases=("postal code", "postnummer"), pattern=r"^\d{4}$"),
        NIS,
        Column("gemeente", "text", "Naam van de gemeente (informatief; de NIS-code telt)", required=False,
               nullable=True, aliases=("gemeentenaam", "municipality")),
        Column("winkelgebied_id", "code", "Id van het winkelgebied (leeg: buiten elk winkelgebied)",
               nullable=True, aliases=("winkelgebied", "winkelgebied id", "wg_id", "shopping area id")),
        Column("branche_code", "code", "Branchecode; de indeling in branchegroepen staat in "
               "data_pipelines/refdata/branches.csv", aliases=("branchecode", "branche code", "branch code")),
        Column("branche", "text", "Omschrijving van de branche (informatief)", required=False, nullable=True,
               aliases=("branchenaam", "branche omschrijving")),
        Column("branchegroep", "text", "Branchegroep (informatief; de indeling volgt uit de branchecode)",
               required=False, nullable=True, aliases=("hoofdbranche", "branche groep")),
        Column("wvo_m2", "decimal", "Winkelvloeroppervlakte (WVO) in m²; leeg = niet gemeten", nullable=True,
               aliases=("wvo", "wvo m2", "wvo (m2)", "wvo m²", "wvo (m²)", "winkelvloeroppervlakte"),
               min=0, max=200000),
        Column("formule", "text", "Naam van de formule (keten); leeg bij zelfstandigen", required=False,
               nullable=True, aliases=("formulenaam", "keten naam", "formula")),
        Column("filiaal", "bool", "J als het verkooppunt tot een filiaalbedrijf (keten, 7+ vestigingen) "
               "hoort; ontbreekt de kolom, dan volgt het uit de formule", required=False, nullable=True,
               aliases=("keten", "filiaalbedrijf", "chain")),
        Column("leegstand", "bool", "J als het verkooppunt leegstaat", aliases=("leeg", "vacant", "leegstaand")),
        Column("leeg_sinds", "date", "Datum sinds wanneer het verkooppunt leegstaat", nullable=True,
               required=False, aliases=("leegstaand sinds", "leegstand sinds", "datum leegstand", "leeg sinds")),
        X, Y, LON, LAT, SOURCE,
    ),
)

AREA_TYPES = (
    "hoofdwinkelgebied",
    "kernverzorgend centrum",
    "ondersteunend winkelgebied",
    "baanwinkelgebied",
    "grootschalige concentratie",
)

AREAS = InputSpec(
    kind="areas",
    stems=("winkelgebieden", "areas", "kernwinkelgebieden"),
    doc="Winkelgebieden: één rij per winkelgebied, met zijn omtrek.",
    unique=("winkelgebied_id",),
    columns=(
        Column("winkelgebied_id", "code", "Id van het winkelgebied", aliases=("winkelgebied", "id", "wg_id")),
        Column("naam", "text", "Naam van het winkelgebied", aliases=("winkelgebied naam", "name")),
        NIS,
        Column("type", "text", "Type winkelgebied: " + ", ".join(AREA_TYPES), aliases=("gebiedstype",
               "type winkelgebied", "area type")),
        Column("kernwinkelgebied", "bool", "J als het gebied (deels) het juridisch afgebakende "
               "kernwinkelgebied van de gemeente is (RUP of verordening)", required=False, nullable=True,
               aliases=("juridisch kernwinkelgebied", "afgebakend kernwinkelgebied")),
        Column("geometrie_wkt", "text", "Omtrek als WKT (POLYGON of MULTIPOLYGON) in Lambert 72 "
               "(EPSG:31370), of in WGS84 als de waarden graden zijn", nullable=True, required=False,
               aliases=("geometrie", "wkt", "geometry")),
        SOURCE,
    ),
)

COUNTING_POINTS = InputSpec(
    kind="counting_points",
    stems=("telpunten", "counting_points"),
    doc="Telpunten voor passantentellingen.",
    unique=("telpunt_id",),
    columns=(
        Column("telpunt_id", "code", "Id van het telpunt", aliases=("telpunt", "id", "meetpunt id")),
        Column("naam", "text", "Naam of straat van het telpunt", aliases=("telpunt naam", "name")),
        NIS,
        Column("winkelgebied_id", "code", "Winkelgebied waarin het telpunt ligt (leeg: de build zoekt het op de "
               "ligging)", nullable=True,
               aliases=("winkelgebied",)),
        X, Y, LON, LAT, SOURCE,
    ),
)

FOOTFALL = InputSpec(
    kind="footfall",
    stems=("passanten", "footfall", "passantentellingen"),
    doc="Passanten per telpunt per uur (lokale tijd).",
    unique=("telpunt_id", "datum", "uur"),
    columns=(
        Column("telpunt_id", "code", "Id van het telpunt", aliases=("telpunt", "meetpunt id")),
        Column("datum", "date", "Datum van de telling", aliases=("date", "dag")),
        Column("uur", "int", "Uur van de dag, 0 tot 23 (telling van uu:00 tot uu:59)", aliases=("hour",),
               min=0, max=23),
        Column("passanten", "int", "Aantal passanten in dat uur", aliases=("passers", "aantal", "telling"),
               min=0, max=1_000_000),
        Column("binnenkomers", "int", "Aantal binnenkomende bezoekers (alleen waar ingangen geteld worden)",
               required=False, nullable=True, aliases=("ingangen", "entries"), min=0, max=1_000_000),
        SOURCE,
    ),
)

POPULATION = InputSpec(
    kind="population",
    stems=("bevolking", "population"),
    doc="Bevolking per gemeente per jaar, zoals Statbel ze publiceert (rijen per geslacht, leeftijd... "
        "worden opgeteld).",
    columns=(
        Column("CD_REFNIS", "code", "NIS-code van de gemeente", aliases=("nis_code", "nis", "refnis", "niscode"),
               pattern=r"^\d{4,5}$"),
        Column("TX_DESCR_NL", "text", "Naam van de gemeente (informatief)", required=False, nullable=True,
               aliases=("gemeente", "naam")),
        Column("CD_YEAR", "int", "Jaar (1 januari); ontbreekt de kolom, dan uit de bestandsnaam "
               "(bv. TF_SOC_POP_STRUCT_2024)", required=False, aliases=("jaar", "year"), **YEAR),
        Column("MS_POPULATION", "int", "Aantal inwoners", aliases=("inwoners", "bevolking", "population"),
               min=0, max=2_000_000),
        SOURCE,
    ),
)

SPECS: tuple[InputSpec, ...] = (OUTLETS, AREAS, COUNTING_POINTS, FOOTFALL, POPULATION)
SPEC_BY_KIND = {s.kind: s for s in SPECS}


def normalize_header(text: str) -> str:
    """Fold a header for alias matching: case, accents, spaces, underscores, brackets."""
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("²", "2")
    return re.sub(r"[\s_\-\.()\[\]/]+", " ", text).strip()


def header_map(spec: InputSpec) -> dict[str, str]:
    """Return normalized header -> canonical column name for ``spec``."""
    out: dict[str, str] = {}
    for col in spec.columns:
        for name in (col.name, *col.aliases):
            out.setdefault(normalize_header(name), col.name)
    return out
