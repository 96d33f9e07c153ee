"""The chosen day in full: its events in time order, trip by trip; run-up and aftermath apart."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import day_label, t
from components.panels.overview import certainty_meanings
from components.panels.text import CATEGORY_ICONS, badge, md

# With hundreds of trips a day can hold thousands of events; the day column lists this many, the
# table below all of them.
DAY_PANEL_MAX_EVENTS = 60
DAY_PANEL_MAX_SECTIONS = 12


_RANGE = re.compile(r"^range (\d\d:\d\d\s*[–-]\s*\d\d:\d\d)")


def _event_time(event: Mapping[str, Any], lang: str = "en") -> str:
    """The time as the data gives it: '10:30', 'c. 10:00' (about), '18:00 (planned)', '15:27–15:30', 'morning'."""
    time = str(event.get("time", "") or "")
    note = str(event.get("time_note", "") or "").strip().lower()
    if not time:
        part = str(event.get("part_of_day", "") or "")
        return t(part, lang) if part else ""
    if match := _RANGE.match(note):
        return match.group(1).replace(" ", "")
    if note.startswith("about"):
        return f"{t('c.', lang)} {time}"
    if note.startswith("planned"):
        return f"{time} ({t('planned', lang)})"
    return time


def _day_event(
    ds: Dataset, event: Mapping[str, Any], show_date: bool, on_select: Callable[[str, str], None], lang: str
) -> None:
    """One event of the day list: time, title, certainty, and its place as a button that selects it."""
    icon = CATEGORY_ICONS.get(event["category"], ":material/event:")
    when = _event_time(event, lang)
    if show_date:
        when = day_label(event["date"].date(), lang, weekday=False) + (f", {when}" if when else "")
    lead = f"**{md(when)}** · " if when else ""
    st.markdown(f"{lead}{icon} **{md(event['title'])}** {badge(event['certainty'], lang)}")
    place = ds.places_by_id.at[event["place_id"], "name"]
    st.button(
        place,
        key=f"day-event-{event['event_id']}",
        icon=":material/location_on:",
        type="tertiary",
        help=f"Show {place} on the map and open its events",
        on_click=on_select,
        args=(event["place_id"], event["event_id"]),
    )


def _count(n: int, lang: str) -> str:
    if lang == "en":
        return f"{n} event{'s' if n != 1 else ''}"
    return t("{n} events", lang, n=n)


def _date_span(events: pd.DataFrame, lang: str) -> str:
    first, last = events["date"].min().date(), events["date"].max().date()
    if first == last:
        return day_label(first, lang, weekday=False)
    return f"{day_label(first, lang, weekday=False)} – {day_label(last, lang, weekday=False)}"


def day_panel(
    ds: Dataset,
    sections: query.DaySections,
    multi_trip: bool,
    on_select: Callable[[str, str], None],
    lang: str = "en",
    hidden: Mapping[str, int] | None = None,
    on_clear: Callable[[], None] | None = None,
) -> None:
    """The chosen day in full: its events in time order with a count, trip by trip; run-up and
    aftermath in their own dated sections, never under the day's heading. ``hidden`` counts, per trip,
    the day's events the filters hide, so an empty day says why."""
    if not sections.on_day:
        st.markdown(f"## {t('No trip on this day', lang)}")
        st.caption(t("None of the selected trips was under way on this day of trip.", lang))
    with st.popover(t("How to read the map", lang), icon=":material/help:"):
        st.markdown(
            t(
                "Move the day to follow the train (solid: travelled, dashed: still ahead); open a numbered "
                "circle, then a place, for its events, quotes and sources.",
                lang,
            )
        )
        st.markdown(certainty_meanings(lang))
    budget = DAY_PANEL_MAX_EVENTS
    listed = total = 0
    for trip_id, when, events in sections.on_day:
        total += len(events)
        if budget <= 0:
            continue
        year = ds.trips_by_id.at[trip_id, "year"]
        title = day_label(when, lang) + (f" · {t('{year} trip', lang, year=year)}" if multi_trip else "")
        st.markdown(f"## {md(title)}")
        day = query.day_of(ds, trip_id, when)
        st.caption(f"{_count(len(events), lang)} · {t('day {day} of the trip · local times', lang, day=day)}")
        if events.empty and (hidden or {}).get(trip_id):
            st.caption(t("The filters hide this day's {n} events.", lang, n=(hidden or {})[trip_id]))
            if on_clear is not None:
                st.button(
                    t("Clear filters", lang),
                    key=f"clear-{trip_id}",
                    on_click=on_clear,
                    icon=":material/filter_alt_off:",
                )
        elif events.empty:
            st.caption(t("No events recorded on this day: the train is travelling.", lang))
        for event in _day_records(ds, events, budget):
            _day_event(ds, event, show_date=False, on_select=on_select, lang=lang)
        listed += min(budget, len(events))
        budget -= len(events)
    parts = [("Before the {year} trip", trip, events) for trip, events in sections.run_up]
    parts += [("After the {year} trip", trip, events) for trip, events in sections.aftermath]
    cut = listed < total or len(parts) > DAY_PANEL_MAX_SECTIONS
    for label, trip_id, events in parts[:DAY_PANEL_MAX_SECTIONS]:
        year = ds.trips_by_id.at[trip_id, "year"]
        span = query.date_span(events) if lang == "en" else _date_span(events, lang)
        with st.expander(f"{t(label, lang, year=year)} · {_count(len(events), lang)} · {span}"):
            # Collapsed sections are drawn too: one budget for the whole column keeps a rerun cheap.
            for event in _day_records(ds, events, max(0, budget)):
                _day_event(ds, event, show_date=True, on_select=on_select, lang=lang)
            if budget < len(events):
                st.caption(t("More on this day than fits here: the table below lists every event.", lang))
        budget -= len(events)
    if cut:
        st.caption(t("More on this day than fits here: the table below lists every event.", lang))


def _day_records(ds: Dataset, events: pd.DataFrame, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` events as plain dicts, taken from the dataset's narrow day-list frame."""
    if limit <= 0 or events.empty:
        return []
    wanted = tuple(events.index[:limit])
    key = ("day_records", wanted)
    records = ds.memo.get(key)
    if records is None:  # a day's list is asked for again on every rerun that shows that day
        records = ds.day_list.loc[list(wanted)].to_dict("records")
        query.remember(ds, key, records)
    return records  # type: ignore[return-value]
