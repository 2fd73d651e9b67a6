"""Command line of the app: serve it, or write the DNA fiche PDFs of the main shopping areas.

``python -m dashboard [--host H] [--port N] [--db FILE] [--debug]`` serves the app;
``python -m dashboard fiches …`` writes the fiches; ``python -m dashboard users add|list|disable`` keeps the
accounts, ``users assign|unassign|assignments`` the experts' applications.

Problems a person can fix (a taken port, a bad setting, no database) end with exit code 1 and one Dutch line on
stderr, never a traceback. Production serving is gunicorn (see the Procfile); this is the development server.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.intake.models import ROLES
from data_pipelines.settings import SettingError, setting

if TYPE_CHECKING:
    from dashboard.intake.store import Store


def _echo(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Smart Retail dashboard: serveert het dashboard (ontwikkelserver; productie: gunicorn, zie "
                    "Procfile), of schrijft met 'fiches' de DNA-fiches als PDF.",
        epilog="Opties gaan voor op de omgevingsvariabelen (SMART_RETAIL_HOST, SMART_RETAIL_PORT, SMART_RETAIL_DB, "
               "SMART_RETAIL_DEBUG).",
    )
    p.add_argument("--host", help=f"adres om op te luisteren (standaard {setting('host').env} of "
                                  f"{setting('host').default})")
    p.add_argument("--port", type=int, help=f"poort (standaard {setting('port').env} of {setting('port').default})")
    p.add_argument("--db", type=Path, help=f"de DuckDB-database (standaard {setting('db_path').env} of "
                                           f"{setting('db_path').default})")
    p.add_argument("--debug", action="store_true", default=None,
                   help="Dash-ontwikkelmodus (foutmeldingen in de browser)")
    sub = p.add_subparsers(dest="command", metavar="{fiches,users,privacy,demo-programme}")
    fiches = sub.add_parser("fiches", help="schrijf de DNA-fiche (PDF) van elk hoofdwinkelgebied",
                            description="Schrijft fiche-<nis>-<gebied>-<jaar>.pdf voor elk hoofdwinkelgebied.")
    fiches.add_argument("--db", required=True, type=Path, help="de gebouwde database (.duckdb)")
    fiches.add_argument("--out", required=True, type=Path, help="doelmap voor de PDF's")
    fiches.add_argument("--province", metavar="CODE", help="alleen deze provincie (10000, 20001, 30000, 40000, 70000)")
    fiches.add_argument("--year", type=int, help="inventarisjaar (standaard het laatste)")
    fiches.add_argument("--base-url", help=f"adres van het dashboard voor de permanente link in de voettekst "
                                           f"(standaard {setting('base_url').env} of {setting('base_url').default})")
    _users_parser(sub)
    _privacy_parser(sub)
    _demo_programme_parser(sub)
    return p


def _demo_programme_parser(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo-programme", help="schrijf het synthetische Profploeg-programma in de intake-opslag",
                          description="Schrijft vier synthetische oproepen (2021–2024) met aanvragen, selectie, "
                                      "teams, coaching, evaluaties en Vitrine-kaarten in de intake-opslag "
                                      "(SMART_RETAIL_INTAKE_DB_URL). Weigert een opslag met echte aanvragen; "
                                      "een tweede keer verandert niets.")
    demo.add_argument("--db", type=Path, help=f"de gebouwde database (standaard {setting('db_path').env} of "
                                              f"{setting('db_path').default})")


def _demo_programme(args: argparse.Namespace) -> int:
    from dashboard.config import load_settings
    from dashboard.data.db import Database
    from dashboard.formatting import fmt_number
    from dashboard.intake.store import open_store
    from dashboard.programme.demo import DemoRefusedError, build_demo

    settings = load_settings(db_path=args.db)
    if not settings.db_path.is_file():
        _echo(f"fout: database {settings.db_path} niet gevonden; bouw ze eerst met 'python -m data_pipelines build'")
        return 1
    store = open_store(settings.intake_db_url)
    try:
        summary = build_demo(store, Database(settings.db_path), echo=_echo)
    except DemoRefusedError as exc:
        _echo(f"fout: {exc}")
        return 1
    finally:
        store.engine.dispose()
    state = "geschreven" if summary.written else "was er al (niets gewijzigd)"
    _echo(f"synthetisch demoprogramma {state}: {summary.calls} oproepen, {summary.applications} aanvragen, "
          f"{summary.trajectories} trajecten, {summary.published} Vitrine-kaarten")
    for row in summary.per_call:
        _echo(f"  {row['call']}: {row['selected']} van {row['applications']} geselecteerd, {row['provinces']} "
              f"provincies, budget gepland {fmt_number(row['budget_used'])} van "
              f"{fmt_number(row['budget'])} EUR")
    return 0


def _users_parser(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="accounts van het dashboard: toevoegen, oplijsten, uitschakelen",
                           description="Beheert de accounts in de intake-opslag (SMART_RETAIL_INTAKE_DB_URL).")
    actions = users.add_subparsers(dest="action",
                                   metavar="{add,list,disable,reset-password,assign,unassign,assignments,audit}",
                                   required=True)
    add = actions.add_parser("add", help="maak een account", description="Maakt een account; het wachtwoord "
                             "komt van stdin (--password-stdin), nooit als argument: dat zou in de procestabel staan.")
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", help="naam zoals hij bij elke wijziging staat (standaard: het deel voor de @)")
    add.add_argument("--nis", help="NIS-code van de gemeente (rol gemeente)")
    add.add_argument("--province", metavar="CODE", help="provinciecode (rol provincie)")
    add.add_argument("--password-stdin", action="store_true", required=True,
                     help="lees het wachtwoord (eerste regel) van stdin")
    actions.add_parser("list", help="toon de accounts")
    disable = actions.add_parser("disable", help="schakel een account uit en beëindig zijn sessies")
    disable.add_argument("--email", required=True)
    reset = actions.add_parser("reset-password", help="geef een account een nieuw wachtwoord (van stdin)",
                               description="Zet een nieuw wachtwoord (eerste regel van stdin), heft de vergrendeling "
                                           "op en beëindigt alle sessies van het account.")
    reset.add_argument("--email", required=True)
    reset.add_argument("--password-stdin", action="store_true", required=True,
                       help="lees het nieuwe wachtwoord (eerste regel) van stdin")
    _assign_parsers(actions)
    _audit_parser(actions)


def _assign_parsers(actions: argparse._SubParsersAction) -> None:
    for action, text in (("assign", "wijs een expert toe aan een aanvraag"),
                         ("unassign", "haal een expert van een aanvraag")):
        parser = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ": de expert leest "
                                    "de aanvraag en de winkels van haar gemeente, en schrijft de 5B-notities.")
        parser.add_argument("--email", required=True, help="e-mailadres van het expertaccount")
        parser.add_argument("--aanvraag", required=True, type=int, help="nummer van de aanvraag")
    listing = actions.add_parser("assignments", help="toon welke expert aan welke aanvraag is toegewezen")
    listing.add_argument("--email", help="alleen deze expert")
    listing.add_argument("--aanvraag", type=int, help="alleen deze aanvraag")


def _assignments(store: Store, args: argparse.Namespace) -> None:
    from dashboard.accounts.assignments import assign_expert, list_assignments, unassign_expert

    with store.sessions.begin() as session:
        if args.action == "assign":
            done = assign_expert(session, args.email, args.aanvraag)
            _echo(f"{args.email.strip().lower()} {'toegewezen aan' if done else 'was al toegewezen aan'} aanvraag "
                  f"{args.aanvraag}")
        elif args.action == "unassign":
            done = unassign_expert(session, args.email, args.aanvraag)
            _echo(f"{args.email.strip().lower()} {'gehaald van' if done else 'was niet toegewezen aan'} aanvraag "
                  f"{args.aanvraag}")
        else:
            for a in list_assignments(session, args.email, args.aanvraag):
                print(f"{a.email}\t{a.application_id}\t{a.nis}\t{a.name}")



# -- audit and privacy (issue 14: the audit log, export, erasure, retention) --------------------------------

def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum (JJJJ-MM-DD)") from None


def _audit_parser(actions: argparse._SubParsersAction) -> None:
    audit = actions.add_parser("audit", help="toon het auditlogboek vanaf een dag",
                               description="Toont het auditlogboek (UTC, tab-gescheiden): tijd, aanvraag-id, "
                                           "account, rol, handeling, object, NIS-code, uitkomst, detail.")
    audit.add_argument("--since", required=True, type=_day, metavar="JJJJ-MM-DD", help="eerste dag (UTC)")


def _privacy_parser(sub: argparse._SubParsersAction) -> None:
    privacy = sub.add_parser("privacy", help="persoonsgegevens: bewaartermijn, inzage (export), wissen",
                             description="Persoonsgegevens in de intake-opslag (zie docs/PRIVACY.md).")
    actions = privacy.add_subparsers(dest="action", metavar="{retention,export,erase}", required=True)
    actions.add_parser("retention", help="anonimiseer afgesloten aanvragen ouder dan SMART_RETAIL_RETENTION_YEARS")
    for name, text in (("export", "alles wat over een persoon bewaard is, als JSON op stdout"),
                       ("erase", "wis een persoon uit elke tabel en schakel zijn account uit")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--email", required=True)


def _store_of_settings() -> Store:
    from dashboard.config import load_settings
    from dashboard.intake.store import open_store

    return open_store(load_settings().intake_db_url)


def _audit(args: argparse.Namespace) -> int:
    from dashboard.audit import format_line, since

    store = _store_of_settings()
    try:
        for entry in since(store.engine, args.since):
            print(format_line(entry))
    finally:
        store.engine.dispose()
    return 0


def _privacy(args: argparse.Namespace) -> int:
    import json

    from dashboard import privacy
    from data_pipelines.settings import get

    store = _store_of_settings()
    try:
        if args.action == "retention":
            years = get("retention_years")
            apps, lines = privacy.retention(store, years)
            _echo(f"bewaartermijn {years} jaar: {apps} aanvragen geanonimiseerd, {lines} auditregels zonder naam")
        elif args.action == "export":
            print(json.dumps(privacy.export(store, args.email), ensure_ascii=False, indent=2))
        else:
            done = privacy.erase(store, args.email)
            _echo(f"gewist: {done.values} waarden in {sum(done.rows.values())} rijen"
                  + ("; account uitgeschakeld" if done.account_disabled else ""))
    except privacy.PrivacyError as exc:
        _echo(f"fout: {exc}")
        return 1
    finally:
        store.engine.dispose()
    return 0


def _users(args: argparse.Namespace) -> int:
    from dashboard.accounts.users import AccountError, add_user, disable_user, list_users, reset_password
    from dashboard.config import load_settings
    from dashboard.intake.store import NotFoundError, open_store

    store = open_store(load_settings().intake_db_url)
    try:
        if args.action in ("assign", "unassign", "assignments"):
            _assignments(store, args)
        elif args.action == "add":
            password = sys.stdin.readline().rstrip("\r\n")
            account = add_user(store, args.email, password, args.role, name=args.name, nis=args.nis,
                               province=args.province)
            _echo(f"account {account.email} ({account.role}) gemaakt")
        elif args.action == "reset-password":
            reset_password(store, args.email, sys.stdin.readline().rstrip("\r\n"))
            _echo(f"nieuw wachtwoord voor {args.email.strip().lower()}; zijn sessies zijn beëindigd")
        elif args.action == "disable":
            disable_user(store, args.email)
            _echo(f"account {args.email.strip().lower()} uitgeschakeld")
        else:
            for u in list_users(store):
                binding = u.nis_code or u.province_code or "-"
                state = "actief" if u.active else "uitgeschakeld"
                print(f"{u.email}\t{u.role}\t{binding}\t{state}\t{u.name}")
    except (AccountError, NotFoundError) as exc:
        _echo(f"fout: {exc}")
        return 1
    finally:
        store.engine.dispose()
    return 0


def port_taken(host: str, port: int) -> bool:
    """Return whether ``port`` on ``host`` is already bound by another process."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The same option werkzeug sets, so a port in TIME_WAIT after a restart does not count as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def _taken_message(port: int) -> str:
    return (f"fout: poort {port} is al in gebruik (draait het dashboard al?); kies een andere poort met --port "
            f"of de omgevingsvariabele SMART_RETAIL_PORT")


