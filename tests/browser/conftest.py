"""A real app server on a free loopback port and Debian's Chromium driven by Playwright, offline.

Every request to a host other than loopback is counted and refused, so the tests see the app as an
air-gapped lab would. Without Chromium the tests skip with a hint, except under CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO
from tests.devserver import ServerError, serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # Nothing but loopback resolves: the browser is as offline as an air-gapped lab.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
STARTUP_TIMEOUT_S = 90


def _unavailable(reason: str) -> None:
    message = f"{reason}. Install it with: sudo apt-get install -y chromium (and ./dev test installs playwright)"
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start `streamlit run app.py` on a free port, poll its health endpoint, stop it afterwards."""
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with serve(REPO / "app.py", log=ARTIFACTS / "streamlit.log", timeout_s=STARTUP_TIMEOUT_S) as (url, _pid):
            yield url
    except ServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class OfflinePage:
    """A page whose requests beyond loopback are refused and remembered."""

    page: object
    external: list[str] = field(default_factory=list)


def _offline_context(browser: object, **options: object) -> tuple[object, OfflinePage]:
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    result = OfflinePage(context.new_page())

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        host = urlsplit(url).hostname or ""
        if url.startswith(("http://", "https://")) and host not in LOOPBACK:
            result.external.append(url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    context.route("**/*", guard)  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)  # type: ignore[attr-defined]
    return context, result


@pytest.fixture
def offline_page(browser: object, app_url: str) -> Iterator[OfflinePage]:
    """A desktop page, 1280 x 900."""
    context, result = _offline_context(browser, viewport={"width": 1280, "height": 900})
    yield result
    context.close()  # type: ignore[attr-defined]


@pytest.fixture
def phone_page(browser: object, app_url: str) -> Iterator[OfflinePage]:
    """A phone, 390 x 844, with touch."""
    context, result = _offline_context(
        browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    yield result
    context.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session", autouse=True)
def _patient_expect() -> None:
    """The first page of a fresh server compiles the map: give expect() the same 30 s as the page."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=30_000)


AXE_VERSION = "4.14.1"
AXE_CACHE = REPO / ".cache" / "axe-core"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into a cache folder (the test's only download)."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is needed to fetch axe-core")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_CACHE),
                f"axe-core@{AXE_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not script.exists():
            _unavailable(f"npm could not install axe-core: {done.stderr.strip()[:300]}")
    return script.read_text(encoding="utf-8")
