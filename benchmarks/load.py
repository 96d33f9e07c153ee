"""Many readers at once: one ``streamlit run`` on loopback and N readers in one headless Chromium.

Each reader is a browser context of its own (its own Streamlit session). They join one at a time, each
waiting until the one before has drawn its map (or ``RAMP_STEP_S`` has passed), so the run measures a
crowd that is there, not 20 cold starts fighting over two cores. Then all of them act at once for the
hold: day-slider key presses, year changes and clicks on places, with a seeded random pause of
``THINK_S`` between actions, as people reading the map would. The browser's threads run at a lower
priority than the server (``READERS_NICE``): on one machine the readers' pages would otherwise take the
cores the server needs, which real readers on their own machines do not.

What it measures:

- errors: page errors, a crashed page, a Streamlit error shown, a websocket closed before the end, a
  map not drawn within ``DRAW_TIMEOUT_S``, an action not finished within ``ACTION_TIMEOUT_S``. A place
  click Playwright cannot land within ``CLICK_TIMEOUT_S`` (its marker covered or moving) never reached
  the app: it is counted apart, with Playwright's reason;
- slider key → map layers changed and year click → map layers changed, timed inside the browser
  (``load_probe.js``), so the driver's own round trips under load are not counted, and split into the
  page sending its request, the server answering and the page drawing. A key press at an end of the
  slider changes nothing: it is counted apart, neither an error nor a latency;
- place click → its details shown, timed by the driver (round trips included);
- each script run on the server (``load_server.py``): wall time, CPU time, wait to start;
- the server's memory idle, with one reader and with all of them; the CPU used by the server, the
  browser, the driver and the whole machine, and the threads waiting for a core (from /proc), both in
  the hold and with every reader idle just before it.

Bounded in count and time: the whole run takes at most ``SERVER_START_S`` + ramp
(``(sessions - 1) * RAMP_STEP_S + DRAW_TIMEOUT_S + SETTLE_S + IDLE_SAMPLE_S``) + hold
(``seconds + ACTION_TIMEOUT_S``) + ``TEARDOWN_S`` (``wall_bound_s``): a deadline of that length cancels
whatever is left, and the server is killed at the end whatever happened.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PROBE = Path(__file__).with_name("load_probe.js")
SERVER = Path(__file__).with_name("load_server.py")
MAP_FRAME = 'iframe[title*="Map"]'
MAP_DRAWN = ".summit-place, .summit-cluster"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SHOWN_ERROR = '[data-testid="stException"], [data-testid="stAlertContentError"]'
NOT_LOOPBACK = re.compile(r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost)(:\d+)?/)")

SERVER_START_S = 60.0
RAMP_STEP_S = 15.0  # the next reader joins when the last one has drawn its map, or after this long
DRAW_TIMEOUT_S = 90.0  # a reader whose map is not drawn by then has failed
ACTION_TIMEOUT_S = 60.0  # an action not finished by then has failed
CLICK_TIMEOUT_S = 15.0  # a marker Playwright cannot click by then (covered, moving) is given up, and counted
CLICK_REASONS = ("intercepts pointer events", "not stable", "not visible", "outside of the viewport", "not enabled")
TEARDOWN_S = 45.0
SETTLE_S = 2.0  # after the first reader has drawn, before its memory is read
IDLE_SAMPLE_S = 5.0  # every reader drawn, nobody acting: what the open pages cost by themselves
THINK_S = (1.0, 4.0)  # pause between one reader's actions, uniform
TURN_BACK = 0.75  # at an end of the slider, how often a reader presses the key that moves the day
ACTIONS = {"slider": 3, "year": 1, "place": 1}  # how often each kind is picked
READERS_NICE = 10  # the browser's and the driver's threads run this much nicer than the server (see run_load)
VIEWPORT = {"width": 1280, "height": 900}  # as in the browser tests: the whole map in view, places clickable

# Lighter where it does not change what is measured; timers and rendering stay on in pages not in front.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-extensions",
    "--mute-audio",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

# Where a place is on the map now: its own marker, inside a group, outside the view, or not drawn.
WHERE = """id => {
    const S = SummitMap.state, marker = S.markers[id];
    if (!marker) return "missing";
    if (!window.map.getBounds().contains(marker.getLatLng())) return "offscreen";
    const parent = S.cluster.getVisibleParent(marker);
    if (parent === marker) return "marker";
    if (parent && parent._icon) { parent._icon.setAttribute("data-probe", id); return "cluster"; }
    return "hidden";
}"""

# The first message the page sent after the input, and the last it received before the map drew.
SPLIT = """t => {
    const p = window.__loadProbe, sent = p.sent.find(x => x >= t), got = p.received.filter(x => x <= p.drawnAt);
    return [p.drawnAt, sent === undefined ? null : sent, got.length ? got[got.length - 1] : null];
}"""
PARTS = ("page sends the request", "server answers", "page draws the map")


@dataclass
class CpuUse:
    """Cores busy on average during the hold, by who used them."""

    server: float
    browser: float
    driver: float
    runner: float
    machine: float
    cores: int
    # Threads ready to run but waiting for a core, on average (from schedstat): a starved process shows
    # here, while one waiting on its own locks or on the network does not.
    server_waiting: float = 0.0
    browser_waiting: float = 0.0


@dataclass
class LoadResult:
    """Everything one load run saw; benchmarks/run.py turns it into lines of the table."""

    sessions: int
    hold_s: float
    ramp_s: float = 0.0
    drawn: int = 0
    first_draw_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)
    slider_ms: list[float] = field(default_factory=list)
    year_ms: list[float] = field(default_factory=list)
    place_ms: list[float] = field(default_factory=list)
    parts_ms: dict[str, list[float]] = field(default_factory=dict)
    unclickable: Counter[str] = field(default_factory=Counter)  # place clicks that never landed, by reason
    rss_idle_mb: float = float("nan")
    rss_one_mb: float = float("nan")
    rss_all_mb: float = float("nan")
    rss_peak_mb: float = float("nan")
    cpu: CpuUse | None = None
    cpu_idle: CpuUse | None = None  # every reader drawn, nobody acting yet
    wall_s: float = 0.0
    hold_from: float = float("inf")  # time.monotonic() when the hold began
    # Script runs that began in the hold: wall, CPU of its thread, wait to start after asked, seconds.
    server_runs: list[tuple[float, float, float]] = field(default_factory=list)
    readers_nice: int = 0
    server_log_tail: str = ""

    def distinct_errors(self, limit: int = 3) -> list[str]:
        """The first few different failures, with how often each happened (reader numbers left out)."""
        kinds = Counter(re.sub(r"^reader \d+: ", "", error) for error in self.errors)
        return [f"{count}× {kind}" for kind, count in list(kinds.items())[:limit]]


def wall_bound_s(sessions: int, seconds: float) -> float:
    """The longest a run can take: the module docstring's sum."""
    ramp = max(0, sessions - 1) * RAMP_STEP_S + DRAW_TIMEOUT_S + SETTLE_S + IDLE_SAMPLE_S
    return SERVER_START_S + ramp + seconds + ACTION_TIMEOUT_S + TEARDOWN_S


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile: a figure that was measured, not interpolated."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# --- the server --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(script: Path, log: Path, run_times: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run`` on a free loopback port, polled until healthy; killed on the way out, whatever happened.

    It runs through ``load_server.py``, which notes each script run's times in ``run_times``.
    """
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "SUMMIT_MAP_DATA"}
    command = [sys.executable, str(SERVER), str(run_times), "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with log.open("w", encoding="utf-8") as log_file:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + SERVER_START_S
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start: {log.read_text()[-500:]}") from None
                    time.sleep(0.2)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)


# --- /proc ------------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """Resident memory of one process."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _processes() -> dict[int, tuple[int, str, int]]:
    """Every process: parent, command name and CPU ticks used so far (user + system)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), name, int(fields[11]) + int(fields[12]))
    return found


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine, every core."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass
class _CpuSnapshot:
    at: float
    ticks: dict[str, dict[int, int]]
    machine: tuple[int, int]
    waited: dict[str, dict[int, int]]  # per thread, nanoseconds spent waiting for a core


def _waited_ns(pids: list[int]) -> dict[int, int]:
    """Run-queue waits of every thread of these processes (the second field of schedstat)."""
    found = {}
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                found[int(task.name)] = int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return found


def _cpu_snapshot(server_pid: int) -> _CpuSnapshot:
    """CPU ticks of the server, of this process and of everything it started (driver, browser)."""
    table = _processes()
    me = os.getpid()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    groups: dict[str, dict[int, int]] = {"server": {}, "browser": {}, "driver": {}, "runner": {}}
    if server_pid in table:
        groups["server"][server_pid] = table[server_pid][2]
    groups["runner"][me] = table[me][2]
    stack = list(children.get(me, []))
    while stack:
        pid = stack.pop()
        if pid == server_pid:
            continue
        name = table[pid][1]
        group = "browser" if name.startswith(("chrom", "headless")) else "driver"
        groups[group][pid] = table[pid][2]
        stack += children.get(pid, [])
    waited = {group: _waited_ns(list(groups[group])) for group in ("server", "browser")}
    return _CpuSnapshot(time.monotonic(), groups, _machine_ticks(), waited)


def _cpu_between(start: _CpuSnapshot, end: _CpuSnapshot) -> CpuUse:
    """Average cores used between two snapshots (ticks of processes that died in between are lost)."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = max(1e-6, end.at - start.at)

    def cores(group: str) -> float:
        used = sum(ticks - start.ticks[group].get(pid, 0) for pid, ticks in end.ticks[group].items())
        return used / tick / seconds

    busy = end.machine[0] - start.machine[0]
    total = max(1, end.machine[1] - start.machine[1])
    count = os.cpu_count() or 1

    def waiting(group: str) -> float:
        waited = sum(ns - start.waited[group].get(tid, 0) for tid, ns in end.waited[group].items())
        return waited / 1e9 / seconds

    return CpuUse(
        cores("server"),
        cores("browser"),
        cores("driver"),
        cores("runner"),
        busy / total * count,
        count,
        waiting("server"),
        waiting("browser"),
    )


