"""The load run's settings, bounds and result: what ``load.py`` drives, ``reader.py`` does and
``load_figures.py`` reports."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.procstats import CpuUse

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
