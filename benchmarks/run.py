"""Time every stage of a page rerun on the shipped data and on a copy scaled up to N events.

Speed is measured, not hoped: the app must stay fast at 10,000 events. The script builds a
synthetic dataset in a temporary folder (the shipped trips, places, sources and routes, with
events.csv replicated under unique ids, a share of them full of hostile text), checks that it
validates, then times the same stages on the shipped data (the baseline) and on the scaled copy
in one process, and prints the medians side by side. Figures only: it exits 0 unless the
synthetic dataset does not validate or something crashes.

    .venv/bin/python benchmarks/run.py [--events 10000] [--repeats 5] [--json figures.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a plain script (``python benchmarks/run.py``): the project is not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components import layers
from components.dataset import DATA_DIR_ENV, Dataset, check_dataset, load_dataset, query
from components.dataset.schema import (
    EVENTS_FILE,
    MAX_EVIDENCE_CHARS,
    MAX_TEXT_CHARS,
    PLACES_FILE,
    ROUTES_FILE,
    SOURCES_FILE,
    TRIPS_FILE,
)
from components.state import PLACE_KEY

REPO = Path(__file__).resolve().parents[1]
SHIPPED_DATA = REPO / "data"
APP_FILE = REPO / "app.py"
BASEMAP = SHIPPED_DATA / "basemap.geojson"  # the app always draws the shipped basemap
COPIED_FILES = (TRIPS_FILE, PLACES_FILE, SOURCES_FILE, ROUTES_FILE, BASEMAP.name)
MAX_ID_CHARS = 80  # schema._slug's limit
HOSTILE_EVERY = 10  # one replicated event in ten carries hostile text
SLOW_MS = 1000.0  # a rerun stage above this is worth a profile
APP_TIMEOUT_S = 120.0

# Text the page must show literally, never run or render: markup, maths, quotes, formulas, mixed scripts.
HTML = '<script>alert("x")</script><b>bold</b> & <img src=x onerror=alert(1)> </div></textarea><!--'
MARKDOWN = "[x](javascript:alert(1)) **bold** _it_ `code` # not a heading > not a quote ~~gone~~ :red[red]"
MATH = r"$E=mc^2$ and $$\int_0^1 x\,dx$$ cost $5 or $6"
QUOTES = """"double" 'single' “curly” «guillemets» „low“ ``back`` \\ backslash, commas; semicolons"""
UNICODE = "Ким Чен Ын 김정은 \u202eRTL override\u202c zero\u200bwidth e\u0301 🚂🇰🇵🇷🇺"
FORMULA = '=HYPERLINK("http://example.com","click") +1 -1 @SUM(A1)'
HOSTILE_PARTS = (HTML, MARKDOWN, MATH, QUOTES, UNICODE, FORMULA)


@dataclass(frozen=True)
class Selection:
    """One widget state the page can be in: which trips, which trip day, which place is open."""

    label: str
    trip_ids: tuple[str, ...]
    day: int
    place_id: str


@dataclass(frozen=True)
class Stage:
    """A named piece of work; ``run`` performs it once and returns the seconds its timed part took."""

    name: str
    run: Callable[[], float]


@dataclass
class Result:
    """Samples of one stage on both datasets, in seconds."""

    name: str
    baseline: list[float] = field(default_factory=list)
    scaled: list[float] = field(default_factory=list)

    @staticmethod
    def median_ms(samples: Sequence[float]) -> float | None:
        return statistics.median(samples) * 1000 if samples else None

    @property
    def ratio(self) -> float | None:
        base, scaled = self.median_ms(self.baseline), self.median_ms(self.scaled)
        return scaled / base if base and scaled is not None else None


# --- the synthetic dataset -------------------------------------------------------------------


def replica_id(event_id: str, copy: int) -> str:
    """A unique id for the n-th copy of an event that still fits the id pattern and length."""
    suffix = f"-r{copy:04d}"
    return event_id[: MAX_ID_CHARS - len(suffix)] + suffix


def _fill(text: str, length: int) -> str:
    """Repeat text to exactly ``length`` characters without leading or trailing whitespace."""
    filled = (text.lstrip() * (length // len(text) + 1))[:length]
    return filled[:-1] + ("." if filled[-1].isspace() else filled[-1])


def make_hostile(row: dict[str, str], variant: int) -> dict[str, str]:
    """Replace an event's free text by one kind of hostile text, keeping every value within the schema."""
    hostile = dict(row)
    title, description = row["title"], row["description"]
    kind = variant % 4
    if kind == 0:  # HTML that must not run
        hostile["title"] = f"{HTML} {title}"
        hostile["description"] = f"<div onclick='steal()'>{description}</div>\n{HTML}"
        hostile["evidence"] = '<img src=x onerror=alert(1)> "quoted" evidence'
    elif kind == 1:  # Markdown and maths that must not render
        hostile["title"] = f"{MARKDOWN} {MATH}"
        hostile["description"] = f"# Heading\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{MARKDOWN}\n{MATH}"
        hostile["people"] = "[Kim](javascript:alert(1)); *Putin*; $x$"
    elif kind == 2:  # quotes, commas, a spreadsheet formula and mixed scripts
        hostile["title"] = f"{FORMULA} {QUOTES}"
        hostile["description"] = f"{QUOTES}\n{UNICODE}\n{description}"
        hostile["evidence"] = QUOTES[:MAX_EVIDENCE_CHARS]
        hostile["certainty_note"] = f"{FORMULA}\t{UNICODE}"
    else:  # every field at its longest
        mix = " ".join(HOSTILE_PARTS) + " "
        hostile["title"] = _fill(mix, MAX_TEXT_CHARS)
        hostile["description"] = _fill(mix + "\n", MAX_TEXT_CHARS * 4)
        hostile["people"] = _fill("Kim Jong Un; Vladimir Putin; <b>Shoigu</b>; ", MAX_TEXT_CHARS * 4)
        hostile["evidence"] = _fill(mix, MAX_EVIDENCE_CHARS)
        hostile["certainty_note"] = _fill(mix, MAX_TEXT_CHARS * 4)
    return hostile


