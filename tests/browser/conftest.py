"""Browser fixtures: Debian's chromium through Playwright, and a page that records every problem."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _aborted_favicon(request) -> bool:
    # Chromium fetches the favicon lazily, and MapLibre loads its worker from a local blob: URL; a
    # navigation of the test itself cancels them. Neither is a request to the server that failed.
    aborted = "ERR_ABORTED" in (request.failure or "")
    return aborted and ("/_favicon.ico" in request.url or request.url.startswith("blob:"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-BE", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: None if _aborted_favicon(r) else pg.problems.append(
        f"failed request: {r.url} {r.failure}"))
    pg.on("response", lambda r: pg.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()


