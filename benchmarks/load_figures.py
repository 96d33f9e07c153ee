"""The load run's result as lines of the table."""

from __future__ import annotations

import statistics
import sys

from benchmarks import targets
from benchmarks.common import APP, Figure
from benchmarks.load import run_load
from benchmarks.load_config import READERS_NICE, percentile


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
            str(targets.LOAD_ERRORS),
            len(result.errors) <= targets.LOAD_ERRORS,
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