def build_scaled_dataset(source: Path, target: Path, n_events: int) -> tuple[int, int]:
    """Write a copy of ``source`` with ``n_events`` events; return (events written, hostile rows).

    Copies keep the original trip, date, place and sources, so every reference stays valid and the
    events spread over trips, days and places in the shipped proportions.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED_FILES:
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)
    with (source / EVENTS_FILE).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        originals = list(reader)
    for column in ("people", "certainty_note"):  # make_hostile fills these
        if column not in header:
            header.append(column)
    rows: list[dict[str, str]] = []
    hostile = 0
    for index in range(n_events):
        copy, position = divmod(index, len(originals))
        row = dict(originals[position])
        if copy:
            row["event_id"] = replica_id(row["event_id"], copy)
            if index % HOSTILE_EVERY == 0:
                row = make_hostile(row, index // HOSTILE_EVERY)
                hostile += 1
        rows.append(row)
    with (target / EVENTS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows), hostile


# --- the stages ------------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> Callable[[], float]:
    """Wrap a callable so that running it returns how long it took."""

    def run() -> float:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start

    return run


def selections(ds: Dataset) -> list[Selection]:
    """The page's typical states: the busiest trip and all trips, at a mid day and at the last day.

    The open place is the one with the most events in the selection, the worst case for its panel.
    """
    busiest_trip = str(ds.events["trip_id"].value_counts().idxmax())
    chosen: list[Selection] = []
    for label, trip_ids in (("1 trip", (busiest_trip,)), ("all trips", tuple(ds.trips["trip_id"]))):
        first, last = query.day_range(ds, trip_ids)
        for when, day in (("mid day", (first + last) // 2), ("last day", last)):
            events = query.events_until(ds, trip_ids, day)
            place_id = str(events["place_id"].value_counts().idxmax())
            chosen.append(Selection(f"{label}, {when}", trip_ids, day, place_id))
    return chosen


def page_queries(ds: Dataset, sel: Selection) -> None:
    """The data-layer calls app.py and its layers make on one rerun for one selection."""
    query.day_range(ds, sel.trip_ids)
    until = query.events_until(ds, sel.trip_ids, sel.day)
    query.events_on_day(ds, sel.trip_ids, sel.day)
    query.events_at_place(ds, sel.place_id, sel.trip_ids, sel.day)
    query.headline(ds, sel.trip_ids, sel.day)
    for trip_id in sel.trip_ids:
        query.route_progress(ds, trip_id, sel.day)
    query.places_of(ds, until)
    layers.view_for(ds, sel.trip_ids)


def render_map(ds: Dataset, sel: Selection, view: layers.View, basemap: dict[str, Any] | None) -> str:
    """The whole map as one HTML page: base map, the selection's layers, rendered.

    The basemap arrives parsed and the view computed, as the app caches both across reruns.
    """
    fmap = layers.build_base_map(ds, basemap, view)
    return layers.render_html(fmap, layers.dynamic_layers(ds, sel.trip_ids, sel.day, sel.place_id))


class _DropBareModeWarning(logging.Filter):
    """AppTest sets session state from the main thread; Streamlit warns about that on every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def _quiet_bare_mode_warning() -> None:
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if not any(isinstance(f, _DropBareModeWarning) for f in logger.filters):
        logger.addFilter(_DropBareModeWarning())


