"""Small page panels fed plain values: figures, the day's events, a place's details, the table, about.

Dataset text is never trusted as Markdown: every value goes through ``md`` so that a bracket, an
asterisk, a dollar sign or an HTML tag in a description shows as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from components import export
from components.dataset import query
from components.dataset.model import Dataset
from components.dataset.query import Figures
from components.dataset.reading import Problem
from components.i18n import day_label, t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
CERTAINTY_COLORS = {"confirmed": "green", "reported": "orange", "approximate": "gray"}
# Material Symbols ship with Streamlit, so they render offline where emoji fonts may be missing.
CATEGORY_ICONS = {
    "announcement": ":material/campaign:",
    "travel": ":material/train:",
    "arrival": ":material/login:",
    "departure": ":material/logout:",
    "summit": ":material/handshake:",
    "talks": ":material/forum:",
    "tour": ":material/factory:",
    "meal": ":material/restaurant:",
    "gift": ":material/redeem:",
    "ceremony": ":material/military_tech:",
    "commemoration": ":material/history_edu:",
    "context": ":material/newspaper:",
}
MAX_PROBLEMS_SHOWN = 50
# A place can gather hundreds of events in a big dataset; draw them a page at a time.
PLACE_PAGE_SIZE = 25
PLACE_PAGE_KEY = "place_page"
# With hundreds of trips a day can hold thousands of events; the day column lists this many, the
# table below all of them.
DAY_PANEL_MAX_EVENTS = 60
DAY_PANEL_MAX_SECTIONS = 12
# The About box introduces the trips; a dataset of hundreds would bury the page in summaries.
ABOUT_MAX_TRIPS = 12


def badge(certainty: str, lang: str = "en") -> str:
    """A certainty as a coloured badge, in the page's language."""
    return f":{CERTAINTY_COLORS.get(certainty, 'gray')}-badge[{md(t(certainty, lang))}]"


def md(text: object) -> str:
    """Escape a value for Streamlit Markdown so it renders literally (no links, HTML, maths or emphasis)."""
    value = "" if text is None else str(text)
    return _MD_SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def safe_link(url: str) -> str:
    """An http(s) URL made safe inside a Markdown link target (spaces and brackets percent-encoded)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return ""
    path = quote(parts.path, safe="/%:@!$&'*+,;=-._~")
    query_string = quote(parts.query, safe="=&%:@!$'*+,;/?-._~")
    return urlunsplit((parts.scheme, parts.netloc, path, query_string, "")).replace("(", "%28").replace(")", "%29")


def _when(date: pd.Timestamp, time: str) -> str:
    return date.strftime("%d %b %Y") + (f", {time}" if time else "")


def dataset_error(folder: str, problems: Sequence[Problem]) -> None:
    """Explain a dataset that failed validation, listing its problems, instead of a traceback."""
    st.error(f"The dataset in {md(folder)} did not validate, so the map cannot be drawn.", icon=":material/error:")
    shown = "\n".join(str(problem) for problem in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    st.code(shown + (f"\n… and {more} more" if more > 0 else ""), language=None)
    st.caption("Fix these lines (run `./dev validate` to check again), then reload the page.")


def warnings(messages: Iterable[str]) -> None:
    for message in messages:
        st.warning(message, icon=":material/warning:")


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
) -> None:
    """The chosen day in full: its events in time order with a count, trip by trip; run-up and
    aftermath in their own dated sections, never under the day's heading."""
    if not sections.on_day:
        st.markdown(f"## {t('No trip on this day', lang)}")
        st.caption(t("None of the selected trips was under way on this day of trip.", lang))
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
        if events.empty:
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


def sources_block(ds: Dataset, source_ids: Sequence[str], evidence: str) -> None:
    """An event's sources with links, and the quote from the first one."""
    lines = [f"> “{md(evidence)}”", ""]
    for source in query.sources_for(ds, source_ids).to_dict("records"):
        title = source["title"] or "(untitled)"
        published = source["published"].strftime("%d %b %Y") if pd.notna(source["published"]) else "undated"
        link = safe_link(source["url"]) if source["url"] else ""
        label = f"[{md(title)}]({link})" if link else md(title)
        seed = " · seed article" if source["seed_file"] else ""
        lines.append(f"- {md(source['publisher'])}: {label} · {md(published)}{md(seed)}")
    st.markdown("\n".join(lines))


