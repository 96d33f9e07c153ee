"""One reader of the load run: a browser context of its own that joins, draws the map, then moves the day,
changes the years and clicks places, timing each in the browser (``load_probe.js``)."""

from __future__ import annotations

import asyncio
import random
import re
import time
from contextlib import suppress

from benchmarks.load_config import (
    ACTION_TIMEOUT_S,
    ACTIONS,
    CLICK_REASONS,
    CLICK_TIMEOUT_S,
    DRAW_TIMEOUT_S,
    IDLE,
    MAP_DRAWN,
    MAP_FRAME,
    NOT_LOOPBACK,
    PARTS,
    PROBE,
    SHOWN_ERROR,
    SPLIT,
    THINK_S,
    TURN_BACK,
    VIEWPORT,
    WHERE,
    LoadResult,
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