class AppRun:
    """Runs app.py under AppTest against a data folder: a first run on empty caches, then reruns.

    The first run pays for loading the dataset (st.cache_resource is cleared before it); a rerun is
    what a user waits for after moving a widget, and the rerun with a place open is what a click on
    the busiest marker costs. All go through the real page, st_folium included.
    """

    def __init__(self, folder: Path, place_id: str) -> None:
        self.folder = folder
        self.place_id = place_id
        self.app: Any = None
        self.failures: list[str] = []

    def _run(self) -> float:
        previous = os.environ.get(DATA_DIR_ENV)
        os.environ[DATA_DIR_ENV] = str(self.folder)
        try:
            start = time.perf_counter()
            self.app.run(timeout=APP_TIMEOUT_S)
            elapsed = time.perf_counter() - start
        finally:
            if previous is None:
                os.environ.pop(DATA_DIR_ENV, None)
            else:
                os.environ[DATA_DIR_ENV] = previous
        self._check()
        return elapsed

    def _check(self) -> None:
        for problem in (
            *(f"exception: {e.message}" for e in self.app.exception),
            *(f"error: {e.value}" for e in self.app.error),
        ):
            self._note(problem)

    def _note(self, problem: str) -> None:
        if problem not in self.failures:
            self.failures.append(problem)

    def first_run(self) -> float:
        import streamlit as st
        from streamlit.testing.v1 import AppTest

        _quiet_bare_mode_warning()

        st.cache_resource.clear()
        self.app = AppTest.from_file(str(APP_FILE), default_timeout=APP_TIMEOUT_S)
        return self._run()

    def rerun(self) -> float:
        if self.app is None:
            self.first_run()
        return self._run()

    def rerun_with_place(self) -> float:
        if self.app is None:
            self.first_run()
        try:
            self.app.selectbox(key=PLACE_KEY).select(self.place_id)
        except KeyError:
            self._note(f"no place selectbox (key {PLACE_KEY!r}) to open {self.place_id!r}")
        return self._run()


def stages(folder: Path, ds: Dataset, with_app: bool) -> tuple[list[Stage], AppRun | None]:
    """Every stage for one dataset folder, in the order they are reported."""
    chosen = selections(ds)
    default = next(s for s in chosen if s.label == "all trips, last day")  # what a new visitor sees
    one_mid = next(s for s in chosen if s.label == "1 trip, mid day")
    view = layers.view_for(ds, tuple(ds.trips["trip_id"]))
    basemap = layers.load_basemap(BASEMAP)
    found: list[Stage] = [
        Stage("validate (check_dataset)", timed(lambda: check_dataset(folder))),
        Stage("load (load_dataset)", timed(lambda: load_dataset(folder))),
    ]
    for sel in chosen:
        found.append(Stage(f"queries: {sel.label}", timed(lambda sel=sel: page_queries(ds, sel))))
    for sel in (one_mid, default):
        found.append(
            Stage(
                f"dynamic_layers: {sel.label}",
                timed(lambda sel=sel: layers.dynamic_layers(ds, sel.trip_ids, sel.day, sel.place_id)),
            )
        )
    found.append(Stage(f"map HTML: {default.label}", timed(lambda: render_map(ds, default, view, basemap))))
    app = AppRun(folder, default.place_id) if with_app else None
    if app is not None:
        found.append(Stage("app first run (AppTest, empty cache)", app.first_run))
        found.append(Stage("app rerun (AppTest, cached data)", app.rerun))
        found.append(Stage("app rerun, busiest place open (AppTest)", app.rerun_with_place))
    return found, app


def measure(stage: Stage, repeats: int, warmup: int) -> list[float]:
    """Run a stage ``warmup`` times untimed (imports, template compiles), then ``repeats`` times."""
    for _ in range(warmup):
        stage.run()
    return [stage.run() for _ in range(repeats)]


