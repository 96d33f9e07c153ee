"""Take the README's screenshots from the running app, so they show what the code does today.

Starts ``streamlit run app.py`` on a free loopback port, drives Debian's Chromium with Playwright
(offline: every non-loopback request is refused) and writes PNGs to docs/screenshots/.

    .venv/bin/python scripts/readme_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.devserver import refuse_web, serve  # noqa: E402  (the same loopback server the tests and benchmarks start)

CHROMIUM = "/usr/bin/chromium"
FEFU_TALKS = "2019-04-25-putin-greets-kim-at-fefu-one-on-one-talk"


def _ready(page: Page) -> None:
    frame = page.frame_locator('iframe[title^="Map"], iframe[title^="Карта"], iframe[title^="방문"]')
    expect(frame.locator(".summit-place, .summit-cluster").first).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=60_000
    )
    page.wait_for_load_state("networkidle")


def _shot(page: Page, url: str, out: Path, action: Callable[[Page], object] | None = None) -> None:
    page.goto(url)
    _ready(page)
    target = action(page) if action else None
    if target is None:
        page.screenshot(path=out)
    else:
        target.screenshot(path=out)  # type: ignore[attr-defined]
    print(f"wrote {out.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with serve(REPO / "app.py") as (url, _pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", refuse_web)
        page = context.new_page()
        _shot(page, f"{url}/?years=2019&day=1&place=fefu_russky", out / "overview.png")
        _shot(page, f"{url}/?years=2001&day=9&place=moscow_kremlin", out / "moscow-2001.png")
        _shot(page, f"{url}/?years=2011,2025", out / "china.png")
        _shot(page, f"{url}/?years=2019,2023&day=1", out / "timeline.png", lambda p: p.locator(".st-key-timeline-box"))
        _shot(
            page,
            f"{url}/?years=2023&cat=gift,talks&who=Sergei+Shoigu",
            out / "filters.png",
            lambda p: p.locator('[data-testid="stExpander"]').first,
        )

        def cite(p: Page) -> object:
            p.get_by_role("button", name="Cite").first.click()
            body = p.get_by_test_id("stPopoverBody")
            expect(body).to_be_visible()
            return body

        _shot(page, f"{url}/?event={FEFU_TALKS}", out / "cite.png", cite)
        _shot(page, f"{url}/?years=2019,2023", out / "compare.png", lambda p: p.locator(".st-key-compare"))
        _shot(page, f"{url}/?years=2019&place=khasan_station&lang=ko", out / "korean.png")
        _shot(page, f"{url}/?years=2019", out / "downloads.png", lambda p: p.locator(".st-key-downloads"))

        def play(p: Page) -> None:
            p.get_by_role("button", name="Play").click()
            expect(p.get_by_role("button", name="Pause")).to_be_visible()
            expect(p.get_by_role("heading", name="Thu 25 Apr 2019")).to_be_visible(timeout=30_000)

        _shot(page, f"{url}/?years=2019&day=0", out / "play.png", play)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone.route("**/*", refuse_web)
        _shot(phone.new_page(), f"{url}/?years=2023&day=1", out / "phone.png")
        browser.close()


if __name__ == "__main__":
    main()