def _short(exc: BaseException) -> str:
    """An exception in one line: its type, first line and, for Playwright, the last step it was waiting on."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = f"{type(exc).__name__}: {lines[0] if lines else ''}"
    if len(lines) > 2 and lines[1].startswith("Call log"):
        text += f" [{lines[-1]}]"
    return text


def _why_not_clicked(exc: BaseException) -> str:
    """Playwright's last reason for not clicking yet (covered, moving, hidden), from its call log."""
    reasons = [line.strip(" -") for line in str(exc).splitlines() if any(word in line for word in CLICK_REASONS)]
    reason = reasons[-1] if reasons else "no reason given"
    return re.sub(r"<[^>]{60,}>", "<…>", reason)[:160]


# --- one reader --------------------------------------------------------------------------------------


class Reader:
    """One person with the page open: joins, waits for the crowd, then reads the map until the hold ends."""

    def __init__(self, number: int, url: str, place_names: dict[str, str], result: LoadResult) -> None:
        self.number = number
        self.url = url
        self.place_names = place_names
        self.result = result
        self.rng = random.Random(number)
        self.drawn = asyncio.Event()  # set when the map is drawn, or when the reader has given up
        self.finished = asyncio.Event()  # set when the reader has done its last action, or given up
        self.leaving = False
        self.open_place: str | None = None

    def fail(self, message: str) -> None:
        self.result.errors.append(f"reader {self.number}: {message}"[:240])

    def _watch(self, page) -> None:  # type: ignore[no-untyped-def]
        page.on("pageerror", lambda error: self.fail(f"page error: {error}"))
        page.on("crash", lambda _: self.fail("the page crashed"))

        def on_socket(socket) -> None:  # type: ignore[no-untyped-def]
            if "_stcore/stream" in socket.url:
                socket.on("close", lambda _: None if self.leaving else self.fail("websocket closed (connection lost)"))

        page.on("websocket", on_socket)

    async def run(self, browser, hold_start: asyncio.Event, release: asyncio.Event, hold: list[float]) -> None:  # type: ignore[no-untyped-def]
        """Join, draw the map, wait for the hold, act until it ends, keep the session open until released."""
        context = await browser.new_context(viewport=VIEWPORT)
        try:
            await context.add_init_script(path=str(PROBE))
            await context.route(NOT_LOOPBACK, lambda route: route.abort())
            page = await context.new_page()
            self._watch(page)
            if await self._join(page):
                await hold_start.wait()
                await self._act_until(page, hold[0])
            self.finished.set()
            await release.wait()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure of a reader is a finding, not a crash of the run
            self.fail(_short(exc))
        finally:
            self.drawn.set()
            self.finished.set()
            self.leaving = True
            with suppress(Exception):
                await context.close()

    async def _join(self, page) -> bool:  # type: ignore[no-untyped-def]
        start = time.monotonic()
        try:
            await page.goto(self.url, timeout=DRAW_TIMEOUT_S * 1000)
            left = DRAW_TIMEOUT_S - (time.monotonic() - start)
            await page.frame_locator(MAP_FRAME).locator(MAP_DRAWN).first.wait_for(timeout=max(1, left) * 1000)
        except Exception as exc:  # noqa: BLE001 - a reader that never sees the map is an error, not a crash
            self.fail(f"map not drawn within {DRAW_TIMEOUT_S:.0f} s ({type(exc).__name__})")
            return False
        self.result.first_draw_s.append(time.monotonic() - start)
        self.result.drawn += 1
        self.drawn.set()
        await page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_S * 1000)
        return True

    async def _act_until(self, page, until: float) -> None:  # type: ignore[no-untyped-def]
        await asyncio.sleep(self.rng.uniform(0, THINK_S[1]))  # readers do not all start on the same beat
        kinds, weights = list(ACTIONS), list(ACTIONS.values())
        while time.monotonic() < until:
            kind = self.rng.choices(kinds, weights)[0]
            try:
                await page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_S * 1000)
                await getattr(self, f"_{kind}")(page)
            except Exception as exc:  # noqa: BLE001 - an action that never completes is an error; the reader goes on
                self.fail(f"{kind} did not complete: {_short(exc)}")
            if await page.locator(SHOWN_ERROR).count():
                self.fail("the page shows a Streamlit error")
                return
            await asyncio.sleep(min(self.rng.uniform(*THINK_S), max(0.0, until - time.monotonic())))

    def _map_frame(self, page):  # type: ignore[no-untyped-def]
        return next(frame for frame in page.frames if "streamlit_folium" in frame.url)

    async def _watch_map(self, page) -> None:  # type: ignore[no-untyped-def]
        """Hook the map frame's layer swaps (again, if the frame was made anew) before an action."""
        if not await page.evaluate("window.__loadProbe.watchMap()"):
            raise RuntimeError("the map frame has no streamlit-folium data to watch")

    async def _until_layers_changed(self, page) -> float:  # type: ignore[no-untyped-def]
        """Milliseconds from the reader's input to the map's new layers, both stamped in the browser;
        the parts (request out, server's answer, page drawing) go to the result."""
        input_at = await page.evaluate("window.__loadProbe.inputAt")
        await page.wait_for_function(
            "t => window.__loadProbe.drawnAt > t", arg=input_at, polling=100, timeout=ACTION_TIMEOUT_S * 1000
        )
        drawn_at, sent_at, answered_at = await page.evaluate(SPLIT, input_at)
        if sent_at is not None and answered_at is not None and input_at <= sent_at <= answered_at <= drawn_at:
            for part, took in zip(
                PARTS, (sent_at - input_at, answered_at - sent_at, drawn_at - answered_at), strict=True
            ):
                self.result.parts_ms.setdefault(part, []).append(took)
        return float(drawn_at) - float(input_at)

    async def _slider(self, page) -> None:  # type: ignore[no-untyped-def]
        slider = page.get_by_role("slider").first
        low, high, value = await slider.evaluate("e => [Number(e.min), Number(e.max), Number(e.value)]")
        key = self.rng.choice(["ArrowLeft", "ArrowRight"])
        if value in (low, high) and self.rng.random() < TURN_BACK:
            key = "ArrowRight" if value == low else "ArrowLeft"
        await self._watch_map(page)
        await slider.focus()
        await page.keyboard.press(key)
        if (key == "ArrowLeft" and value <= low) or (key == "ArrowRight" and value >= high):
            self.result.actions["slider at its end"] += 1  # the day stays: nothing to redraw, nothing to time
            return
        self.result.slider_ms.append(await self._until_layers_changed(page))
        self.result.actions["slider"] += 1

    async def _year(self, page) -> None:  # type: ignore[no-untyped-def]
        pills = page.get_by_test_id("stButtonGroup").first.get_by_role("button")
        pressed = await pills.evaluate_all(
            "buttons => buttons.map(b => [b.innerText.trim(), b.ariaPressed === 'true'])"
        )
        chosen = [year for year, on in pressed if on]
        year = self.rng.choice([year for year, _ in pressed])
        if chosen == [year]:  # a reader keeps at least one trip on the map
            year = self.rng.choice([other for other, _ in pressed if other != year])
        await self._watch_map(page)
        await pills.filter(has_text=re.compile(rf"^{year}$")).click(timeout=ACTION_TIMEOUT_S * 1000)
        self.result.year_ms.append(await self._until_layers_changed(page))
        self.result.actions["year"] += 1

    async def _place(self, page) -> None:  # type: ignore[no-untyped-def]
        from playwright.async_api import TimeoutError as PlaywrightTimeoutError

        frame = self._map_frame(page)
        shown = await frame.evaluate("Object.keys(SummitMap.state.markers)")
        candidates = [pid for pid in shown if pid in self.place_names and pid != self.open_place]
        self.rng.shuffle(candidates)
        map_locator = page.frame_locator(MAP_FRAME)
        for place_id in candidates:
            where = await frame.evaluate(WHERE, place_id)
            if where not in ("marker", "cluster", "offscreen"):
                continue
            start = time.perf_counter()
            timeout = CLICK_TIMEOUT_S * 1000
            try:
                if where == "cluster":
                    await map_locator.locator(f'[data-probe="{place_id}"]').click(timeout=timeout)
                elif where == "offscreen":
                    chooser = map_locator.locator(".summit-offscreen")
                    if await chooser.get_attribute("open") is None:
                        await chooser.locator("summary").click(timeout=timeout)
                    await map_locator.locator(f'.summit-offscreen button[data-place="{place_id}"]').click(
                        timeout=timeout
                    )
                if where != "offscreen":
                    await map_locator.locator(f".summit-place.place-{place_id}").click(timeout=timeout)
            except PlaywrightTimeoutError as exc:
                # The click never landed, so the app was never asked anything: not a failure under load,
                # but counted and reported with Playwright's reason.
                self.result.unclickable[_why_not_clicked(exc)] += 1
                return
            heading = page.get_by_role("heading", name=self.place_names[place_id], exact=True)
            await heading.wait_for(timeout=ACTION_TIMEOUT_S * 1000)
            self.result.place_ms.append((time.perf_counter() - start) * 1000)
            self.result.actions["place"] += 1
            self.open_place = place_id
            return
        self.result.actions["place: none reachable"] += 1


