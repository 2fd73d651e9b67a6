"""Accounts over real HTTP on gunicorn: the CLI makes them, a login works, another's dossier is a 404."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from dashboard.intake.store import open_store
from tests.accounts import PASSWORD
from tests.conftest import ROOT, Server, call_cli

pytestmark = pytest.mark.server


def users(*args: str, url: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``dashboard users …`` on the intake store at ``url`` (in this process: the CLI's own ``main``)."""
    return call_cli("users", *args, module="dashboard", env={"SMART_RETAIL_INTAKE_DB_URL": url},
                    stdin=password or "")


def test_python_m_dashboard_users_reads_the_password_from_stdin_and_never_prints_it(tmp_path: Path) -> None:
    # The interpreter-level path an administrator types; the other tests call the same ``main`` in-process.
    url = f"sqlite:///{tmp_path / 'intake.sqlite3'}"
    done = subprocess.run([sys.executable, "-m", "dashboard", "users", "add", "--email", "an@gent.be", "--role",
                           "vlaio", "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "SMART_RETAIL_INTAKE_DB_URL": url}, timeout=120)
    assert done.returncode == 0 and "an@gent.be (vlaio)" in done.stderr, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    assert users("list", url=url).stdout.split("\t")[:2] == ["an@gent.be", "vlaio"]


@pytest.fixture(scope="module")
def server(fixture_db: Path) -> Iterator[Server]:
    server = Server(fixture_db)
    yield server
    server.stop()


def test_the_cli_adds_lists_and_disables_accounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.sqlite3'}"
    done = users("add", "--email", "An.Peeters@Gent.be", "--role", "gemeente", "--nis", "44021", "--name",
                 "An Peeters", "--password-stdin", url=url, password=PASSWORD + "\n")
    assert done.returncode == 0 and "an.peeters@gent.be (gemeente)" in done.stderr, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    again = users("add", "--email", "an.peeters@gent.be", "--role", "vlaio", "--password-stdin", url=url,
                  password=PASSWORD + "\n")
    assert again.returncode == 1 and again.stderr.startswith("fout: Er bestaat al een account")
    bad = users("add", "--email", "p@x.be", "--role", "provincie", "--password-stdin", url=url, password=PASSWORD)
    assert bad.returncode == 1 and "--province" in bad.stderr and "Traceback" not in bad.stderr
    short = users("add", "--email", "k@x.be", "--role", "vlaio", "--password-stdin", url=url, password="kort\n")
    assert short.returncode == 1 and "minstens 12" in short.stderr
    listed = users("list", url=url)
    assert listed.stdout.splitlines() == ["an.peeters@gent.be\tgemeente\t44021\tactief\tAn Peeters"]
    assert users("disable", "--email", "AN.PEETERS@gent.be", url=url).returncode == 0
    assert "uitgeschakeld" in users("list", url=url).stdout
    assert users("disable", "--email", "niemand@x.be", url=url).returncode == 1
    reset = users("reset-password", "--email", "an.peeters@gent.be", "--password-stdin", url=url,
                  password="een ander wachtwoord\n")
    assert reset.returncode == 0 and "nieuw wachtwoord" in reset.stderr and "een ander" not in reset.stderr
    assert users("reset-password", "--email", "an.peeters@gent.be", "--password-stdin", url=url,
                 password="kort\n").returncode == 1
    store = open_store(url)
    assert PASSWORD not in store.engine.url.render_as_string() and "argon2id" in \
        store.engine.connect().exec_driver_sql("SELECT password_hash FROM app_user").scalar()
    store.engine.dispose()


def test_login_over_http_then_another_municipality_s_dossier_is_a_404(server: Server) -> None:
    url = f"sqlite:///{server.intake_db}"
    for email, nis in (("gent@test.example.be", "44021"), ("antwerpen@test.example.be", "11002")):
        assert users("add", "--email", email, "--role", "gemeente", "--nis", nis, "--password-stdin", url=url,
                     password=PASSWORD + "\n").returncode == 0
    store = open_store(url)
    theirs = store.create_draft("11002", "Antwerpen", {"contact_name": "Contact Antwerpen"}).id
    ours = store.create_draft("44021", "Gent", {"contact_name": "Contact Gent"}).id
    store.engine.dispose()

    anonymous = requests.get(f"{server.url}/gemeente/11002/intake.pdf?aanvraag={theirs}", timeout=30,
                             allow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["Location"].startswith("/login?volgende=")
    gent = requests.Session()
    gent.headers["Origin"] = server.url
    wrong = gent.post(server.url + "/login", data={"email": "gent@test.example.be", "password": "fout"}, timeout=30)
    assert wrong.status_code == 401
    r = gent.post(server.url + "/login", data={"email": "gent@test.example.be", "password": PASSWORD,
                                               "volgende": "/intake"}, timeout=30, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/intake"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    own = gent.get(f"{server.url}/gemeente/44021/intake.pdf?aanvraag={ours}", timeout=60)
    assert own.status_code == 200 and own.headers["Content-Type"] == "application/pdf"
    assert own.headers["Cache-Control"] == "no-store"
    forbidden = gent.get(f"{server.url}/gemeente/11002/intake.pdf?aanvraag={theirs}", timeout=30)
    nobody = gent.get(f"{server.url}/gemeente/11002/intake.pdf?aanvraag=999999", timeout=30)
    assert forbidden.status_code == nobody.status_code == 404
    assert forbidden.text.replace(str(theirs), "N") == nobody.text.replace("999999", "N")
    assert "Contact Antwerpen" not in forbidden.text
    gent.post(server.url + "/logout", timeout=30)
    again = gent.get(f"{server.url}/gemeente/44021/intake.pdf?aanvraag={ours}", timeout=30, allow_redirects=False)
    assert again.status_code == 303


def test_the_cli_assigns_and_unassigns_an_expert(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.sqlite3'}"
    for email, role, extra in (("expert@profploeg.be", "expert", ()), ("gent@x.be", "gemeente", ("--nis", "44021"))):
        assert users("add", "--email", email, "--role", role, *extra, "--password-stdin", url=url,
                     password=PASSWORD + "\n").returncode == 0
    store = open_store(url)
    app_id = store.create_draft("44021", "Gent", {"contact_name": "Contact Gent"}).id
    store.engine.dispose()
    done = users("assign", "--email", "Expert@profploeg.be", "--aanvraag", str(app_id), url=url)
    assert done.returncode == 0 and f"toegewezen aan aanvraag {app_id}" in done.stderr, done.stderr
    assert "was al toegewezen" in users("assign", "--email", "expert@profploeg.be", "--aanvraag", str(app_id),
                                        url=url).stderr
    listed = users("assignments", url=url).stdout.splitlines()
    assert listed == [f"expert@profploeg.be\t{app_id}\t44021\texpert"]
    for args, reason in ((("--email", "gent@x.be", "--aanvraag", str(app_id)), "alleen een expert"),
                         (("--email", "expert@profploeg.be", "--aanvraag", "999"), "geen aanvraag met nummer 999"),
                         (("--email", "niemand@x.be", "--aanvraag", str(app_id)), "geen account")):
        refused = users("assign", *args, url=url)
        assert refused.returncode == 1 and reason in refused.stderr and "Traceback" not in refused.stderr
    assert users("unassign", "--email", "expert@profploeg.be", "--aanvraag", str(app_id), url=url).returncode == 0
    assert users("assignments", url=url).stdout == ""
