"""Generated datasets of growing size: load and validate, first pages, reruns to new days."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from benchmarks import targets
from benchmarks.common import APP, Figure, apptest, median_ms, quiet, timed_run
from benchmarks.generate import generate
from components import keys
from components.dataset import load_dataset, query


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
            if not str(getattr(cache, "display_name", "")).endswith((".dataset", ".local_assets")):
                cache.clear()
    return True


def _day_widget(at: AppTest) -> Any:
    """The day control: a slider of trip days over several trips, a slider of dates over one."""
    try:
        return at.slider(key=keys.DAY)
    except KeyError:
        return at.select_slider(key=keys.DAY)


def _days(at: AppTest, data: Path) -> list[int]:
    """The days the control offers: the chosen years' trip days."""
    ds = load_dataset(data)
    first, last = query.day_range(ds, query.trip_ids_for_years(ds, at.pills(key=keys.YEARS).value))
    return list(range(first, last + 1))


def measure_scale(sizes: list[int], moves: int) -> list[Figure]:
    """Generated datasets: load + validate, a new server's first page (load included), a reader's
    first page once the dataset is loaded (nothing else cached), and reruns to days not seen before."""
    quiet()
    figures = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"summit-map-{size}-") as folder:
            data = Path(folder)
            generate(data, size)
            start = time.perf_counter()
            load_dataset(data)
            load_s = time.perf_counter() - start
            cold = apptest(APP, data)
            cold_s = timed_run(cold.run)
            if cold.exception:
                raise RuntimeError(f"the app failed on {size} events: {cold.exception[0].message}")
            firsts = []
            for _ in range(3):
                if not _clear_all_but_the_dataset():
                    break
                reader = apptest(APP, data)
                firsts.append(timed_run(reader.run))
            first_s = statistics.median(firsts) if firsts else cold_s
            at = apptest(APP, data)
            at.run()
            days = _days(at, data)
            reruns = []
            for index in range(moves):
                day = days[index % len(days)]  # from the first day on: views this server has not drawn
                reruns.append(timed_run(lambda at=at, day=day: _day_widget(at).set_value(day).run()))
            rerun_ms = median_ms(reruns)
            target, met = targets.scale_met(size, {"first_s": first_s, "load_s": load_s, "rerun_ms": rerun_ms})
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
