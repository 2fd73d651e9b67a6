"""Browser fixtures: Debian's chromium through Playwright, and a page that records every problem."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.accounts import PASSWORD, server_account

if TYPE_CHECKING:
    from tests.conftest import Server

#: axe-core as the axe-playwright-python wheel ships it (never fetched), and the WCAG 2.1 A/AA rules it runs.
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _cancelled_by_the_test(request) -> bool:
    # Chromium fetches the favicon lazily, and MapLibre loads its worker from a local blob: URL; a
    # navigation of the test itself cancels them. Neither is a request to the server that failed.
    aborted = "ERR_ABORTED" in (request.failure or "")
    # Dash loads a component's code in async chunks; a navigation of the test cancels one still on its way. A
    # server error still counts: it is an HTTP status, recorded by the response handler.
    # A callback still on its way when the test reloads or navigates is cancelled by the browser too (Dash never
    # aborts one itself); a server that drops it answers ERR_EMPTY_RESPONSE or a reset instead, which counts.
    path = request.url.split("?")[0]
    return aborted and ("/_favicon.ico" in request.url or request.url.startswith("blob:")
                        or (path.endswith(".js") and "/_dash-component-suites/" in request.url)
                        or path.endswith("/_dash-update-component"))


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
    pg.on("requestfailed", lambda r: None if _cancelled_by_the_test(r) else pg.problems.append(
        f"failed request: {r.url} {r.failure}"))
    pg.on("response", lambda r: pg.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()


def log_in(page: Page, server: Server, role: str, nis: str | None = None, name: str | None = None,
           target: str = "/") -> None:
    """Log in through the form, as a person does, and land on ``target``."""
    email = server_account(server.intake_db, role, nis, name=name)
    page.goto(f"{server.url}/login?{urlencode({'volgende': target})}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + target)


def serious_violations(page: Page) -> list[str]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; return its serious and critical findings, one line each."""
    page.evaluate(AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
