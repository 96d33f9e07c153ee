"""The timeline: every event of the selected trips on one chart, a strip per trip, linked to the page.

Pure builder (dataset + selection in, an Altair chart out). Events sit at their trip day plus their
local time (untimed events spread evenly through their day, in the dataset's order); run-up and
aftermath events get a band of their own before the first and after the last day, so nothing is
drawn under a day it did not happen on. Clicking a mark selects that event (a Vega-Lite point
selection named ``PICK`` on ``event_id``, read back by ``st.altair_chart(on_select=...)``).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from components.dataset.model import Dataset
from components.i18n import t

PICK = "pick"
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


def _minutes(time: str) -> float | None:
    if len(time) == 5 and time[2] == ":" and time[:2].isdigit() and time[3:].isdigit():
        return int(time[:2]) * 60 + int(time[3:])
    return None


def timeline_frame(ds: Dataset, events: pd.DataFrame, trip_ids: Sequence[str], lang: str = "en") -> pd.DataFrame:
    """One row per event with its position on the chart (``x`` in trip days) and what the tooltip says."""
    trips = ds.trips_by_id
    rows = []
    for trip_id in trip_ids:
        trip = trips.loc[trip_id]
        start, end = int(trip["start_day"]), int(trip["end_day"])
        mine = events.loc[events["trip_id"] == trip_id]
        label = f"{trip['year']} · {trip['leader']}"
        for _, day_events in mine.groupby(mine["day"].clip(lower=start - 1, upper=end + 1), sort=True):
            count = len(day_events)
            for rank, (_, event) in enumerate(day_events.iterrows()):
                day = int(event["day"])
                minutes = _minutes(str(event["time"]))
                fraction = minutes / 1440 if minutes is not None else (rank + 0.5) / count
                if day < start:
                    base, phase = start - 1, t("before", lang)
                elif day > end:
                    base, phase = end + 1, t("after", lang)
                else:
                    base, phase = day, ""
                rows.append(
                    {
                        "event_id": event["event_id"],
                        "trip": label,
                        "x": base + fraction,
                        "date": event["date"].strftime("%Y-%m-%d") + (f" {event['time']}" if event["time"] else ""),
                        "phase": phase,
                        "title": event["title"],
                        "place": ds.places_by_id.at[event["place_id"], "name"],
                        "category": t(event["category"], lang),
                        "certainty": t(event["certainty"], lang),
                        "certainty_key": event["certainty"],
                    }
                )
    return pd.DataFrame(
        rows,
        columns=["event_id", "trip", "x", "date", "phase", "title", "place", "category", "certainty", "certainty_key"],
    )


def timeline_chart(
    ds: Dataset,
    events: pd.DataFrame,
    trip_ids: Sequence[str],
    day: int,
    selected_event: str | None = None,
    lang: str = "en",
) -> alt.LayerChart:
    """The chart: a band on the chosen day, the events as marks, the chosen event ringed."""
    frame = timeline_frame(ds, events, trip_ids, lang)
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
        alt.Chart(pd.DataFrame({"from": [day], "to": [day + 1]}))
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
    chosen = frame.loc[frame["event_id"] == selected_event] if selected_event else frame.iloc[0:0]
    ring = (
        alt.Chart(chosen)
        # Decoration only: the chosen event is already named in its own mark and in the place panel.
        .mark_point(size=320, shape="circle", filled=False, stroke="#000", strokeWidth=2.5, aria=False)
        .encode(x=alt.X("x:Q", scale=scale, axis=x_axis), y=alt.Y("trip:N", sort=None))
    )
    described = f"{t('Timeline', lang)}: {len(frame)} · {t('Day of trip', lang)} {day}"
    return alt.layer(band, marks, ring).properties(height=alt.Step(STRIP_HEIGHT), description=described)


def picked_event(selection_state: object) -> str | None:
    """The event id a click on the chart chose, from the value ``st.altair_chart`` returns (or None)."""
    selection = getattr(selection_state, "selection", None) or {}
    picked = selection.get(PICK) if hasattr(selection, "get") else None
    if isinstance(picked, list) and picked and isinstance(picked[0], dict):
        value = picked[0].get("event_id")
        return str(value) if value else None
    return None