def _event_actions(ds: Dataset, event: pd.Series, page_url: str, lang: str) -> None:
    """ "Link" and "Cite" for one event: each opens a box whose text copies with one click."""
    link = f"{page_url}?{urlencode({'event': event['event_id']})}"
    link_col, cite_col = st.columns(2)
    with link_col.popover(t("Link", lang), icon=":material/link:"):
        st.caption(t("A link that opens this event:", lang))
        st.code(link, language=None, wrap_lines=True)
    with cite_col.popover(t("Cite", lang), icon=":material/format_quote:"):
        st.caption(t("A reference for this event (copy with the button at the right):", lang))
        st.code(query.citation(ds, event, link), language=None, wrap_lines=True)


def place_details(
    ds: Dataset,
    place_id: str,
    events: pd.DataFrame,
    open_event: str | None = None,
    lang: str = "en",
    page_url: str = "",
) -> None:
    """A place's names and its events in order, each with certainty, people, sources and the quote.

    Short lists open in full; long ones open the chosen event (or the first) and fold the rest.
    """
    place = ds.places_by_id.loc[place_id]
    st.markdown(f"## {md(place['name'])}")
    names = [
        f"EN {md(place['name_en'])}" if place.get("name_en") else "",
        f"RU {md(place['name_ru'])}" if place["name_ru"] else "",
        f"KO {md(place['name_ko'])}" if place["name_ko"] else "",
    ]
    st.markdown(" · ".join(n for n in names if n) or "no Russian or Korean name recorded")
    st.caption(
        f"{md(place['kind'].replace('_', ' '))} · {place['lat']:.4f}, {place['lon']:.4f} "
        f"({md(place['coord_precision'] or 'precision not stated')}) · {md(place['coord_source'])}"
    )
    if place["note"]:
        st.caption(md(place["note"]))
    if events.empty:
        st.info(t("No events here for the selected years and day.", lang))
        return
    n = len(events)
    st.caption(f"{n} event{'s' if n != 1 else ''} here up to the chosen day" if lang == "en" else
               t("{n} events here up to the chosen day", lang, n=n))  # fmt: skip
    pages = (len(events) - 1) // PLACE_PAGE_SIZE + 1
    if pages > 1:
        if st.session_state.get(PLACE_PAGE_KEY, 1) > pages:
            st.session_state[PLACE_PAGE_KEY] = 1
        page = st.number_input(f"Page (of {pages}; {len(events)} events)", 1, pages, key=PLACE_PAGE_KEY)
        events = events.iloc[(page - 1) * PLACE_PAGE_SIZE : page * PLACE_PAGE_SIZE]
    trips = ds.trips_by_id
    wanted = open_event if open_event in set(events["event_id"]) else None
    for position, (_, event) in enumerate(events.iterrows()):
        year = trips.at[event["trip_id"], "year"]
        icon = CATEGORY_ICONS.get(event["category"], ":material/event:")
        time = _event_time(event, lang)
        when = day_label(event["date"].date(), lang, weekday=False)
        label = f"{icon} {md(when)}{', ' + md(time) if time else ''} · {md(event['title'])}"
        expanded = len(events) <= 3 or event["event_id"] == wanted or (wanted is None and position == 0)
        with st.expander(label, expanded=expanded):
            trip_label = t("{year} trip", lang, year=year)
            st.markdown(f"{badge(event['certainty'], lang)} · {md(t(event['category'], lang))} · {md(trip_label)}")
            if event["description"]:
                st.markdown(md(event["description"]))
            if event["people"]:
                st.markdown(f"**{t('People', lang)}:** {md(event['people'].replace(';', ','))}")
            if event.get("time_note"):
                st.caption(f"Time: {md(event['time_note'])}")
            if event["certainty_note"]:
                st.caption(md(event["certainty_note"]))
            sources_block(ds, event["source_ids"], event["evidence"])
            _event_actions(ds, event, page_url, lang)


