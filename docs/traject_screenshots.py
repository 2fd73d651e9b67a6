"""Screenshots of one demo trajectory from call to Vitrine (README: "Een traject van oproep tot Vitrine").

Run against a server on the synthetic demo with the demo programme (the README's serve command), as VLAIO::

    python docs/traject_screenshots.py --url http://127.0.0.1:8050 --email vlaio@demo.invalid \
        --password-stdin --trajectory 10 --like 38002 --out assets

Debian's chromium through Playwright, headless, at 1440 px (``--width 390`` to check the phone layout into another
folder). Each PNG is reduced to a 256-colour palette, which keeps text sharp at a fraction of the size.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
#: The most of an element a screenshot shows (px).
MAX_HEIGHT = 1100
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def card_of(page: Page, inner: str) -> Locator:
    """Return the card that holds the element ``inner``."""
    return page.locator(".card", has=page.locator(inner)).last


def shots(call: int, trajectory: int, like: str) -> list[tuple[str, str, str, Callable[[Page], Locator | None]]]:
    """Return (file, address, what to wait for, what to capture: an element, or ``None`` for the window)."""
    return [
        ("traject-1-oproepen.png", "/oproepen", "#calls-list", lambda p: None),
        ("traject-2-selectie.png", f"/oproepen/{call}", "#call-map .js-plotly-plot",
         lambda p: p.locator("#call-overview")),
        ("traject-3-team.png", f"/trajecten/{trajectory}", "#traj-team", lambda p: card_of(p, "#traj-team-box")),
        ("traject-4-coaching.png", f"/trajecten/{trajectory}", "#traj-log-box", lambda p: card_of(p, "#traj-log-box")),
        ("traject-5-evaluatie.png", f"/trajecten/{trajectory}", "#traj-eval-box",
         lambda p: card_of(p, "#traj-eval-box")),
        ("traject-6-vitrine.png", f"/vitrine?kaart={trajectory}", f"#kaart-{trajectory}", lambda p: None),
        ("traject-7-zoals-de-uwe.png", f"/gemeente/{like}", "#like-yours a", lambda p: p.locator("#like-yours")),
    ]


def optimise(path: Path) -> int:
    """Reduce ``path`` to a 256-colour palette PNG; return its size in bytes."""
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    """Log in, walk the trajectory's pages and write the screenshots."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8050")
    ap.add_argument("--email", required=True)
    ap.add_argument("--password-stdin", action="store_true", required=True)
    ap.add_argument("--call", type=int, default=1)
    ap.add_argument("--trajectory", type=int, required=True)
    ap.add_argument("--like", required=True, help="NIS code of a municipality like the trajectory's")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--out", type=Path, default=Path("assets"))
    args = ap.parse_args(argv)
    password = sys.stdin.readline().rstrip("\n")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(locale="nl-BE", viewport={"width": args.width, "height": 900}).new_page()
        page.goto(f"{args.url}/login")
        page.fill("#email", args.email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for name, path, ready, target in shots(args.call, args.trajectory, args.like):
            page.goto(args.url + path)
            page.wait_for_selector(ready, timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(800)  # the map's and the table's last draw
            element = target(page)
            out = args.out / name
            if element is None:
                page.screenshot(path=str(out))
            else:
                # A long element (the call's table of thirty applications) is cut at MAX_HEIGHT: its top tells.
                box = element.bounding_box()
                assert box is not None, f"{name}: nothing to capture on {path}"
                page.screenshot(path=str(out), full_page=True, clip={
                    "x": box["x"], "y": box["y"] + page.evaluate("window.scrollY"), "width": box["width"],
                    "height": min(box["height"], MAX_HEIGHT)})
            print(f"{out}: {optimise(out) / 1000:.0f} kB")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