# --- the crowd --------------------------------------------------------------------------------------


def _readers_tasks(server_pid: int) -> list[int]:
    """Every thread of the driver and the browser this process started (not the server's)."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    tasks, stack = [], [pid for pid in children.get(os.getpid(), []) if pid != server_pid]
    while stack:
        pid = stack.pop()
        tasks += [int(task.name) for task in Path(f"/proc/{pid}/task").glob("*")]
        stack += children.get(pid, [])
    return tasks


async def _keep_nice(server_pid: int, nice: int) -> None:
    """Hold every reader thread at ``nice`` or lower priority, new ones too, until cancelled.

    Niceness is per thread on Linux and Chromium sets its own (run as root, it even raises some), so
    starting the browser from a nicer thread is not enough: its threads are reniced once a second.
    """
    while True:
        for tid in _readers_tasks(server_pid):
            with suppress(OSError):
                if os.getpriority(os.PRIO_PROCESS, tid) < nice:
                    os.setpriority(os.PRIO_PROCESS, tid, nice)
        await asyncio.sleep(1.0)


async def _crowd(url: str, server_pid: int, sessions: int, seconds: float, result: LoadResult) -> None:
    from playwright.async_api import async_playwright

    from components.dataset import load_dataset

    names = load_dataset(REPO / "data").places_by_id["name"].to_dict()
    hold_start, release = asyncio.Event(), asyncio.Event()
    hold_until = [float("inf")]
    readers = [Reader(number, url, names, result) for number in range(sessions)]
    tasks: list[asyncio.Task[None]] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        niceness = asyncio.create_task(_keep_nice(server_pid, result.readers_nice)) if result.readers_nice else None
        try:
            ramp_start = time.monotonic()
            for reader in readers:
                tasks.append(asyncio.create_task(reader.run(browser, hold_start, release, hold_until)))
                with suppress(TimeoutError):
                    await asyncio.wait_for(reader.drawn.wait(), RAMP_STEP_S)
                if reader.number == 0:
                    await asyncio.sleep(SETTLE_S)
                    result.rss_one_mb = rss_mb(server_pid)
            # The last to join may still be drawing: the hold starts when every reader has drawn or given up.
            with suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(r.drawn.wait() for r in readers)), DRAW_TIMEOUT_S)
            result.ramp_s = time.monotonic() - ramp_start
            before = _cpu_snapshot(server_pid)
            await asyncio.sleep(IDLE_SAMPLE_S)
            result.cpu_idle = _cpu_between(before, _cpu_snapshot(server_pid))
            result.hold_from = time.monotonic()
            hold_until[0] = result.hold_from + seconds
            hold_start.set()
            before = _cpu_snapshot(server_pid)
            peak = 0.0
            while time.monotonic() < hold_until[0]:
                peak = max(peak, rss_mb(server_pid))
                await asyncio.sleep(min(1.0, max(0.0, hold_until[0] - time.monotonic())))
            result.cpu = _cpu_between(before, _cpu_snapshot(server_pid))
            result.rss_all_mb = rss_mb(server_pid)
            result.rss_peak_mb = max(peak, result.rss_all_mb)
            # Actions under way when the hold ended may finish (each is bounded); then every session closes.
            with suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(r.finished.wait() for r in readers)), ACTION_TIMEOUT_S)
            result.errors += [
                f"reader {r.number}: still busy {ACTION_TIMEOUT_S:.0f} s after the hold"
                for r in readers
                if not r.finished.is_set()
            ]
            release.set()
            await asyncio.wait(tasks, timeout=TEARDOWN_S / 2)
        finally:
            if niceness is not None:
                niceness.cancel()
            release.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await browser.close()


def run_load(app: Path, sessions: int, seconds: float, readers_nice: int = READERS_NICE) -> LoadResult:
    """The whole load run, bounded by ``wall_bound_s``; the server is gone when this returns.

    On one machine the readers' browsers compete with the server for its cores; ``readers_nice`` lowers
    the priority of the browser's and the driver's threads so the server is served first, as it would be
    on a machine of its own. 0 lets them compete as equals.
    """
    result = LoadResult(sessions, seconds, readers_nice=readers_nice)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="summit-load-") as folder:
        log, run_times = Path(folder) / "streamlit.log", Path(folder) / "runs.txt"
        with serve_app(app, log, run_times) as (url, pid):
            result.rss_idle_mb = rss_mb(pid)
            budget = wall_bound_s(sessions, seconds) - SERVER_START_S
            try:
                asyncio.run(asyncio.wait_for(_crowd(url, pid, sessions, seconds, result), budget))
            except TimeoutError:
                result.errors.append(f"the run hit its bound of {budget:.0f} s and was stopped")
        hold_to = result.hold_from + seconds
        for line in run_times.read_text(encoding="utf-8").splitlines() if run_times.exists() else []:
            run_started, wall, cpu, waited = (float(value) for value in line.split())
            if result.hold_from <= run_started < hold_to:
                result.server_runs.append((wall, cpu, waited))
        result.server_log_tail = "\n".join(
            line for line in log.read_text(encoding="utf-8").splitlines() if "Traceback" in line or "Error" in line
        )[-2000:]
    result.wall_s = time.monotonic() - started
    return result
