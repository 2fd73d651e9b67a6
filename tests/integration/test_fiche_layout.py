"""The printed fiche is print-ready: it renders the fiche PDF and checks that no two text boxes overlap and no
text is clipped at the page/box edge (every word lies inside the page's margins, whole), on the hand-made
fixture and on the demo's most crowded fiche (Antwerpen: 1,500 outlets, every profile, many findings).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pdfplumber
import pytest

from dashboard.data.db import Database
from dashboard.fiche.data import load_fiche
from dashboard.fiche.pdf import page_count, render_pdf

MM = 72 / 25.4
#: The page's margins (pt): left/right 11 mm, top 10 mm; the footer sits in the 14 mm bottom margin.
LEFT, RIGHT, TOP, BOTTOM = 11 * MM, 11 * MM, 10 * MM, 4 * MM
#: Glyph boxes of neighbouring words may touch; more than this share of the smaller box is an overlap.
OVERLAP = 0.05
LINK = "https://retail.example.be/gemeente/11002/fiche?gebied=WG1100201&jaar=2025"


def words(pdf: bytes) -> tuple[list[dict], float, float]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        return page.extract_words(keep_blank_chars=False), float(page.width), float(page.height)


def area(box: dict) -> float:
    return (box["x1"] - box["x0"]) * (box["bottom"] - box["top"])


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    """Return the pairs of words whose boxes overlap by more than :data:`OVERLAP` of the smaller one."""
    found = []
    ordered = sorted(boxes, key=lambda w: w["top"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b["top"] >= a["bottom"]:
                break  # sorted by top: no later word reaches up into a
            w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if w <= 0 or h <= 0:
                continue
            smaller = min(area(a), area(b))
            if w * h > OVERLAP * smaller:
                found.append((a["text"], b["text"]))
    return found


def outside(boxes: list[dict], width: float, height: float) -> list[str]:
    """Return the words that run over the page's margins (cut off by the page or pushed out of their box)."""
    tolerance = 0.5
    return [w["text"] for w in boxes if w["x0"] < LEFT - tolerance or w["x1"] > width - RIGHT + tolerance
            or w["top"] < TOP - tolerance or w["bottom"] > height - BOTTOM + tolerance]


def check_print_ready(pdf: bytes) -> str:
    boxes, width, height = words(pdf)
    assert len(boxes) > 150  # the words were found at all
    assert overlaps(boxes) == []
    assert outside(boxes, width, height) == []
    return " ".join(w["text"] for w in boxes)


def test_the_checks_see_an_overlap_and_a_word_off_the_page() -> None:
    # The checks themselves: "ma" drawn over "21" (as the old mini charts did) and a clipped word.
    ma = {"text": "ma", "x0": 100.0, "x1": 108.0, "top": 200.0, "bottom": 206.0}
    hour = {"text": "21", "x0": 104.0, "x1": 111.0, "top": 201.0, "bottom": 207.0}
    line_below = {"text": "di", "x0": 100.0, "x1": 108.0, "top": 207.0, "bottom": 213.0}
    assert overlaps([ma, hour, line_below]) == [("ma", "21")]
    clipped = {"text": "afgebaken", "x0": 540.0, "x1": 590.0, "top": 300.0, "bottom": 306.0}
    assert outside([ma, clipped], 595.28, 841.89) == ["afgebaken"]


def test_the_fixture_fiche_is_print_ready(fixture_db: Path) -> None:
    fiche = load_fiche(Database(fixture_db), "44021")
    text = check_print_ready(render_pdf(fiche, LINK, dt.date(2026, 12, 3)))
    assert "(juridisch afgebakend)" in text or "afgebakend)" in text.split()


def test_the_most_crowded_demo_fiche_is_print_ready(demo_db: Path) -> None:
    fiche = load_fiche(Database(demo_db), "11002")
    assert fiche.area["is_legal_core"] and not fiche.hours.empty and not fiche.days.empty
    text = check_print_ready(render_pdf(fiche, LINK, dt.date(2026, 12, 3)))
    # The identity line that used to be cut off, whole; both footfall profiles with their titles.
    assert "ja (juridisch afgebakend)" in text
    assert "Per uur (gemiddelde per telpunt)" in text and "Per weekdag (gemiddelde per telpunt)" in text
    # The map's legend is set under the map, as text; the synthetic-data label stays on the paper.
    assert "structureel leeg (> 3 jaar)" in text
    assert "Synthetische demodata" in text
    # One date format: dd-mm-jjjj in the footer (the build's day and the day it was made), never ISO.
    assert re.search(r"gebouwd \d{2}-\d{2}-\d{4}\) · fiche gemaakt op 03-12-2026", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    with pdfplumber.open(io.BytesIO(render_pdf(fiche, LINK, dt.date(2026, 12, 3)))) as doc:
        assert {link["uri"] for link in doc.pages[0].hyperlinks} == {LINK}  # the permanent link, clickable


@pytest.mark.parametrize("name", ["Kortrijk <b>*bold*</b> #set page(width: 1cm) $x$ \\ @ref [link]"])
def test_texts_from_an_export_are_printed_as_they_are_never_read_as_markup(fixture_db: Path, name: str) -> None:
    fiche = load_fiche(Database(fixture_db), "44021")
    odd = type(fiche)(**{**fiche.__dict__, "area": {**fiche.area, "name": name}})
    pdf = render_pdf(odd, LINK, dt.date(2026, 12, 3))
    boxes, width, _ = words(pdf)
    assert f"DNA-fiche {name}" in " ".join(w["text"] for w in boxes)
    assert width > 500  # "#set page(width: 1cm)" stayed text


def test_a_fiche_too_long_for_any_type_size_keeps_one_page(fixture_db: Path) -> None:
    fiche = load_fiche(Database(fixture_db), "44021")
    long_note = " ".join(["Peers: een bijzonder lange toelichting."] * 600)
    odd = type(fiche)(**{**fiche.__dict__, "peer_note": long_note})
    pdf = render_pdf(odd, LINK, dt.date(2026, 12, 3))
    assert page_count(pdf) == 1
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1 and "DNA-fiche Centrum Gent" in doc.pages[0].extract_text()