def _serve(args: argparse.Namespace) -> int:
    from dashboard.config import load_settings

    settings = load_settings(host=args.host, port=args.port, db_path=args.db, debug=args.debug)
    if not 1 <= settings.port <= 65535:
        _echo(f"fout: --port {settings.port}: verwacht een poortnummer van 1 tot 65535")
        return 1
    try:
        if port_taken(settings.host, settings.port):
            _echo(_taken_message(settings.port))
            return 1
    except OSError as exc:
        _echo(f"fout: kan niet luisteren op {settings.host}:{settings.port} ({exc.strerror}); kies een ander adres "
              "met --host of SMART_RETAIL_HOST")
        return 1
    from dashboard import view_cache, warm
    from dashboard.app import create_app

    app = create_app(settings)
    warm.start(view_cache.share(app.server))
    if not settings.db_path.is_file():
        _echo(f"let op: database {settings.db_path} niet gevonden; bouw ze met 'python -m data_pipelines build' "
              "(het dashboard toont tot dan hoe)")
    _demo_accounts(app)
    _echo(f"Smart Retail dashboard: http://{settings.host}:{settings.port}/  (database {settings.db_path})")
    app.run(host=settings.host, port=settings.port, debug=settings.debug, dev_tools_disable_version_check=True)
    return 0


