"""Under the map: the timeline, the headline figures, the trips compared, where the trains are, about."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import pandas as pd
import streamlit as st

from components import keys
from components.dataset import query
from components.dataset.model import Dataset
from components.dataset.query import Figures
from components.i18n import count, day_label, t
from components.panels.text import md
from components.view import View

# The About box introduces the trips; a dataset of hundreds would bury the page in summaries.
ABOUT_MAX_TRIPS = 12


def figures(values: Figures, lang: str = "en") -> None:
    """Headline numbers for the selection."""
    days, places, events, km = st.columns(4)
    days.metric(t("Days", lang), values.days)
    places.metric(t("Places", lang), values.places)
    events.metric(t("Events", lang), values.events)
    km.metric(
        t("Rail km travelled", lang),
        f"{values.rail_km:,.0f}",
        help=t(RAIL_KM_HELP, lang),
    )


RAIL_KM_HELP = (
    "Length of the drawn rail lines. In Russia they are traced OpenStreetMap track, within 2 % of the official "
    "distances; in North Korea Natural Earth's generalised lines, about 8 % short of the kilometre posts; "
    "straight links where neither has the track (Tumangang to the Friendship Bridge, the Vostochny Cosmodrome "
    "branch). data/README.md lists every leg."
)


def certainty_meanings(lang: str) -> str:
    """What confirmed, reported and approximate mean, in one paragraph of the reader's language."""
    return t(
        "**confirmed**: a source says it happened; **reported**: it rests on a single or unnamed source, or a "
        "plan; **approximate**: the date, time or place was inferred.",
        lang,
    )


def about(ds: Dataset, lang: str = "en") -> None:
    """What the map is, how to read it and where the data comes from."""
    with st.expander(t("About this map and its sources", lang)):
        st.markdown(
            t(
                "Summit Map follows the armoured trains that carried North Korea's leaders into the Russian Far "
                "East: Kim Jong Il in August 2002, and Kim Jong Un in April 2019 (Vladivostok) and September 2023 "
                "(Vostochny). Every event cites at least one source and quotes it.",
                lang,
            )
            + " "
            + certainty_meanings(lang)
        )
        st.markdown(
            t(
                "Pick summit years, move the day slider to follow the train (solid = travelled, dashed = still "
                "ahead), and click a marker for that place's events. The link in your address bar keeps your "
                "selection, so you can share it.",
                lang,
            )
        )
        for trip in ds.trips.head(ABOUT_MAX_TRIPS).itertuples(index=False):
            st.markdown(f"**{md(trip.year)} · {md(trip.leader)} — {md(trip.title)}.** {md(trip.summary)}")
        if len(ds.trips) > ABOUT_MAX_TRIPS:
            st.markdown(f"…and {len(ds.trips) - ABOUT_MAX_TRIPS:,} more trips: pick their years above.")
        counts = ds.sources["publisher"].value_counts()
        st.caption(
            f"{len(ds.events)} events from {len(ds.sources)} sources by {len(counts)} publishers. "
            f"Basemap: Natural Earth (public domain), GSHHG coasts (LGPL 3), GeoNames (CC BY 4.0). "
            "Rail routes in Russia: © OpenStreetMap contributors (ODbL)."
        )


def compare(
    ds: Dataset,
    trip_ids: Sequence[str],
    comparison: tuple[Sequence[query.TripSummary], pd.DataFrame],
    lang: str = "en",
) -> None:
    """The selected trips side by side: totals, then where each train was and what happened, day by day."""
    summaries, by_day = comparison
    st.markdown(f"## {t('Compare the trips day by day', lang)}")
    totals = pd.DataFrame(
        {
            t("Trip", lang): [f"{s.year} · {s.leader}" for s in summaries],
            t("Date", lang): [
                f"{day_label(s.first_date, lang, weekday=False)} – {day_label(s.last_date, lang, weekday=False)}"
                for s in summaries
            ],
            t("Trip days", lang): [s.days for s in summaries],
            t("Rail km", lang): [f"{s.rail_km:,.0f}" for s in summaries],
            t("Places", lang): [s.places for s in summaries],
            t("Events", lang): [s.events for s in summaries],
        }
    )
    st.dataframe(totals, hide_index=True, width="stretch")
    table = pd.DataFrame({t("Day", lang): by_day["day"]})
    years = ds.trips_by_id["year"]
    for trip_id in trip_ids:
        year = years[trip_id]
        dates = by_day.get(f"{trip_id}:date")
        if dates is None:
            continue
        table[f"{year}"] = [
            "" if pd.isna(when) else f"{day_label(when, lang)} · {where}"
            for when, where in zip(dates, by_day[f"{trip_id}:where"], strict=True)
        ]
        table[f"{year} · {t('Events', lang)}"] = [
            "" if pd.isna(n) else (f"{count(int(n), 'event', lang)} — {what}" if what else count(int(n), "event", lang))
            for n, what in zip(by_day[f"{trip_id}:events"], by_day[f"{trip_id}:what"].fillna(""), strict=True)
        ]
    # A static table wraps its cells (nothing cut) and keeps the day as its first column on every line.
    st.table(table.set_index(t("Day", lang)))


