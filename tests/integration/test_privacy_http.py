"""Privacy and hardening over real HTTP on gunicorn: request ids, no-store, PDF links on SMART_RETAIL_BASE_URL
whatever the Host header says, /health and the pages without server details, one 404 text, HSTS behind TLS;
and the audit and privacy commands as an administrator runs them."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import requests

from dashboard.intake.store import open_store
from tests.accounts import http_session, server_account
from tests.conftest import ROOT, Server

pytestmark = pytest.mark.server

BASE = "https://smartretail.example.be"
EVIL = "evil.example"


def dashboard(*args: str, url: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m dashboard …`` on the intake store at ``url``."""
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "SMART_RETAIL_INTAKE_DB_URL": url, **(env or {})}, timeout=120)


@pytest.fixture(scope="module")
def server(fixture_db: Path) -> Iterator[Server]:
    server = Server(fixture_db, env={"SMART_RETAIL_BASE_URL": BASE})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def apps(server: Server) -> dict[str, int]:
    """Gent's and Antwerpen's applications in the server's store."""
    store = open_store(f"sqlite:///{server.intake_db}")
    ids = {"44021": store.create_draft("44021", "Gent", {"contact_name": "An Peeters", "zone_area_ids": ["WG1"]}).id,
           "11002": store.create_draft("11002", "Antwerpen", {"contact_name": "Jan Claes"}).id}
    store.engine.dispose()
    return ids


