"""In Chromium: first paint, a slider key and a year click until the map changes, a marker click until
the details show, and the bytes a move costs; every time taken inside the browser (stopwatch.js)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path

from benchmarks import targets
from benchmarks.common import APP, BARE, CHROMIUM, MAP_FRAME, Figure, median_ms
from components.dataset import Dataset, load_dataset, query, resolve_data_dir
from components.view import all_years
from tests.devserver import refuse_web, serve

# streamlit-folium keeps the layers' code it last drew here; it changes the moment new layers are drawn.
MARK_LAYERS = "() => { window.__layers = window.__GLOBAL_DATA__.last_feature_group; }"
LAYERS_CHANGED = "() => window.__GLOBAL_DATA__.last_feature_group !== window.__layers"


def _map_frame(page):  # type: ignore[no-untyped-def]
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def _idle(page) -> None:  # type: ignore[no-untyped-def]
    """No script runs and none is due (stopwatch.js: a value the map sent has had its run)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("() => window.__stopwatch.settled()", timeout=15_000)
    except PlaywrightTimeout:
        # A value Streamlit found unchanged starts no run: then no script running is as settled as it gets.
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)


# Timestamps are taken in the browser (stopwatch.js), so Playwright's round trips never count.
STOPWATCH = Path(__file__).with_name("stopwatch.js")
LAYERS_IN = "() => window.__stopwatch.layers.length > 0"


