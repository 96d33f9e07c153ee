"""The timeline: every event of the selected trips on one chart, a strip per trip, linked to the page.

Pure builder (dataset + selection in, a Vega-Lite spec built with Altair out). Events sit at their trip day plus their
local time (a part of the day, "morning", as a bar across its hours with the mark inside it; untimed
events spread evenly through their day, in the dataset's order); run-up and
aftermath events get a band of their own before the first and after the last day, so nothing is
drawn under a day it did not happen on. Clicking a mark selects that event (a Vega-Lite point
selection named ``PICK`` on ``event_id``, read back by ``st.altair_chart(on_select=...)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from components.dataset.model import Dataset
from components.dataset.schema import PART_OF_DAY_HOURS
from components.i18n import t

PICK = "pick"
BAND = "chosen_day"
RING = "chosen_event"
CERTAINTY_SHAPES = {"confirmed": "circle", "reported": "triangle-up", "approximate": "diamond"}
# Twelve categories need twelve distinct colours; Tableau 20's strong half, one per category.
CATEGORY_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
)
STRIP_HEIGHT = 40
# More marks than this and the chart shows one mark per trip, day and category, sized by its count:
# a browser draws a few thousand marks at ease, not a hundred thousand, and the spec stays small.
MAX_MARKS = 3000
MAX_STRIPS = 12


def timeline_frame(ds: Dataset, events: pd.DataFrame, trip_ids: Sequence[str], lang: str = "en") -> pd.DataFrame:
    """One row per event with its position on the chart (``x`` in trip days) and what the tooltip says."""
    columns = ["event_id", "trip", "x", "x_from", "x_to", "date", "phase", "title", "place", "category", "certainty"]
    mine = events.loc[events["trip_id"].isin(trip_ids)]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    trips = ds.trips_by_id
    start = mine["trip_id"].map(trips["start_day"]).astype("int64")
    end = mine["trip_id"].map(trips["end_day"]).astype("int64")
    day = mine["day"].astype("int64")
    # Run-up and aftermath get one band each, just outside the trip's days.
    base = day.clip(lower=start - 1, upper=end + 1)
    times = mine["time"].astype(str)
    timed = times.str.fullmatch(r"\d\d:\d\d")
    minutes = pd.to_numeric(times.str.slice(0, 2), errors="coerce") * 60 + pd.to_numeric(
        times.str.slice(3, 5), errors="coerce"
    )
    group = [mine["trip_id"], base]
    rank = mine.groupby(group, sort=False).cumcount()
    count = mine.groupby(group, sort=False)["event_id"].transform("size")
    fraction = ((rank + 0.5) / count).where(~timed | (base != day), minutes / 1440)
    # A part of the day spans its hours; the events sharing one spread inside it, in the dataset's order.
    part = mine["part_of_day"].astype(str) if "part_of_day" in mine else pd.Series("", index=mine.index)
    hours = {name: _minutes(span[0]) for name, span in PART_OF_DAY_HOURS.items()}
    first = part.map(hours)
    last = part.map({name: _minutes(span[1]) for name, span in PART_OF_DAY_HOURS.items()})
    parted = first.notna() & ~timed & (base == day)
    in_part = mine.groupby([mine["trip_id"], base, part], sort=False).cumcount()
    of_part = mine.groupby([mine["trip_id"], base, part], sort=False)["event_id"].transform("size")
    fraction = fraction.where(~parted, (first + (last - first) * (in_part + 0.5) / of_part) / 1440)
    x_from = (base + first / 1440).where(parted)
    x_to = (base + last / 1440).where(parted)
    phase = pd.Series("", index=mine.index).mask(day < start, t("before", lang)).mask(day > end, t("after", lang))
    # A strip per trip reads up to a dozen trips; beyond that, a strip per year.
    per_trip = trips["year"].astype(str) + " · " + trips["leader"]
    trip_label = mine["trip_id"].map(per_trip if len(trip_ids) <= MAX_STRIPS else trips["year"].astype(str))
    spoken = part.map(lambda name: t(name, lang) if name else "")
    stamp = mine["date"].dt.strftime("%Y-%m-%d") + times.where(times == "", " " + times)
    stamp = stamp + spoken.where(spoken == "", ", " + spoken)
    order = pd.Categorical(mine["trip_id"], categories=list(trip_ids), ordered=True)
    frame = pd.DataFrame(
        {
            "event_id": mine["event_id"],
            "trip": trip_label,
            "x": base + fraction,
            "x_from": x_from,
            "x_to": x_to,
            "date": stamp,
            "phase": phase,
            "title": mine["title"],
            "place": mine["place_id"].map(ds.places_by_id["name"]),
            "category": mine["category"].map(lambda c: t(c, lang)),
            "certainty": mine["certainty"].map(lambda c: t(c, lang)),
            "_order": order,
        }
    )
    return frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)[columns]


@dataclass(frozen=True)
class TimelineSpec:
    """A Vega-Lite spec of the events, with the day band and the chosen-event ring left empty, and
    where each event sits on it."""

    spec: dict[str, Any]
    positions: dict[str, dict[str, Any]]
    # What the marks mean, in the reader's language: (category, colour) and (certainty, shape) pairs.
    categories: tuple[tuple[str, str], ...] = ()
    certainties: tuple[tuple[str, str], ...] = ()


def timeline_spec(ds: Dataset, events: pd.DataFrame, trip_ids: Sequence[str], lang: str = "en") -> TimelineSpec:
    """The chart: a band for the chosen day, the events as marks, a ring for the chosen event."""
    frame = timeline_frame(ds, events, trip_ids, lang)
    if len(frame) > MAX_MARKS:
        frame = _grouped(frame, lang)
    trips = ds.trips_by_id.loc[list(trip_ids)]
    first, last = int(trips["start_day"].min()), int(trips["end_day"].max())
    scale = alt.Scale(domain=[first - 1, last + 2], nice=False, zero=False)
    x_axis = alt.Axis(
        title=t("Day of trip", lang),
        values=list(range(first, last + 1)),
        format="d",
        labelFlush=False,
        grid=True,
        gridDash=[2, 3],
    )
    band = (
        alt.Chart(alt.Data(name=BAND))
        .mark_rect(color="#f2c14e", opacity=0.35)
        .encode(x=alt.X("from:Q", scale=scale, axis=x_axis), x2="to:Q")
    )
    categories = sorted(set(frame["category"])) if not frame.empty else []
    category_scale = alt.Scale(domain=categories, range=list(CATEGORY_COLORS[: max(len(categories), 1)]))
    certainty_labels = [t(key, lang) for key in CERTAINTY_SHAPES]
    pick = alt.selection_point(name=PICK, fields=["event_id"], on="click", clear=False)
    marks = (
        alt.Chart(frame)
        .mark_point(filled=True, size=90, opacity=0.9, stroke="#222", strokeWidth=0.6)
        .encode(
            x=alt.X("x:Q", scale=scale, axis=x_axis),
            y=alt.Y("trip:N", title=None, sort=None, axis=alt.Axis(labelLimit=160)),
            # The key is drawn by the page above the chart (``TimelineSpec.categories``, ``.certainties``): it wraps on a
            # phone, where the chart itself is wider than the screen and scrolls.
            color=alt.Color("category:N", title=t("Category", lang), scale=category_scale, legend=None),
            shape=alt.Shape(
                "certainty:N",
                title=t("Certainty", lang),
                scale=alt.Scale(domain=certainty_labels, range=list(CERTAINTY_SHAPES.values())),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:N", title=t("Date", lang)),
                alt.Tooltip("phase:N", title=" "),
                alt.Tooltip("title:N", title=t("Event", lang)),
                alt.Tooltip("place:N", title=t("Place", lang)),
                alt.Tooltip("category:N", title=t("Category", lang)),
                alt.Tooltip("certainty:N", title=t("Certainty", lang)),
            ],
        )
        .add_params(pick)
    )
    # A part of the day drawn as such: a bar across its hours behind the event's mark, not a minute.
    spans = (
        alt.Chart(frame.dropna(subset=["x_from"]))
        .mark_rule(strokeWidth=5, opacity=0.35, strokeCap="round", aria=False)
        .encode(
            x=alt.X("x_from:Q", scale=scale, axis=x_axis),
            x2="x_to:Q",
            y=alt.Y("trip:N", sort=None),
            color=alt.Color("category:N", scale=category_scale, legend=None),
        )
    )
    ring = (
        alt.Chart(alt.Data(name=RING))
        # Decoration only: the chosen event is already named in its own mark and in the place panel.
        .mark_point(size=320, shape="circle", filled=False, stroke="#000", strokeWidth=2.5, aria=False)
        .encode(x=alt.X("x:Q", scale=scale, axis=x_axis), y=alt.Y("trip:N", sort=None))
    )
    described = f"{t('Timeline', lang)}: {len(frame)}"
    # The bars share the marks' colours but not their legend (theirs would draw faint symbols).
    chart = (
        alt.layer(band, spans, marks, ring)
        .resolve_legend(color="independent")
        .properties(height=alt.Step(STRIP_HEIGHT), description=described)
    )
    # The marks are capped above (MAX_MARKS); Altair's own 5,000-row guard must not turn a big
    # selection into an error page.
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    positions = {row.event_id: {"x": row.x, "trip": row.trip} for row in frame.itertuples(index=False)}
    colours = tuple(zip(categories, CATEGORY_COLORS, strict=False))
    shapes = tuple(zip(certainty_labels, CERTAINTY_SHAPES.values(), strict=True))
    return TimelineSpec(spec, positions, colours, shapes)


def _minutes(clock: str) -> int:
    """'06:30' -> 390; '24:00' is the end of the day."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _grouped(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One mark per trip, day and category: the count in its title, the first event its click target."""
    day = frame["x"].astype(float).floordiv(1)
    groups = frame.assign(day=day).groupby(["trip", "day", "category"], sort=False)
    first = groups.first().reset_index()
    counts = groups.size().to_numpy()
    first["x"] = first["day"] + 0.5
    first["x_from"] = first["x_to"] = float("nan")  # one mark for many events: no single span
    first["title"] = [
        f"{n} × {t('Events', lang)}: {title}" if n > 1 else title
        for n, title in zip(counts, first["title"], strict=True)
    ]
    return first.drop(columns="day")[list(frame.columns)]


def with_selection(base: TimelineSpec, day: int, selected_event: str | None = None) -> dict[str, Any]:
    """The chart for a day and an event: the shared spec with the band and the ring filled in (cheap:
    the marks are not rebuilt or revalidated on every rerun)."""
    spec = dict(base.spec)
    datasets = dict(spec.get("datasets", {}))
    datasets[BAND] = [{"from": day, "to": day + 1}]
    chosen = base.positions.get(selected_event or "")
    datasets[RING] = [chosen] if chosen else []
    spec["datasets"] = datasets
    return spec


def picked_event(selection_state: object) -> str | None:
    """The event id a click on the chart chose, from the value ``st.altair_chart`` returns (or None)."""
    selection = getattr(selection_state, "selection", None) or {}
    picked = selection.get(PICK) if hasattr(selection, "get") else None
    if isinstance(picked, list) and picked and isinstance(picked[0], dict):
        value = picked[0].get("event_id")
        return str(value) if value else None
    return None
