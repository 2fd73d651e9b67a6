"""Find the files of a delivery by what they hold, not by their names.

Every file in the source folder (at any depth, and inside zip files) is classified by its header:
the file kind whose required columns it fills best (outlets, areas, counting points, footfall,
population, a formula list); boundary files by their format. A file whose header matches no kind is
still read as the kind its name says (``verkooppunten_2024.csv``), so that a broken header stops the
build with the column it lacks. Everything else is listed as ignored, with the reason.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from data_pipelines.errors import ExportError
from data_pipelines.extract.tabular import detect_encoding, match_header, sheet_headers, sniff_delimiter
from data_pipelines.specs import SPECS, ColumnMap, InputSpec

TABULAR = (".csv", ".txt", ".xlsx", ".xlsm")
BOUNDARY = (".gpkg", ".geojson", ".shp")
SHAPEFILE_PARTS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd", ".xml")
SYSTEM_FILES = ("thumbs.db", "desktop.ini")
DOCUMENTATION = re.compile(r"^(leesmij|readme|lisezmoi)", re.I)


@dataclass
class Found:
    """One file of the delivery and what the build does with it."""

    label: str  # as the user knows it: path inside the source folder, "archive.zip/member" inside a zip
    path: Path  # where it is on disk (unpacked zip members live in the work folder)
    kind: str | None = None  # SPECS kind, "boundaries", or None when ignored
    reason: str = ""  # why it is ignored
    sheet: str | None = None  # the XLSX sheet to read
    incidental: bool = False  # a system, documentation or sidecar file: ignored without failing --strict

    @property
    def ignored(self) -> bool:
        """Tell whether the build does not read this file."""
        return self.kind is None


def _text_header(path: Path) -> list[str]:
    encoding = detect_encoding(path, limit=1 << 16)  # the header is all that is read here
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        for _ in range(50):
            line = fh.readline()
            if not line:
                return []
            if line.strip():
                delimiter = sniff_delimiter(line)
                if delimiter is None:
                    return [line.strip()]
                return next(csv.reader([line], delimiter=delimiter))
    return []


def _by_name(path: Path) -> InputSpec | None:
    stem = path.stem.casefold()
    return next((s for s in SPECS if any(stem.startswith(n) for n in s.stems)), None)


def classify(headers: list[tuple[str | None, list[str]]], columns: ColumnMap
             ) -> tuple[InputSpec | None, str | None]:
    """Return the file kind (and sheet) whose required columns a header fills best, or (None, None).

    A kind needs at least two thirds of its required columns (and two of them, unless it has only
    one) to be recognised; among those the most required columns filled wins (so an outlets file,
    which also holds a formula column, is no formula list, even when it lacks a column), then the
    highest share.
    """
    best: tuple[int, float, int] | None = None
    choice: tuple[InputSpec | None, str | None] = (None, None)
    for order, (sheet, cells) in enumerate(headers):
        if not any(cells):
            continue
        for spec in SPECS:
            need = spec.required
            filled = len(need) - len(match_header(cells, spec, columns.for_spec(spec), suggest=False).missing)
            share = filled / len(need)
            if share < 2 / 3 or filled < min(2, len(need)):
                continue
            score = (filled, share, -order)
            if best is None or score > best:
                best, choice = score, (spec, sheet)
    return choice


def _unzip(archive: Path, label: str, target: Path, prefix: str) -> list[tuple[str, Path]]:
    """Unpack every member of a zip (streaming) into ``target``; return (label, path) per member."""
    out = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.is_dir() or "__MACOSX" in info.filename:
                    continue
                # The member keeps its folder, so a shapefile's .shp finds its .dbf next to it.
                parts = [p for p in PurePosixPath(info.filename).parts if p not in ("..", "/", "")]
                dest = target.joinpath(*parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, dest.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                out.append((f"{prefix}{info.filename}", dest))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError) as exc:  # RuntimeError: encrypted
        raise ExportError(label, f"geen leesbaar zip-bestand ({exc})") from None
    except NotImplementedError as exc:  # an unsupported compression method
        raise ExportError(label, f"zip-bestand niet te lezen: {exc}") from None
    return out


def _describe(label: str, path: Path, columns: ColumnMap) -> Found:
    name = PurePosixPath(label).name
    suffix = path.suffix.lower()
    if name.startswith((".", "~$")) or name.casefold() in SYSTEM_FILES:
        return Found(label, path, reason="verborgen of systeembestand", incidental=True)
    if suffix in BOUNDARY:
        return Found(label, path, kind="boundaries")
    if suffix in SHAPEFILE_PARTS:
        return Found(label, path, reason="hoort bij een shapefile (.shp)", incidental=True)
    if suffix not in TABULAR and DOCUMENTATION.match(name):
        return Found(label, path, reason="documentatie, geen tabel", incidental=True)
    if suffix not in TABULAR:
        return Found(label, path, reason=f"geen CSV-, TXT-, XLSX- of zip-bestand ({suffix or 'geen extensie'})")
    headers: list[tuple[str | None, list[str]]]
    try:
        headers = list(sheet_headers(path)) if suffix in (".xlsx", ".xlsm") else [(None, _text_header(path))]
    except Exception:  # an unreadable file: let the extractor report it if its name says what it is
        headers = []
    spec, sheet = classify(headers, columns)
    if spec is None:
        spec = _by_name(path)
        if spec is None and DOCUMENTATION.match(name):
            return Found(label, path, reason="documentatie, geen tabel", incidental=True)
    if spec is None:
        cells = [c.strip() for _, row in headers for c in row if c and c.strip()]
        shown = ", ".join(cells[:8]) + (" ..." if len(cells) > 8 else "")
        return Found(label, path, reason=f"geen bekende kolommen (gevonden: {shown or 'geen kopregel'})")
    return Found(label, path, kind=spec.kind, sheet=sheet)


def discover(source: Path, workdir: Path, columns: ColumnMap | None = None) -> list[Found]:
    """Classify every file of ``source`` (a folder or a zip), unpacking zips into ``workdir``."""
    columns = columns or ColumnMap()
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".zip":  # its members are named as if it were a folder
        pending = _unzip(source, source.name, workdir / "zip000", "")
    elif source.is_file():
        pending = [(source.name, source)]
    else:
        pending = [(p.relative_to(source).as_posix(), p) for p in sorted(source.rglob("*")) if p.is_file()]
    found: list[Found] = []
    unpacked = 0
    while pending:
        label, path = pending.pop(0)
        if path.suffix.lower() == ".zip" and not PurePosixPath(label).name.startswith((".", "~$")):
            unpacked += 1
            pending[:0] = _unzip(path, label, workdir / f"zip{unpacked:03d}", f"{label}/")
            continue
        found.append(_describe(label, path, columns))
    return found