# --- reporting -------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def table(results: Sequence[Result], baseline_events: int, scaled_events: int) -> str:
    """A Markdown table, so the same text goes into the terminal and into benchmarks/README.md."""
    head = ("stage", f"baseline ms ({baseline_events:,} events)", f"scaled ms ({scaled_events:,} events)", "ratio")
    rows = [
        (
            r.name,
            _ms(r.median_ms(r.baseline)),
            _ms(r.median_ms(r.scaled)),
            "—" if r.ratio is None else f"{r.ratio:,.1f}×",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (head, *rows)) for i in range(4)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cells[0].ljust(widths[0]),
            *(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)),
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(["-" * (widths[0] + 2), *("-" * (w + 1) + ":" for w in widths[1:])]) + "|"
    return "\n".join([line(head), rule, *(line(row) for row in rows)])


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def run_dataset(label: str, folder: Path, args: argparse.Namespace) -> tuple[dict[str, list[float]], int, list[str]]:
    """Time every stage on one folder; return samples by stage name, the event count and app failures."""
    ds = load_dataset(folder)
    found, app = stages(folder, ds, with_app=not args.no_app)
    samples: dict[str, list[float]] = {}
    for stage in found:
        print(f"  {label}: {stage.name} …", file=sys.stderr, flush=True)
        samples[stage.name] = measure(stage, args.repeats, args.warmup)
    return samples, len(ds.events), app.failures if app else []


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the scaled dataset (default 10000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per stage; the median is shown (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per stage before timing (default 1)")
    parser.add_argument("--baseline", type=Path, default=SHIPPED_DATA, help="dataset to scale up (default data/)")
    parser.add_argument("--json", type=Path, help="also write the figures and every sample to this file")
    parser.add_argument("--no-app", action="store_true", help="skip the AppTest stages (the slowest to measure)")
    parser.add_argument("--keep", action="store_true", help="keep the scaled dataset and print its folder")
    args = parser.parse_args(argv)
    if args.events < 1 or args.repeats < 1 or args.warmup < 0:
        parser.error("--events and --repeats must be at least 1, --warmup at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="summit-map-bench-"))
    try:
        scaled_dir = workdir / "data"
        written, hostile = build_scaled_dataset(args.baseline, scaled_dir, args.events)
        checked = check_dataset(scaled_dir)
        if checked.problems or len(checked.events) != written:
            for problem in checked.problems[:50]:
                print(problem, file=sys.stderr)
            print(
                f"the synthetic dataset in {scaled_dir} is invalid: {len(checked.problems)} problem(s), "
                f"{len(checked.events)} of {written} events usable (--keep keeps it for a look)",
                file=sys.stderr,
            )
            return 1
        print(f"scaled dataset: {written:,} events ({hostile:,} with hostile text) in {scaled_dir}", file=sys.stderr)

        base_samples, base_events, base_failures = run_dataset("baseline", args.baseline, args)
        scaled_samples, scaled_events, scaled_failures = run_dataset("scaled", scaled_dir, args)
    finally:
        if args.keep:
            print(f"kept the scaled dataset in {workdir / 'data'}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    results = [Result(name, base_samples.get(name, []), scaled_samples.get(name, [])) for name in base_samples]
    when = datetime.now(UTC)
    info = machine()
    print(
        f"Summit Map benchmark, {when:%Y-%m-%d %H:%M} UTC, {info['cpus']} CPUs, Python {info['python']}, "
        f"median of {args.repeats} run(s) after {args.warmup} warm-up"
    )
    print(table(results, base_events, scaled_events))
    slow = [r.name for r in results if (r.median_ms(r.scaled) or 0.0) > SLOW_MS]
    if slow:
        print(f"\nover {SLOW_MS:,.0f} ms at {scaled_events:,} events: {'; '.join(slow)}")

    if args.json:
        document = {
            "date": when.isoformat(timespec="seconds"),
            "machine": info,
            "repeats": args.repeats,
            "warmup": args.warmup,
            "baseline": {"folder": str(args.baseline), "events": base_events},
            "scaled": {"events": scaled_events, "hostile_events": hostile},
            "stages": [
                {
                    "stage": r.name,
                    "baseline_ms": r.median_ms(r.baseline),
                    "scaled_ms": r.median_ms(r.scaled),
                    "ratio": r.ratio,
                    "baseline_samples_ms": [s * 1000 for s in r.baseline],
                    "scaled_samples_ms": [s * 1000 for s in r.scaled],
                }
                for r in results
            ],
            "app_failures": {"baseline": base_failures, "scaled": scaled_failures},
        }
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    failures = [f"baseline {f}" for f in base_failures] + [f"scaled {f}" for f in scaled_failures]
    for failure in failures:
        print(f"app failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