# The marks' shapes as text, for the key above the chart.
SHAPE_GLYPHS = {"circle": "●", "triangle-up": "▲", "diamond": "◆"}


def timeline_key(categories: Sequence[tuple[str, str]], certainties: Sequence[tuple[str, str]], lang: str) -> str:
    """What the timeline's colours and shapes mean, as HTML that wraps to any width (the chart's own legend
    would scroll away with the chart on a phone). Every label is escaped."""

    def group(title: str, items: list[str]) -> str:
        return f'<div class="summit-key-group"><strong>{escape(title)}</strong> {"".join(items)}</div>'

    shapes = [
        f'<span class="summit-key-item"><span class="summit-key-shape" aria-hidden="true">{SHAPE_GLYPHS.get(shape, "●")}</span> '
        f"{escape(label)}</span>"
        for label, shape in certainties
    ]
    colours = [
        f'<span class="summit-key-item"><span class="summit-key-dot" style="background:{escape(colour)}"></span> '
        f"{escape(label)}</span>"
        for label, colour in categories
    ]
    swipe = escape(t("On a small screen the chart scrolls sideways: swipe it to see every day.", lang))
    return (
        f'<div class="summit-key">{group(t("Certainty", lang), shapes)}{group(t("Category", lang), colours)}'
        f'<div class="summit-key-swipe">{swipe}</div></div>'
    )


def timeline(
    spec: dict[str, Any],
    lang: str,
    categories: Sequence[tuple[str, str]] = (),
    certainties: Sequence[tuple[str, str]] = (),
) -> None:
    """The timeline under the map, with what its marks mean."""
    from components.timeline import PICK

    with st.container(key="timeline-box"):
        st.markdown(f"## {t('Timeline', lang)}")
        st.html(timeline_key(categories, certainties, lang))
        st.vega_lite_chart(spec, key=keys.TIMELINE, on_select="rerun", selection_mode=PICK, width="stretch")
        st.caption(
            t(
                "Each mark is an event at its day and local time; colour is the category, shape the certainty. "
                "A faint bar behind a mark spans the part of the day a source gives instead of a time. "
                "The shaded band is the chosen day. Click a mark to open the event.",
                lang,
            )
        )


def train_positions(ds: Dataset, view: View) -> None:
    """Where each train was at the end of the day, in words, under the map (the map's train has no tooltip)."""
    for line in train_lines(ds, view):
        st.caption(f":material/train: {md(line)}")


def train_lines(ds: Dataset, view: View) -> list[str]:
    """The trains under way on the day, each as '2019 train, end of 25 Apr 2019: Vladivostok station'."""
    if view.day is None:
        return []
    trips = ds.trips_by_id
    places = ds.places_by_id["name"]
    lines = []
    for trip_id in query.trip_ids_for_years(ds, view.years):
        trip = query.route_progress(ds, trip_id, view.day)
        if trip.position is None or not trips.at[trip_id, "start_day"] <= view.day <= trips.at[trip_id, "end_day"]:
            continue
        if not query.by_rail(ds, trip_id):
            continue  # a visit by air: no train to place
        when = day_label(query.trip_date(ds, trip_id, view.day), view.lang, weekday=False)
        if trip.between is not None:
            where = t(
                "en route from {start} to {end}", view.lang, start=places[trip.between[0]], end=places[trip.between[1]]
            )
        else:
            where = str(places.get(trip.at_place, ""))
        lines.append(
            t("{year} train, end of {date}: {where}", view.lang, year=trips.at[trip_id, "year"], date=when, where=where)
        )
    return lines
