"""Every target of the benchmark, in one place: what a figure is held to, and why.

Figures, not verdicts: the table says whether each was met, and the run never fails on them.
"""

from __future__ import annotations

# A rerun after a slider move or a year change, against the bare map's (one st_folium call, nothing else).
RERUN_RATIO = 1.3
# In the browser: first paint against the bare map's; a slider key or a year click until the map changes.
PAINT_RATIO = 1.3
CHANGE_RATIO = 1.3
CHANGE_MS = 200.0
# A marker click until the place's details show.
CLICK_MS = 400.0
# Generated datasets: (events, the bound on a reader's first page in s, on load + validate in s, on a
# rerun to a new day in ms); a size not listed is read as "no worse than linear".
SCALE = {
    10_000: ("≤ 1 s first run, ≤ 300 ms rerun", {"first_s": 1.0, "rerun_ms": 300.0}),
    100_000: ("≤ 10 s load + validate, ≤ 1 s rerun", {"load_s": 10.0, "rerun_ms": 1000.0}),
}
# Many readers at once: errors allowed.
LOAD_ERRORS = 0


def scale_met(size: int, measured: dict[str, float]) -> tuple[str, bool | None]:
    """The target of a dataset size and whether the measured figures meet every bound of it."""
    if size not in SCALE:
        return "no worse than linear", None
    label, bounds = SCALE[size]
    return label, all(measured[name] <= bound for name, bound in bounds.items())
