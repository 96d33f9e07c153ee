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
import tempfile
import time
from contextlib import AbstractContextManager, suppress
from pathlib import Path

from benchmarks.load_config import (
    ACTION_TIMEOUT_S,
    CHROMIUM,
    CHROMIUM_ARGS,
    DRAW_TIMEOUT_S,
    IDLE_SAMPLE_S,
    RAMP_STEP_S,
    READERS_NICE,
    REPO,
    SERVER,
    SERVER_START_S,
    SETTLE_S,
    TEARDOWN_S,
    LoadResult,
    wall_bound_s,
)
from benchmarks.procstats import _cpu_between, _cpu_snapshot, _processes, rss_mb
from benchmarks.reader import Reader
from tests.devserver import serve

# --- the server --------------------------------------------------------------------------------------


def serve_app(script: Path, log: Path, run_times: Path) -> AbstractContextManager[tuple[str, int]]:
    """The app served through ``load_server.py``, which notes each script run's times in ``run_times``."""
    return serve(script, log=log, launcher=[str(SERVER), str(run_times)], timeout_s=SERVER_START_S)


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
