"""Measure the app against its targets and print one table: reruns against a bare map, the browser,
datasets of 1 k to 100 k events, and 20 readers at once.

Speed is measured, not hoped, and never a pass/fail test: the script exits 0 whatever the figures
(non-zero only when something crashes). Every comparison runs in this one process tree, the app and
its baseline alternated, so the machine's speed cancels out of the ratios.

    .venv/bin/python benchmarks/run.py                 # the full run (about 3 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --smoke         # tiny sizes, a minute: proves every part runs
    .venv/bin/python benchmarks/run.py --only rerun,browser --json figures.json
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402
from benchmarks.load import READERS_NICE, percentile, run_load  # noqa: E402
from components.dataset import load_dataset  # noqa: E402

APP = REPO / "app.py"
BARE = REPO / "benchmarks" / "bare_app.py"
CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = 'iframe[title*="Map"]'
SECTIONS = ("rerun", "browser", "scale", "load")


@dataclass
class Figure:
    """One line of the table."""

    section: str
    name: str
    measured: str
    target: str
    met: bool | None  # None: no target, a figure to read


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# --- reruns under AppTest ----------------------------------------------------------------------------


class _DropBareMode(logging.Filter):
    """AppTest drives the script from this thread; Streamlit warns about that on every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def _quiet() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for handler in logging.root.handlers + logging.getLogger("streamlit").handlers:
        handler.addFilter(_DropBareMode())
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _apptest(script: Path, data_dir: Path | None = None):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    if data_dir is None:
        os.environ.pop("SUMMIT_MAP_DATA", None)
    else:
        os.environ["SUMMIT_MAP_DATA"] = str(data_dir)
    return AppTest.from_file(str(script), default_timeout=600)