def events_frame(ds: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """The events table as shown and downloaded: readable columns, publishers instead of ids."""
    places = ds.places_by_id["name"]
    publishers = events["event_id"].map(ds.publishers_by_event)
    return pd.DataFrame(
        {
            "date": events["date"].dt.date,
            "time": events["time"],
            "year": events["year"],
            "place": events["place_id"].map(places),
            "category": events["category"],
            "title": events["title"],
            "certainty": events["certainty"],
            "people": events["people"],
            "sources": publishers.fillna(""),
            "evidence": events["evidence"],
            "event_id": events["event_id"],
        }
    )


def events_table(ds: Dataset, events: pd.DataFrame, key: str) -> str | None:
    """Sortable, searchable table of the selection; returns the chosen row's event id."""
    frame = events_frame(ds, events)
    chosen = st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "year": st.column_config.NumberColumn("Trip", format="%d"),
            "title": st.column_config.TextColumn("Event", width="large"),
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
        },
    )
    rows = chosen.selection.rows if chosen is not None else []
    return str(frame.iloc[rows[0]]["event_id"]) if rows and rows[0] < len(frame) else None


def about(ds: Dataset) -> None:
    """What the map is, how to read it and where the data comes from."""
    with st.expander("About this map and its sources"):
        st.markdown(
            "Summit Map follows the armoured trains that carried North Korea's leaders into the Russian Far East: "
            "Kim Jong Il in August 2002, and Kim Jong Un in April 2019 (Vladivostok) and September 2023 (Vostochny). "
            "Every event cites at least one source and quotes it; **confirmed** means a source says it happened, "
            "**reported** rests on a single or unnamed source or a plan, **approximate** means the date, time "
            "or place was inferred."
        )
        st.markdown(
            "Pick summit years, move the day slider to follow the train (solid = travelled, dashed = still "
            "ahead), and click a marker for that place's events. The link in your address bar keeps your "
            "selection, so you can share it."
        )
        for trip in ds.trips.head(ABOUT_MAX_TRIPS).itertuples(index=False):
            st.markdown(f"**{md(trip.year)} · {md(trip.leader)} — {md(trip.title)}.** {md(trip.summary)}")
        if len(ds.trips) > ABOUT_MAX_TRIPS:
            st.markdown(f"…and {len(ds.trips) - ABOUT_MAX_TRIPS:,} more trips: pick their years above.")
        counts = ds.sources["publisher"].value_counts()
        st.caption(
            f"{len(ds.events)} events from {len(ds.sources)} sources by {len(counts)} publishers. "
            f"Basemap: Natural Earth (public domain), GSHHG coasts (LGPL 3), GeoNames (CC BY 4.0). "
            "Rail routes in Russia: © OpenStreetMap contributors (ODbL). Data folder: {md(ds.data_dir)}"
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
            t("Rail km", lang): [round(s.rail_km) for s in summaries],
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
            "" if pd.isna(count) else f"{int(count)}: {what}"
            for count, what in zip(by_day[f"{trip_id}:events"], by_day[f"{trip_id}:what"].fillna(""), strict=True)
        ]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={column: st.column_config.TextColumn(column, width="large") for column in table.columns[1:]},
    )


def downloads(
    ds: Dataset,
    events: pd.DataFrame,
    trip_ids: Sequence[str],
    years: Sequence[int],
    day: int,
    place_id: str | None,
    lang: str = "en",
) -> None:
    """The selection as CSV, GeoJSON and an offline map, and the whole dataset; each file is built only
    when its button is pressed."""
    st.markdown(f"### {t('Take the data away', lang)}")
    files: list[tuple[str, Callable[[], bytes], str, str, str]] = [
        ("Events (CSV)", lambda: export.events_csv(ds, events),
         export.export_filename("events", years, day, "csv"), "text/csv", ":material/table:"),
        ("Events and route (GeoJSON)", lambda: export.selection_geojson(ds, events, trip_ids, day),
         export.export_filename("events-and-route", years, day, "geojson"), "application/geo+json", ":material/map:"),
        ("Map (HTML, opens offline)", lambda: export.standalone_html(ds, trip_ids, day, place_id, lang).encode(),
         export.export_filename("map", years, day, "html"), "text/html", ":material/public:"),
        ("Whole dataset (zip)", lambda: export.dataset_zip(ds.data_dir),
         "summit-map-data.zip", "application/zip", ":material/folder_zip:"),
    ]  # fmt: skip
    for column, (label, build, name, mime, icon) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(t(label, lang), build, file_name=name, mime=mime, on_click="ignore", icon=icon)