@pytest.fixture(scope="module")
def gent(server: Server) -> requests.Session:
    return http_session(server.url, server.intake_db, "gemeente", "44021")


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _pdf_links(pdf: bytes) -> list[str]:
    """Return the targets of the PDF's link annotations (what a click opens)."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [a.get_object()["/A"]["/URI"] for p in pages for a in p.get("/Annots", [])
            if "/URI" in a.get_object().get("/A", {})]


def test_every_answer_names_its_request_id_and_the_log_line_carries_the_same(server: Server) -> None:
    ids = [requests.get(server.url + path, timeout=30).headers["X-Request-ID"] for path in ("/health", "/login")]
    assert len(set(ids)) == 2 and all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
    log = server.log()
    for request_id in ids:
        (line,) = [json.loads(x) for x in log.splitlines() if f'"id": "{request_id}"' in x]
        assert line["event"] == "request"


def test_pdf_links_are_on_the_base_url_whatever_host_the_request_names(server: Server, gent: requests.Session,
                                                                      apps: dict[str, int]) -> None:
    # requests picks cookies by the Host header: hand it the session cookie, as a browser fooled by DNS would send.
    cookie = f"smart_retail_sessie={gent.cookies['smart_retail_sessie']}"
    fiche = gent.get(server.url + "/gemeente/44021/fiche.pdf", headers={"Host": EVIL, "Cookie": cookie}, timeout=120)
    assert fiche.status_code == 200, fiche.text[:200]
    text, links = _pdf_text(fiche.content), _pdf_links(fiche.content)
    # One link (two annotations where it wraps onto a second line).
    assert len(set(links)) == 1 and links[0].startswith(f"{BASE}/gemeente/44021/fiche?gebied=")
    assert EVIL not in text and "127.0.0.1" not in text
    dossier = gent.get(f"{server.url}/gemeente/44021/intake.pdf?aanvraag={apps['44021']}",
                       headers={"Host": EVIL, "Cookie": cookie}, timeout=120)
    assert dossier.status_code == 200, dossier.text[:200]
    text, links = _pdf_text(dossier.content), _pdf_links(dossier.content)
    assert f"{BASE}/gemeente/44021/intake?aanvraag={apps['44021']}" in links
    assert links and all(link.startswith(BASE + "/") for link in links) and EVIL not in text
    assert dossier.headers["Cache-Control"] == "no-store"


def test_intake_pages_dossiers_and_the_login_are_never_cached(server: Server, gent: requests.Session,
                                                              apps: dict[str, int]) -> None:
    for path in ("/gemeente/44021/intake", f"/gemeente/44021/intake?aanvraag={apps['44021']}", "/intake", "/login"):
        r = gent.get(server.url + path, timeout=60)
        assert (r.status_code, r.headers.get("Cache-Control")) == (200, "no-store"), path


def test_not_yours_and_nonexistent_read_alike(server: Server, gent: requests.Session, apps: dict[str, int]) -> None:
    theirs = gent.get(f"{server.url}/gemeente/11002/intake.pdf?aanvraag={apps['11002']}", timeout=60)
    nobody = gent.get(f"{server.url}/gemeente/11002/intake.pdf?aanvraag=987654", timeout=60)
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.text.replace(str(apps["11002"]), "N") == nobody.text.replace("987654", "N")
    assert theirs.headers["Content-Length"] == str(int(nobody.headers["Content-Length"]) - 6 + len(
        str(apps["11002"])))


def test_health_and_pages_tell_no_server_paths_nor_the_python_version(server: Server, fixture_db: Path,
                                                                     gent: requests.Session) -> None:
    health = requests.get(server.url + "/health", timeout=30)
    assert health.status_code == 200
    assert str(fixture_db.parent) not in health.text and str(ROOT) not in health.text
    page = gent.get(server.url + "/gemeente/44021", timeout=60)
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page.text,
                                  re.S).group(1))
    assert "dash_version" in config and "python_version" not in config
    assert sys.version not in page.text


def test_the_audit_command_prints_what_the_server_logged(server: Server, gent: requests.Session,
                                                         apps: dict[str, int]) -> None:
    r = gent.get(f"{server.url}/gemeente/44021/intake.pdf?aanvraag={apps['44021']}", timeout=120)
    refused = gent.get(f"{server.url}/gemeente/11002/intake.pdf?aanvraag={apps['11002']}", timeout=60)
    done = dashboard("users", "audit", "--since", "2000-01-01", url=f"sqlite:///{server.intake_db}")
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    email = server_account(server.intake_db, "gemeente", "44021")
    mine = {(row[4], row[5], row[7]) for row in rows if row[1] == r.headers["X-Request-ID"]}
    assert ("download", f"dossier:{apps['44021']}", "ok") in mine
    assert [row[2:8] for row in rows if row[1] == refused.headers["X-Request-ID"]] == [
        [email, "gemeente", "lezen", f"aanvraag:{apps['11002']}", "11002", "geweigerd"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row[0]) for row in rows)
    assert "An Peeters" not in done.stdout  # the log names accounts, never what an application holds


def test_privacy_commands_export_erase_and_retention(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.sqlite3'}"
    store = open_store(url)
    store.create_draft("44021", "An Peeters", {"contact_name": "An Peeters", "email": "an@gent.example.be",
                                               "phone": "09 266 00 00"})
    store.engine.dispose()
    exported = dashboard("privacy", "export", "--email", "AN@gent.example.be", url=url)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["aanvragen"][0]["phone"] == "09 266 00 00"
    erased = dashboard("privacy", "erase", "--email", "an@gent.example.be", url=url)
    assert erased.returncode == 0 and erased.stderr.startswith("gewist: "), erased.stderr
    again = dashboard("privacy", "erase", "--email", "an@gent.example.be", url=url)
    assert again.returncode == 1 and again.stderr.startswith("fout: De opslag kent geen") and "Traceback" not in \
        again.stderr
    kept = dashboard("privacy", "retention", url=url, env={"SMART_RETAIL_RETENTION_YEARS": "5"})
    assert kept.returncode == 0 and "bewaartermijn 5 jaar: 0 aanvragen" in kept.stderr
    bad = dashboard("privacy", "retention", url=url, env={"SMART_RETAIL_RETENTION_YEARS": "nul"})
    assert bad.returncode == 1 and "SMART_RETAIL_RETENTION_YEARS" in bad.stderr


@pytest.mark.parametrize("https", ["0", "1"])
def test_hsts_only_behind_tls(fixture_db: Path, https: str) -> None:
    server = Server(fixture_db, env={"SMART_RETAIL_HTTPS": https})
    try:
        r = requests.get(server.url + "/health", timeout=30)
    finally:
        server.stop()
    assert ("Strict-Transport-Security" in r.headers) == (https == "1")
    if https == "1":
        assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
