"""weasyprint never fetches: no file and no URL that text in a PDF names is read, only inline ``data:``.

A loopback HTTP server counts every request it gets; a stylesheet on disk would make the page 100 mm wide if it
were read. Each test shows first that plain weasyprint *does* fetch the same document, so it could fail.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import weasyprint

from dashboard.data.db import Database
from dashboard.intake.dossier import load_dossier, render_dossier
from dashboard.intake.store import open_store
from dashboard.pdfdoc import html_document

#: An inline image: the one kind of resource the PDFs may use.
DOT = "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2210%22 height=%2210%22/%3E"
A4_WIDTH_PX = 794  # weasyprint measures pages in CSS pixels (96 a inch)
#: The page width the stylesheet on disk asks for (100 mm), were it read.
FILE_WIDTH_PX = 378


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records the path of every request; yields (its URL, the paths)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"p { color: red }")

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def _hostile(url: str, css_file: Path) -> str:
    return (f'<link rel="stylesheet" href="{css_file.as_uri()}"><link rel="stylesheet" href="{url}/sheet.css">'
            f'<style>p {{ background: url({url}/bg.png) }} @import url({url}/import.css);</style>'
            f'<p>tekst<img src="file:///etc/passwd"><img src="{url}/img.png"></p>'
            f'<img src="{DOT}">')


def test_no_file_and_no_url_is_fetched_but_inline_data_is(listener: tuple[str, list[str]], tmp_path: Path) -> None:
    url, hits = listener
    sheet = tmp_path / "small.css"
    sheet.write_text("@page { size: 100mm 100mm }")
    plain = weasyprint.HTML(string=_hostile(url, sheet)).render()
    assert hits and round(plain.pages[0].width) == FILE_WIDTH_PX  # the default fetcher reads both
    hits.clear()
    ours = html_document(_hostile(url, sheet)).render()
    assert hits == []
    assert round(ours.pages[0].width) == A4_WIDTH_PX  # the file's stylesheet was not read either


def test_a_dossier_with_hostile_answers_fetches_nothing(listener: tuple[str, list[str]], fixture_db: Path,
                                                        tmp_path: Path) -> None:
    url, hits = listener
    store = open_store(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    answers = {"contact_name": "An Peeters", "zone_area_ids": ["WG1"],
               "challenge": f'<img src="file:///etc/passwd"><img src="{url}/img.png">',
               "expectations": f"<style>@import url({url}/x.css);</style>",
               "went_well": f'<div style="background: url({url}/bg.png)">x</div>'}
    app = store.create_draft("44021", "An Peeters", answers)
    dossier = load_dossier(Database(fixture_db), store, store.get(app.id), "https://sr.example.be", "Gent",
                           dt.date(2026, 12, 3))
    pdf = render_dossier(dossier)
    store.engine.dispose()
    assert hits == []
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "file:///etc/passwd" in " ".join(text.split())  # printed as the text it is
    assert "root:x:0:0" not in text
