"""The export format, declared once: files, columns, aliases, types and checks.

The extractor maps headers through the aliases, the validator derives its checks from the same
declarations, the demo writes exactly these headers, and ``data/FORMAT.md`` documents them (a test
keeps the two in step).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
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
    #: Headers known to be in such files and deliberately not read (listed as ignored, never "did you mean").
    known_unused: tuple[str, ...] = ()
    label: str = ""  # what the summary calls a file of this kind

    @property
    def required(self) -> tuple[str, ...]:
        """Return the names of the columns a file of this kind must have."""
        return tuple(c.name for c in self.columns if c.required)

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
    label="verkooppunten",
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
    label="winkelgebieden",
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
    label="telpunten",
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
    label="passanten",
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
    label="bevolking",
    stems=("bevolking", "population", "tf_soc_pop_struct"),
    doc="Bevolking per gemeente per jaar, zoals Statbel ze publiceert (rijen per geslacht, leeftijd... "
        "worden opgeteld). Statbels open-databestanden TF_SOC_POP_STRUCT_<jaar> (TXT met '|', zip of XLSX, "
        "heel België) worden gelezen zoals ze gepubliceerd zijn.",
    columns=(
        Column("CD_REFNIS", "code", "NIS-code van de gemeente", aliases=("nis_code", "nis", "refnis", "niscode"),
               pattern=r"^\d{4,5}$"),
        Column("TX_DESCR_NL", "text", "Naam van de gemeente (informatief)", required=False, nullable=True,
               aliases=("gemeente", "naam")),
        Column("CD_YEAR", "int", "Jaar (1 januari); ontbreekt de kolom, dan uit DT_REFDATE of de bestandsnaam "
               "(bv. TF_SOC_POP_STRUCT_2024)", required=False, aliases=("jaar", "year"), **YEAR),
        Column("DT_REFDATE", "date", "Referentiedatum van Statbel (1 januari van het jaar)", required=False,
               nullable=True, aliases=("refdate", "referentiedatum")),
        Column("CD_RGN_REFNIS", "code", "Gewest (02000 Vlaanderen, 03000 Wallonië, 04000 Brussel): rijen buiten "
               "Vlaanderen worden overgeslagen en geteld", required=False, nullable=True,
               aliases=("gewest", "cd_rgn")),
        Column("MS_POPULATION", "int", "Aantal inwoners", aliases=("inwoners", "bevolking", "population"),
               min=0, max=2_000_000),
        SOURCE,
    ),
    known_unused=("TX_DESCR_FR", "TX_DESCR_DE", "TX_DESCR_EN", "CD_DSTR_REFNIS", "TX_ADM_DSTR_DESCR_NL",
                  "TX_ADM_DSTR_DESCR_FR", "CD_PROV_REFNIS", "TX_PROV_DESCR_NL", "TX_PROV_DESCR_FR",
                  "TX_RGN_DESCR_NL", "TX_RGN_DESCR_FR", "CD_SEX", "CD_NATLTY", "TX_NATLTY_NL", "TX_NATLTY_FR",
                  "CD_CIV_STS", "TX_CIV_STS_NL", "TX_CIV_STS_FR", "CD_AGE"),
)

FORMULAS = InputSpec(
    kind="formulas",
    label="formulelijst",
    stems=("formules", "formulas", "ketens"),
    doc="Formules die ketens (filiaalbedrijven) zijn: één formule per rij. Alleen nodig als de levering geen "
        "kolom `filiaal` heeft en niet heel Vlaanderen dekt (anders volgt de regel van 7+ vestigingen).",
    columns=(
        Column("formule", "text", "Naam van de formule, zoals in de kolom `formule` van de verkooppunten",
               aliases=("formulenaam", "keten naam", "formula", "keten")),
    ),
)

SPECS: tuple[InputSpec, ...] = (OUTLETS, AREAS, COUNTING_POINTS, FOOTFALL, POPULATION, FORMULAS)
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


#: Value in a column mapping file that marks an export header as deliberately not read.
IGNORE = "-"


@dataclass(frozen=True)
class ColumnMap:
    """The user's column mapping (``--columns mapping.toml``): export header -> canonical column name.

    Top-level keys apply to every file kind that has that column; a table named after a kind
    (``[verkooppunten]``, ``[bevolking]`` ...) applies to that kind only. The value ``"-"`` marks a
    header as deliberately not read.
    """

    everywhere: dict[str, str] = field(default_factory=dict)
    per_kind: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str = ""

    def for_spec(self, spec: InputSpec) -> dict[str, str]:
        """Return normalized header -> column name (or ``IGNORE``) for one file kind."""
        names = {c.name for c in spec.columns}
        out = {normalize_header(h): c for h, c in self.everywhere.items() if c in names or c == IGNORE}
        out.update({normalize_header(h): c for h, c in self.per_kind.get(spec.kind, {}).items()})
        return out


def load_column_map(path: str | os.PathLike[str]) -> ColumnMap:
    """Read a TOML column mapping file; raise ``ExportError`` naming the line of a wrong entry."""
    import tomllib

    from data_pipelines.errors import ExportError

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExportError(str(path), "het kolommenbestand bestaat niet") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ExportError(path.name, f"geen geldig TOML ({exc})") from None
    by_label = {s.label: s for s in SPECS} | {s.kind: s for s in SPECS}

    def line_of(key: str) -> int | None:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip().startswith((f'"{key}"', f"'{key}'", f"{key} ", f"{key}=")):
                return number
        return None

    def check(key: str, value: object, specs: tuple[InputSpec, ...]) -> str:
        known = {c.name for s in specs for c in s.columns}
        if not isinstance(value, str) or (value != IGNORE and value not in known):
            raise ExportError(path.name, f"'{value}' is geen kolom van de export (kies uit: "
                                         f"{', '.join(sorted(known, key=str.casefold))}, of \"-\" om te negeren)",
                              line=line_of(key), column=key)
        return value

    everywhere: dict[str, str] = {}
    per_kind: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            spec = by_label.get(key)
            if spec is None:
                raise ExportError(path.name, f"onbekende sectie [{key}] (kies uit: "
                                             f"{', '.join(s.label for s in SPECS)})", line=line_of(f"[{key}]"))
            per_kind[spec.kind] = {k: check(k, v, (spec,)) for k, v in value.items()}
        else:
            everywhere[key] = check(key, value, SPECS)
    return ColumnMap(everywhere, per_kind, path.name)


def _similarity(a: str, b: str) -> float:
    import difflib

    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    shared = {w for w in a.split() if len(w) >= 5} & {w for w in b.split() if len(w) >= 5}
    if shared or (min(len(a), len(b)) >= 6 and (a.startswith(b) or b.startswith(a))):
        ratio += 0.15  # one long word in common ("leegstand vanaf" / "leegstand sinds") says a lot
    return ratio


#: How alike (0..1, see ``_similarity``) an unknown header must be to a column name to stop the build.
RESEMBLES = 0.82


def resembling_column(header: str, spec: InputSpec, taken: set[str]) -> str | None:
    """Return the column of ``spec`` (not already in the file) that an unknown ``header`` most resembles."""
    h = normalize_header(header)
    if not h or h in {normalize_header(u) for u in spec.known_unused}:
        return None
    best, score = None, 0.0
    for col in spec.columns:
        if col.name in taken:
            continue
        for name in (col.name, *col.aliases):
            s = _similarity(h, normalize_header(name))
            if s > score:
                best, score = col.name, s
    return best if score >= RESEMBLES else None
