"""The DNA fiche on the hand-made fixture: its figures, the one-page A4 PDF, the `fiches` command, HTTP."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import requests

from dashboard.data.db import Database
from dashboard.fiche.data import FicheNotFoundError, dna_rows, load_fiche
from dashboard.fiche.pdf import render_pdf
from dashboard.links import base_url
from tests.accounts import http_session
from tests.conftest import Server, run_cli

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def gent_pdf(fixture_db: Path) -> bytes:
    fiche = load_fiche(Database(fixture_db), "44021")
    return render_pdf(fiche, "http://example.test/gemeente/44021/fiche?gebied=WG1&jaar=2025", dt.date(2026, 11, 30))


def pdf_text(pdf: bytes) -> str:
    return " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_fiche_figures_of_the_fixture_area(fixture_db: Path) -> None:
    # WG1 in 2025: O1 (DAG01, chain), O2 (MOD01), O3 (MOD05, chain), O4 (leisure); no vacant unit inside.
    fiche = load_fiche(Database(fixture_db), "44021")
    assert (fiche.area["area_id"], fiche.area["name"], fiche.year) == ("WG1", "Centrum Gent", 2025)
    rows = {r["column"]: r for r in dna_rows(fiche)}
    assert rows["outlets_total"]["texts"][-1] == "4"
    assert rows["retail_outlets"]["texts"][-1] == "3"
    assert rows["chain_share_count_pct"]["texts"][-1] == "66,7 %"
    assert rows["independent_outlets"]["texts"][-1] == "1"
    assert rows["avg_wvo_per_store_m2"]["texts"][-1] == "433 m²"  # (1000 + 100 + 200) / 3
    assert rows["footfall_avg_weekly_per_point"]["texts"][-1] == "2.100"  # 300 a day x 7
    assert fiche.vacant_by_size.iloc[-1]["vacant"] == 0
    assert fiche.findings == []  # the only hoofdwinkelgebied: no peers, so no peer rule may fire


@pytest.mark.parametrize(("nis", "area"), [("99999", None), ("44021", "NOPE"), ("41002", None)])
def test_unknown_municipality_or_area_is_a_dutch_not_found(fixture_db: Path, nis: str, area: str | None) -> None:
    with pytest.raises(FicheNotFoundError, match="geen"):
        load_fiche(Database(fixture_db), nis, area)


def test_pdf_is_one_a4_page_with_the_name_and_key_figures(gent_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(gent_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) < 1 and abs(float(box.height) - A4[1]) < 1
    text = pdf_text(gent_pdf)
    for expected in ("DNA-fiche Centrum Gent", "66,7 %", "2.100", "hoofdwinkelgebied", "30-11-2026",
                     "Groeipotentieel", "Geen peers"):
        assert expected in text, expected
    # the footer may break the long link over two lines
    assert "http://example.test/gemeente/44021/fiche?gebied=WG1&jaar=2025" in text.replace(" ", "")
    assert "Synthetische demodata" not in text  # the fixture is no demo export


def test_pdf_renders_to_an_image(gent_pdf: bytes) -> None:
    page = pypdfium2.PdfDocument(gent_pdf)[0]
    image = page.render(scale=1).to_pil()
    assert image.size == (596, 842)
    assert image.convert("L").getextrema()[0] < 128  # something dark was drawn: text and charts


def test_fiches_command_writes_one_pdf_per_main_area(fixture_db: Path, tmp_path: Path) -> None:
    done = run_cli("fiches", "--db", str(fixture_db), "--out", str(tmp_path / "out"), "--province", "40000",
                   module="dashboard")
    assert done.returncode == 0, done.stderr
    assert "[  1/1] Gent – Centrum Gent: fiche-44021-WG1-2025.pdf" in done.stderr
    pdf = (tmp_path / "out" / "fiche-44021-WG1-2025.pdf").read_bytes()
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    assert list((tmp_path / "out").iterdir()) == [tmp_path / "out" / "fiche-44021-WG1-2025.pdf"]


@pytest.mark.parametrize(("args", "message"), [
    (["--province", "12345"], "fout: onbekende provinciecode '12345'"),
    (["--province", "70000"], "fout: geen hoofdwinkelgebieden in de database voor provincie 70000"),
])
def test_fiches_command_says_why_it_stops(fixture_db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    done = run_cli("fiches", "--db", str(fixture_db), "--out", str(tmp_path), *args, module="dashboard")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(message)


def test_fiches_command_without_database(tmp_path: Path) -> None:
    done = run_cli("fiches", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path), module="dashboard")
    assert done.returncode == 1 and "niet gevonden" in done.stderr and "Traceback" not in done.stderr


def test_pdf_route_over_http(demo_server: Server) -> None:
    anonymous = requests.get(demo_server.url + "/gemeente/44021/fiche.pdf?gebied=WG4402101", timeout=30,
                             allow_redirects=False)
    assert anonymous.status_code == 303  # the fiche shows the area's outlets: its municipality's own account
    gent = http_session(demo_server.url, demo_server.intake_db, "gemeente", "44021")
    assert gent.get(demo_server.url + "/gemeente/11002/fiche.pdf", timeout=30).status_code == 403
    r = gent.get(demo_server.url + "/gemeente/44021/fiche.pdf?gebied=WG4402101", timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert 'filename="fiche-44021-WG4402101-' in r.headers["Content-Disposition"]
    text = pdf_text(r.content)
    assert "DNA-fiche Centrum Gent" in text and "Synthetische demodata" in text
    # The permanent link is on SMART_RETAIL_BASE_URL (its default here), not on the address the request used.
    assert f"{base_url()}/gemeente/44021/fiche?gebied=WG4402101" in text.replace(" ", "")
    for url, reason in (("/gemeente/99999/fiche.pdf", "NIS-code '99999'"),
                        ("/gemeente/44021/fiche.pdf?gebied=WG1100201", "'WG1100201' ligt niet in gemeente 44021")):
        r = gent.get(demo_server.url + url, timeout=30)
        assert r.status_code == 404 and reason in r.text and "Traceback" not in r.text