def _new_context(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", refuse_web)
    context.add_init_script(path=str(STOPWATCH))
    return context


def _first_paint(browser, url: str) -> float:  # type: ignore[no-untyped-def]
    """From the start of navigation to the first place marker in the map frame."""
    context = _new_context(browser)
    page = context.new_page()
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator(".summit-place, .summit-cluster").first.wait_for(timeout=120_000)
    frame = _map_frame(page)
    frame.wait_for_function("() => window.__stopwatch.firstMarker !== null")
    took = frame.evaluate("window.__stopwatch.firstMarker") - page.evaluate("window.__stopwatch.origin")
    context.close()
    return took / 1000


def _loaded(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The page fully drawn: the app draws the map first, and the rest in the run its map's first value asks for."""
    page.frame_locator(MAP_FRAME).locator(".summit-place, .summit-cluster").first.wait_for(timeout=120_000)
    if name == "app":
        page.locator(".st-key-downloads").wait_for(state="attached", timeout=120_000)
    _idle(page)


def _alternated(index: int) -> tuple[str, str]:
    """App first on even samples, the bare map first on odd ones: neither always goes first."""
    return ("app", "bare") if index % 2 == 0 else ("bare", "app")


def _until_layers(page, act: Callable[[], None]) -> float:  # type: ignore[no-untyped-def]
    """Seconds from the reader's key press or click in the page to the map frame's new layers."""
    _idle(page)
    frame = _map_frame(page)
    frame.evaluate("window.__stopwatch.reset()")
    page.evaluate("window.__stopwatch.reset()")
    act()
    frame.wait_for_function(LAYERS_IN, timeout=60_000)
    return (frame.evaluate("window.__stopwatch.layers[0]") - page.evaluate("window.__stopwatch.action")) / 1000


def _frame_bytes(frame: dict) -> int:  # type: ignore[type-arg]
    """A websocket frame's size on the wire: CDP gives a binary frame (opcode 2, all of Streamlit's)
    as base64 text, four characters for every three bytes."""
    payload = str(frame.get("payloadData", ""))
    if frame.get("opcode") != 2:
        return len(payload.encode())
    return len(payload) * 3 // 4 - payload[-2:].count("=")


def _slider_move(page, index: int, received: list[int]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """One key press on the day slider: time until the map's layers change, and websocket bytes received.

    The page opens on the last day: left, then right, so every press moves the day."""
    _idle(page)
    received.clear()
    page.get_by_role("slider").first.focus()
    key = "ArrowLeft" if index % 2 == 0 else "ArrowRight"
    took = _until_layers(page, lambda: page.keyboard.press(key))
    _idle(page)
    return took, sum(received)


def _year_change(page, year: int) -> float:  # type: ignore[no-untyped-def]
    """One click on a year's pill (off, then on again) until the map's layers change."""
    pill = page.get_by_test_id("stButtonGroup").first.get_by_role("button", name=str(year))
    return _until_layers(page, pill.click)


def _busiest_places(ds: Dataset, year: int, count: int = 4) -> list[str]:
    """The places of a year's trips with the most events: the ones a reader opens first."""
    trips = query.trip_ids_for_years(ds, [year])
    events = query.events_until(ds, trips)
    return events["place_id"].value_counts().head(count).index.tolist()


def _marker_clicks(page, ds: Dataset, places: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    """A real click on a place's marker in the map frame until the page shows the place's heading."""
    took = []
    for place_id in places:
        _idle(page)
        name = ds.places_by_id.at[place_id, "name"]
        frame = _map_frame(page)
        # Close enough that the place stands alone, out of its group: then a real click on its marker.
        frame.evaluate(
            f"void map.setView(SummitMap.state.markers[{json.dumps(place_id)}].getLatLng(), 16, {{animate: false}})"
        )
        marker = page.frame_locator(MAP_FRAME).locator(f".summit-place.place-{place_id}")
        marker.wait_for(timeout=60_000)
        frame.evaluate("window.__stopwatch.reset()")
        page.evaluate(f"window.__stopwatch.awaitHeading({json.dumps(name)})")
        marker.click()
        page.wait_for_function("() => window.__stopwatch.heading !== null", timeout=60_000)
        took.append((page.evaluate("window.__stopwatch.heading") - frame.evaluate("window.__stopwatch.action")) / 1000)
    return took


def measure_browser(repeats: int) -> list[Figure]:
    """First paint, slider and year changes until the map changes, marker click until the details show."""
    from playwright.sync_api import sync_playwright

    figures: list[Figure] = []
    results: dict[str, dict[str, list[float]]] = {}
    bytes_per_move: dict[str, float] = {}
    ds = load_dataset(resolve_data_dir())
    years = list(all_years(ds))
    with serve(APP) as (app_url, _), serve(BARE) as (bare_url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        urls = {"app": app_url, "bare": bare_url}
        results = {name: {"paint": [], "slider": [], "year": []} for name in urls}
        for url in urls.values():
            _first_paint(browser, url)  # warm-up: the server's first reader loads the data and fills its caches
        for index in range(max(2, repeats // 4)):
            for name in _alternated(index):
                results[name]["paint"].append(_first_paint(browser, urls[name]))
        pages, received = {}, {}
        for name, url in urls.items():
            context = _new_context(browser)
            pages[name] = context.new_page()
            received[name] = []
            cdp = context.new_cdp_session(pages[name])
            cdp.send("Network.enable")
            cdp.on(
                "Network.webSocketFrameReceived",
                lambda event, sink=received[name]: sink.append(_frame_bytes(event["response"])),
            )
            pages[name].goto(url)
            _loaded(pages[name], name)
        sizes: dict[str, list[int]] = {name: [] for name in urls}
        for index in range(repeats):
            for name in _alternated(index):
                took, size = _slider_move(pages[name], index, received[name])
                results[name]["slider"].append(took)
                sizes[name].append(size)
        for index in range(max(2, repeats // 2)):
            for name in _alternated(index):
                results[name]["year"].append(_year_change(pages[name], years[0]))
        bytes_per_move = {name: statistics.median(sizes[name]) for name in urls}
        page = pages["app"]
        # One trip (the latest but one, or the only one) and its busiest places.
        year = years[-2] if len(years) > 1 else years[0]
        page.goto(f"{app_url}/?years={year}")
        _loaded(page, "app")
        places = _busiest_places(ds, year)
        results["app"]["click"] = _marker_clicks(page, ds, (places * repeats)[: max(4, repeats // 2)])
        browser.close()
    for key, label in (("paint", "first paint (load → first marker)"), ("slider", "slider key → map changed"),
                       ("year", "year click → map changed")):  # fmt: skip
        app_ms, bare_ms = median_ms(results["app"][key]), median_ms(results["bare"][key])
        ratio = app_ms / bare_ms
        if key == "paint":
            target, met = f"≤ {targets.PAINT_RATIO}× bare", ratio <= targets.PAINT_RATIO
        else:
            target = f"≤ {targets.CHANGE_RATIO}× bare and ≤ {targets.CHANGE_MS:.0f} ms"
            met = ratio <= targets.CHANGE_RATIO and app_ms <= targets.CHANGE_MS
        figures.append(
            Figure(
                "browser",
                f"{label}, median of {len(results['app'][key])}",
                f"{app_ms:.0f} ms vs bare {bare_ms:.0f} ms = {ratio:.2f}×",
                target,
                met,
            )
        )
    click_ms = median_ms(results["app"]["click"])
    figures.append(
        Figure(
            "browser",
            "marker click → details shown",
            f"{click_ms:.0f} ms",
            f"≤ {targets.CLICK_MS:.0f} ms",
            click_ms <= targets.CLICK_MS,
        )
    )
    figures.append(
        Figure(
            "browser",
            "bytes received per slider move (websocket)",
            f"{bytes_per_move['app'] / 1024:.0f} KiB vs bare {bytes_per_move['bare'] / 1024:.0f} KiB",
            "only what changed",
            None,
        )
    )
    return figures