def _timed_run(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure_reruns(moves: int) -> list[Figure]:
    """Slider moves and year changes, the app and the bare map alternated, median of ``moves`` each."""
    _quiet()
    app, bare = _apptest(APP), _apptest(BARE)
    app.run()
    bare.run()
    first, last = int(app.slider(key="day").min), int(app.slider(key="day").max)
    days = list(range(first, last + 1))
    slider: dict[str, list[float]] = {"app": [], "bare": []}
    years: dict[str, list[float]] = {"app": [], "bare": []}
    choices = ([2019, 2023], [2002, 2019, 2023])
    for index in range(moves):
        order = (("app", app), ("bare", bare)) if index % 2 == 0 else (("bare", bare), ("app", app))
        for name, at in order:
            day = days[(index * 3) % len(days)]
            slider[name].append(_timed_run(lambda at=at, day=day: at.slider(key="day").set_value(day).run()))
    for index in range(max(4, moves // 2)):
        order = (("app", app), ("bare", bare)) if index % 2 == 0 else (("bare", bare), ("app", app))
        for name, at in order:
            chosen = choices[index % 2]
            years[name].append(_timed_run(lambda at=at, chosen=chosen: at.pills(key="years").set_value(chosen).run()))
    figures = []
    for label, samples in (("slider move", slider), ("year change", years)):
        app_ms, bare_ms = _median_ms(samples["app"]), _median_ms(samples["bare"])
        ratio = app_ms / bare_ms
        figures.append(
            Figure(
                "rerun",
                f"rerun after a {label} (AppTest, median of {len(samples['app'])})",
                f"{app_ms:.0f} ms vs bare map {bare_ms:.0f} ms = {ratio:.2f}×",
                "≤ 1.3× bare map",
                ratio <= 1.3,
            )
        )
    return figures


# --- the browser -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(script: Path, data_dir: Path | None = None) -> Iterator[tuple[str, int]]:
    """``streamlit run`` on a free loopback port; yields its URL and process id."""
    port = _free_port()
    static = script.parent / "static"
    if script.parent != REPO and not static.exists():
        static.symlink_to(REPO / "static")  # Streamlit serves static/ beside the script it runs
    env = dict(os.environ)
    env.pop("SUMMIT_MAP_DATA", None)
    if data_dir is not None:
        env["SUMMIT_MAP_DATA"] = str(data_dir)
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _refuse_web(route) -> None:  # type: ignore[no-untyped-def]
    host = urlsplit(route.request.url).hostname or ""
    if route.request.url.startswith("http") and host not in ("127.0.0.1", "localhost"):
        route.abort()
    else:
        route.continue_()


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
    context.route("**/*", _refuse_web)
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


def _year_change(page) -> float:  # type: ignore[no-untyped-def]
    """One click on the 2002 pill (off, then on again) until the map's layers change."""
    return _until_layers(page, page.get_by_test_id("stButtonGroup").first.get_by_role("button", name="2002").click)


def _marker_clicks(page, places: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    """A real click on a place's marker in the map frame until the page shows the place's heading."""
    took = []
    ds = load_dataset(REPO / "data")
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
                results[name]["year"].append(_year_change(pages[name]))
        bytes_per_move = {name: statistics.median(sizes[name]) for name in urls}
        page = pages["app"]
        page.goto(f"{app_url}/?years=2019")
        _loaded(page, "app")
        places = ["khasan_station", "vladivostok_station", "fefu_russky", "pacific_fleet_memorial"]
        results["app"]["click"] = _marker_clicks(page, (places * repeats)[: max(4, repeats // 2)])
        browser.close()
    for key, label in (("paint", "first paint (load → first marker)"), ("slider", "slider key → map changed"),
                       ("year", "year click → map changed")):  # fmt: skip
        app_ms, bare_ms = _median_ms(results["app"][key]), _median_ms(results["bare"][key])
        ratio = app_ms / bare_ms
        target = "≤ 1.3× bare" if key == "paint" else "≤ 1.3× bare and ≤ 200 ms"
        met = ratio <= 1.3 and (key == "paint" or app_ms <= 200)
        figures.append(
            Figure(
                "browser",
                f"{label}, median of {len(results['app'][key])}",
                f"{app_ms:.0f} ms vs bare {bare_ms:.0f} ms = {ratio:.2f}×",
                target,
                met,
            )
        )
    click_ms = _median_ms(results["app"]["click"])
    figures.append(Figure("browser", "marker click → details shown", f"{click_ms:.0f} ms", "≤ 400 ms", click_ms <= 400))
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


# --- scale ------------------------------------------------------------------------------------------


def _clear_all_but_the_dataset() -> bool:
    """Empty the page's caches except the loaded dataset, as on a server whose dataset is loaded
    but which has not drawn this view yet. Reaches into Streamlit's cache registry; False if it moved."""
    try:
        from streamlit.runtime.caching.cache_resource_api import _resource_caches

        registry = _resource_caches._function_caches
    except (ImportError, AttributeError):
        return False
    for caches in registry.values():
        for cache in caches.values():
            if not str(getattr(cache, "display_name", "")).endswith(("_dataset", "_vendor_assets")):
                cache.clear()
    return True


def measure_scale(sizes: list[int], moves: int) -> list[Figure]:
    """Generated datasets: load + validate, a new server's first page (load included), a reader's
    first page once the dataset is loaded (nothing else cached), and reruns to days not seen before."""
    _quiet()
    figures = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"summit-map-{size}-") as folder:
            data = Path(folder)
            generate(data, size)
            start = time.perf_counter()
            load_dataset(data)
            load_s = time.perf_counter() - start
            cold = _apptest(APP, data)
            cold_s = _timed_run(cold.run)
            if cold.exception:
                raise RuntimeError(f"the app failed on {size} events: {cold.exception[0].message}")
            firsts = []
            for _ in range(3):
                if not _clear_all_but_the_dataset():
                    break
                reader = _apptest(APP, data)
                firsts.append(_timed_run(reader.run))
            first_s = statistics.median(firsts) if firsts else cold_s
            at = _apptest(APP, data)
            at.run()
            slider = at.slider(key="day")
            days = list(range(int(slider.min), int(slider.max) + 1))
            reruns = []
            for index in range(moves):
                day = days[index % len(days)]  # from the first day on: views this server has not drawn
                reruns.append(_timed_run(lambda at=at, day=day: at.slider(key="day").set_value(day).run()))
            rerun_ms = _median_ms(reruns)
            targets = {10_000: ("≤ 1 s first run, ≤ 300 ms rerun", first_s <= 1 and rerun_ms <= 300),
                       100_000: ("≤ 10 s load + validate, ≤ 1 s rerun", load_s <= 10 and rerun_ms <= 1000)}  # fmt: skip
            target, met = targets.get(size, ("no worse than linear", None))
            figures.append(
                Figure(
                    "scale",
                    f"{size:,} events: load + validate / new server's first page / a reader's first page "
                    f"/ rerun to a new day (median of {moves})",
                    f"{load_s:.1f} s / {cold_s:.1f} s / {first_s:.2f} s / {rerun_ms:.0f} ms",
                    target,
                    met,
                )
            )
    os.environ.pop("SUMMIT_MAP_DATA", None)
    return figures


# --- many readers -----------------------------------------------------------------------------------


def measure_load(sessions: int, seconds: float, readers_nice: int = READERS_NICE) -> list[Figure]:
    """``sessions`` readers joining one by one, then all acting at once for ``seconds`` (benchmarks/load.py)."""
    result = run_load(APP, sessions, seconds, readers_nice)
    if result.server_log_tail:
        print(f"the server logged errors:\n{result.server_log_tail}", file=sys.stderr)
    actions = result.actions
    figures = [
        Figure(
            "load",
            f"{sessions} readers for {seconds:.0f} s (ramp {result.ramp_s:.0f} s, run {result.wall_s:.0f} s, "
            f"readers at nice {result.readers_nice}): errors",
            f"{len(result.errors)} ({result.drawn} of {sessions} drew the map)",
            "0",
            not result.errors,
        ),
        Figure(
            "load",
            "ramp, one reader joining at a time: its map drawn after, median / slowest",
            f"{statistics.median(result.first_draw_s):.1f} / {max(result.first_draw_s):.1f} s"
            if result.first_draw_s
            else "no map drawn",
            "read",
            None,
        ),
        Figure(
            "load",
            "actions in the hold: slider / year / place (slider presses at an end)",
            f"{actions['slider']} / {actions['year']} / {actions['place']} ({actions['slider at its end']})",
            "read",
            None,
        ),
    ]
    if result.unclickable:
        reasons = "; ".join(f"{count}× {reason}" for reason, count in result.unclickable.most_common(2))
        figures.append(Figure("load", "place clicks that never landed (not sent to the app)", reasons, "read", None))
    for samples, label in ((result.slider_ms, "slider key → map changed"), (result.year_ms, "year click → map changed"),
                           (result.place_ms, "place click → details shown (driver-timed)")):  # fmt: skip
        measured = f"{statistics.median(samples):.0f} / {percentile(samples, 0.95):.0f} ms" if samples else "none"
        where = "" if "driver" in label else ", in the browser"
        figures.append(
            Figure("load", f"{label} under load{where}: p50 / p95 of {len(samples)}", measured, "read", None)
        )
    if result.parts_ms:
        parts = " / ".join(f"{statistics.median(samples):.0f}" for samples in result.parts_ms.values())
        count = min(len(samples) for samples in result.parts_ms.values())
        figures.append(
            Figure(
                "load", f"map change split, p50 of {count}: {' / '.join(result.parts_ms)}", f"{parts} ms", "read", None
            )
        )
    if result.server_runs:
        walls, cpus, waits = ([value * 1000 for value in column] for column in zip(*result.server_runs, strict=True))
        figures.append(
            Figure(
                "load",
                f"server script runs in the hold ({len(walls)}): wall p50 / p95, CPU of its thread p50, "
                "wait to start p50 / p95",
                f"{statistics.median(walls):.0f} / {percentile(walls, 0.95):.0f} ms, {statistics.median(cpus):.0f} ms, "
                f"{statistics.median(waits):.0f} / {percentile(waits, 0.95):.0f} ms",
                "read",
                None,
            )
        )
    per_reader = (result.rss_all_mb - result.rss_one_mb) / max(1, sessions - 1)
    figures.append(
        Figure(
            "load",
            "server memory: idle / 1 reader / all readers, peak (per extra reader)",
            f"{result.rss_idle_mb:.0f} / {result.rss_one_mb:.0f} / {result.rss_all_mb:.0f}, "
            f"{result.rss_peak_mb:.0f} MB ({per_reader:.1f} MB)",
            "read",
            None,
        )
    )
    if result.cpu is not None and result.cpu_idle is not None:
        cpu, idle = result.cpu, result.cpu_idle
        done = max(1, actions["slider"] + actions["year"] + actions["place"])
        figures.append(
            Figure(
                "load",
                f"CPU, cores of {cpu.cores}, in the hold (all readers idle): server / browser / driver + runner / "
                "whole machine",
                f"{cpu.server:.2f} ({idle.server:.2f}) / {cpu.browser:.2f} ({idle.browser:.2f}) / "
                f"{cpu.driver + cpu.runner:.2f} ({idle.driver + idle.runner:.2f}) / {cpu.machine:.2f} ({idle.machine:.2f})",
                "read",
                None,
            )
        )
        figures.append(
            Figure(
                "load",
                "threads ready but waiting for a core, in the hold (all readers idle): server / browser",
                f"{cpu.server_waiting:.2f} ({idle.server_waiting:.2f}) / {cpu.browser_waiting:.2f} "
                f"({idle.browser_waiting:.2f})",
                "read",
                None,
            )
        )
        figures.append(
            Figure(
                "load",
                "CPU per action in the hold: server / browser",
                f"{cpu.server * seconds / done * 1000:.0f} / {cpu.browser * seconds / done * 1000:.0f} ms",
                "read",
                None,
            )
        )
    if result.errors:
        figures.append(Figure("load", "first errors", "; ".join(result.distinct_errors()), "", False))
    return figures


# --- the table --------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """A figure as a Markdown table cell: markup quoted from a page (an error's reason) stays text."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def table(figures: list[Figure]) -> str:
    lines = ["| part | figure | measured | target | met |", "|---|---|---|---|---|"]
    for f in figures:
        met = "—" if f.met is None else ("yes" if f.met else "**no**")
        cells = (_cell(f.section), _cell(f.name), _cell(f.measured), _cell(f.target), met)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves every part runs, in about a minute")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated parts of {SECTIONS}")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--readers-nice",
        type=int,
        default=READERS_NICE,
        help="load: run the readers' browser this much nicer than the server (0: compete as equals)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures, the date and the machine here")
    args = parser.parse_args(argv)
    wanted = {part.strip() for part in args.only.split(",") if part.strip()}
    smoke = args.smoke
    figures: list[Figure] = []
    crashed = False
    steps: list[tuple[str, Callable[[], list[Figure]]]] = [
        ("rerun", lambda: measure_reruns(3 if smoke else 20)),
        ("browser", lambda: measure_browser(2 if smoke else 10)),
        ("scale", lambda: measure_scale([300] if smoke else [1_000, 10_000, 100_000], 2 if smoke else 5)),
        ("load", lambda: measure_load(2 if smoke else args.sessions, 15 if smoke else args.seconds, args.readers_nice)),
    ]
    for name, step in steps:
        if name in wanted:
            print(f"measuring {name}…", file=sys.stderr)
            try:
                figures += step()
            except Exception as exc:
                logging.getLogger("benchmarks").exception("measuring %s failed", name)
                figures.append(Figure(name, "this part failed", f"{type(exc).__name__}: {exc}"[:160], "", False))
                crashed = True
    print(table(figures))
    if args.json:
        machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()}
        record = {"date": datetime.now(UTC).isoformat(), "machine": machine, "figures": [asdict(f) for f in figures]}
        args.json.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
