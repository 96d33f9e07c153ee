"""The timeline: every event of the selected trips on one chart, a strip per trip, linked to the page.

Pure builder (dataset + selection in, a Vega-Lite spec built with Altair out). Events sit at their trip day plus their
local time (untimed events spread evenly through their day, in the dataset's order); run-up and
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
    columns = ["event_id", "trip", "x", "date", "phase", "title", "place", "category", "certainty"]
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
    phase = pd.Series("", index=mine.index).mask(day < start, t("before", lang)).mask(day > end, t("after", lang))
    # A strip per trip reads up to a dozen trips; beyond that, a strip per year.
    per_trip = trips["year"].astype(str) + " · " + trips["leader"]
    trip_label = mine["trip_id"].map(per_trip if len(trip_ids) <= MAX_STRIPS else trips["year"].astype(str))
    stamp = mine["date"].dt.strftime("%Y-%m-%d") + times.where(times == "", " " + times)
    order = pd.Categorical(mine["trip_id"], categories=list(trip_ids), ordered=True)
    frame = pd.DataFrame(
        {
            "event_id": mine["event_id"],
            "trip": trip_label,
            "x": base + fraction,
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
    certainty_labels = [t(key, lang) for key in CERTAINTY_SHAPES]
    pick = alt.selection_point(name=PICK, fields=["event_id"], on="click", clear=False)
    marks = (
        alt.Chart(frame)
        .mark_point(filled=True, size=90, opacity=0.9, stroke="#222", strokeWidth=0.6)
        .encode(
            x=alt.X("x:Q", scale=scale, axis=x_axis),
            y=alt.Y("trip:N", title=None, sort=None, axis=alt.Axis(labelLimit=160)),
            color=alt.Color(
                "category:N",
                title=t("Category", lang),
                scale=alt.Scale(domain=categories, range=list(CATEGORY_COLORS[: max(len(categories), 1)])),
                legend=alt.Legend(orient="bottom", columns=7, symbolType="circle", direction="horizontal"),
            ),
            shape=alt.Shape(
                "certainty:N",
                title=t("Certainty", lang),
                scale=alt.Scale(domain=certainty_labels, range=list(CERTAINTY_SHAPES.values())),
                legend=alt.Legend(orient="bottom"),
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
    ring = (
        alt.Chart(alt.Data(name=RING))
        # Decoration only: the chosen event is already named in its own mark and in the place panel.
        .mark_point(size=320, shape="circle", filled=False, stroke="#000", strokeWidth=2.5, aria=False)
        .encode(x=alt.X("x:Q", scale=scale, axis=x_axis), y=alt.Y("trip:N", sort=None))
    )
    described = f"{t('Timeline', lang)}: {len(frame)}"
    chart = alt.layer(band, marks, ring).properties(height=alt.Step(STRIP_HEIGHT), description=described)
    # The marks are capped above (MAX_MARKS); Altair's own 5,000-row guard must not turn a big
    # selection into an error page.
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    positions = {row.event_id: {"x": row.x, "trip": row.trip} for row in frame.itertuples(index=False)}
    return TimelineSpec(spec, positions)


def _grouped(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One mark per trip, day and category: the count in its title, the first event its click target."""
    day = frame["x"].astype(float).floordiv(1)
    groups = frame.assign(day=day).groupby(["trip", "day", "category"], sort=False)
    first = groups.first().reset_index()
    counts = groups.size().to_numpy()
    first["x"] = first["day"] + 0.5
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