def _demo_accounts(app: object) -> None:
    """On the synthetic demo, make one account per role and print how to log in; a real build gets none."""
    import duckdb

    from dashboard.accounts.demo import ensure_demo_accounts
    from dashboard.data import queries
    from dashboard.data.db import DatabaseMissingError

    server = app.server  # type: ignore[attr-defined]
    try:
        info = queries.build_info(server.extensions["smart_retail_db"])
    except (DatabaseMissingError, duckdb.Error):
        return
    if info.get("is_synthetic") != "true":
        return
    accounts = ensure_demo_accounts(server.extensions["smart_retail_intake"], info)
    _echo("Demo-accounts (alleen bij de synthetische demo; aanmelden op /login):")
    for a in accounts:
        secret = a.password or "(bestond al; nieuw wachtwoord: python -m dashboard users reset-password)"
        _echo(f"  {a.role:<10} {a.email:<34} {secret}")


def _fiches(args: argparse.Namespace) -> int:
    from dashboard.fiche.batch import FicheBatchError, write_fiches

    try:
        written = write_fiches(args.db, args.out, province=args.province, year=args.year, base_url=args.base_url,
                               echo=_echo)
    except FicheBatchError as exc:
        _echo(f"fout: {exc}")
        return 1
    _echo(f"{written} fiches geschreven in {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "users" and args.action == "audit":
            return _audit(args)
        if args.command == "privacy":
            return _privacy(args)
        if args.command == "users":
            return _users(args)
        if args.command == "demo-programme":
            return _demo_programme(args)
        return _fiches(args) if args.command == "fiches" else _serve(args)
    except SettingError as exc:
        _echo(f"fout: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
