"""Command line: ``python -m data_pipelines demo|build|models`` (the fiche batch is ``python -m dashboard fiches``).

Errors a person can fix (a broken export, too many rejected rows) end with exit code 1 and one line
on stderr; they never show a traceback.
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

import duckdb

from data_pipelines.errors import BuildError, ExportError, single_line
from data_pipelines.settings import SettingError

DISK_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
DISK_FULL_REASON = ("schijf vol (of bestandslimiet bereikt); maak ruimte vrij en bouw opnieuw. "
                    "De vorige database is ongewijzigd")


def _echo(msg: str) -> None:
    print(single_line(msg), file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m data_pipelines", description="Smart Retail ETL")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="schrijf de synthetische demo-export (Locatus-formaat)")
    demo.add_argument("--out", required=True, type=Path, help="doelmap")
    demo.add_argument("--scale", choices=("demo", "flanders", "x4"), default="demo",
                      help="demo: een derde van Vlaanderen (snel); flanders: echte grootteorde (benchmarks); "
                           "x4: vier keer flanders (benchmarks)")
    demo.add_argument("--seed", type=int, default=2025, help="zelfde seed geeft byte-identieke bestanden")
    years = demo.add_mutually_exclusive_group()
    years.add_argument("--until", type=int, metavar="JAAR",
                       help="alleen de jaren tot en met JAAR (een basis voor build --add-year)")
    years.add_argument("--only", type=int, metavar="JAAR",
                       help="alleen de verkooppunten, tellingen en bevolking van JAAR, in bestanden met het jaartal "
                            "in de naam (de levering voor build --add-year)")

    build = sub.add_parser("build", help="valideer een export en bouw de DuckDB-database")
    build.add_argument("--source", required=True, type=Path, help="map met de exportbestanden")
    build.add_argument("--db", required=True, type=Path, help="doelbestand (.duckdb), atomair vervangen")
    build.add_argument("--population", type=Path, action="append",
                       help="bevolkingsbestand van Statbel buiten --source (TXT, zip of XLSX; mag herhaald worden); "
                            "bevolkingsbestanden in --source worden op hun kolommen herkend")
    build.add_argument("--columns", type=Path, metavar="TOML",
                       help="kolommenbestand: kopregel van de export = kolomnaam, voor koppen die niet herkend worden")
    build.add_argument("--formulas", type=Path, metavar="FILE",
                       help="lijst van de formules die ketens zijn (kolom 'formule'), als de levering geen kolom "
                            "'filiaal' heeft en niet heel Vlaanderen dekt")
    build.add_argument("--boundaries", type=Path,
                       help="gemeentegrenzen (GeoPackage, Shapefile of GeoJSON; Lambert 72, Lambert 2008 of WGS84)")
    build.add_argument("--max-rejects", type=float, default=1.0, metavar="PCT",
                       help="maximaal percentage afgekeurde regels per bestand (standaard 1)")
    build.add_argument("--strict", action="store_true",
                       help="geen enkele afgekeurde regel en geen genegeerd bestand toegelaten")
    build.add_argument("--rejects", type=Path, help="CSV-rapport van de afgekeurde regels (standaard naast --db)")
    build.add_argument("--add-year", action="store_true",
                       help="voeg het nieuwe inventarisjaar in --source toe aan de bestaande --db, zonder de vorige "
                            "jaren te herrekenen (zelfde resultaat als een volledige build; zie README)")

    graph = sub.add_parser("models", help="toon de modellen van de build in bouwvolgorde, met hun sleutel")
    graph.add_argument("--dot", action="store_true", help="als Graphviz-graaf (dot -Tsvg)")
    return p


def _run(args: argparse.Namespace) -> int:
    """Run one command; the exceptions a person can fix are turned into messages by :func:`main`."""
    if args.command == "demo":
        from data_pipelines.demo import generate

        counts = generate(args.out, seed=args.seed, scale=args.scale, echo=_echo, until=args.until, only=args.only)
        for name, n in counts.items():
            _echo(f"{name}: {n:,} regels".replace(",", "."))
        _echo(f"demo-export geschreven in {args.out}")
        return 0
    if args.command == "models":
        from data_pipelines import models

        registry = models.registry()
        print(models.graph_dot(registry) if args.dot else "\n".join(models.graph_lines(registry)))
        return 0
    from data_pipelines.load import build

    fraction = 0.0 if args.strict else args.max_rejects / 100
    summary = build(args.source, args.db, population=args.population, max_reject_fraction=fraction,
                    echo=_echo, rejects_report=args.rejects, boundaries=args.boundaries, columns=args.columns,
                    formulas=args.formulas, strict_files=args.strict, add_year=args.add_year)
    for line in summary.lines():
        _echo(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (ExportError, BuildError, SettingError) as exc:
        _echo(f"fout: {exc}")
        return 1
    except KeyboardInterrupt:
        _echo("onderbroken: de vorige database is ongewijzigd")
        return 130
    except OSError as exc:
        if exc.errno in DISK_FULL:
            _echo(f"fout: {exc.filename or 'schijf'}: {DISK_FULL_REASON} ({exc.strerror})")
        else:
            _echo(f"fout: {exc.filename or ''}: {exc.strerror or exc}")
        return 1
    except duckdb.Error as exc:
        # DuckDB reports a full disk (or a file-size limit) as an IOException with the OS message in it.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if any(m in str(exc) for m in ("No space left", "File too large", "Disk quota")):
            _echo(f"fout: {args.db}: {DISK_FULL_REASON} ({first[:200]})")
        else:
            _echo(f"fout: {args.db}: de database kon niet gebouwd worden ({first[:200]}); de vorige is ongewijzigd")
        return 1
    except MemoryError:
        _echo("fout: onvoldoende geheugen; verlaag SMART_RETAIL_ETL_MEMORY of sluit andere programma's. "
              "De vorige database is ongewijzigd")
        return 1
    except Exception as exc:
        _echo(f"fout: interne fout ({type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}); "
              "de vorige database is ongewijzigd. Meld dit met het bestand erbij.")
        return 70
