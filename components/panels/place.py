"""The chosen place: a chooser of every place, then its names, coordinates and events with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components import keys
from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import LANGUAGES, day_label, name_column, t
from components.panels.day import _event_time
from components.panels.text import CATEGORY_ICONS, badge, md, safe_link
from components.view import View

# A place's kind and its coordinates' precision as a reader says them (the catalogs translate these).
KIND_LABELS = {
    "station": "railway station", "border_crossing": "border station", "venue": "venue", "university": "university",
    "restaurant": "restaurant", "memorial": "memorial", "cosmodrome": "cosmodrome", "factory": "factory",
    "shipyard": "shipyard", "airfield": "airfield", "naval_base": "naval base", "military": "military site",
    "aquarium": "aquarium", "church": "church", "hotel": "hotel", "consulate": "consulate",
    "government": "government building", "theatre": "theatre", "museum": "museum", "exhibition": "exhibition",
    "port": "port", "shop": "shop", "camp": "camp", "river": "river", "bridge": "bridge", "city": "city",
}  # fmt: skip
PRECISION_LABELS = {
    "site": "the site itself",
    "station": "the station building",
    "approximate": "placed approximately",
}

# A place can gather hundreds of events in a big dataset; draw them a page at a time.
PLACE_PAGE_SIZE = 25


def sources_block(ds: Dataset, source_ids: Sequence[str], evidence: str, lang: str = "en") -> None:
    """An event's quote, named by the source it comes from (the first, as the dataset rules), then every
    source with its link and date."""
    sources = query.sources_for(ds, source_ids).to_dict("records")
    lines = [f"> “{md(evidence)}”"]
    if sources:
        lines.append(f">\n> — {md(t('quoted from {publisher}', lang, publisher=sources[0]['publisher']))}")
    lines.append("")
    for source in sources:
        title = source["title"] or t("(untitled)", lang)
        published = (
            day_label(source["published"].date(), lang, weekday=False)
            if pd.notna(source["published"])
            else t("undated", lang)
        )
        link = safe_link(source["url"]) if source["url"] else ""
        label = f"[{md(title)}]({link})" if link else md(title)
        lines.append(f"- {md(source['publisher'])}: {label} · {md(published)}")
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
    names = []
    for other in LANGUAGES:
        # The name in every language, the English one only where the heading is in another (name_en).
        column = "name_en" if other == "en" else name_column(other)
        value = place.get(column)
        if isinstance(value, str) and value.strip():
            names.append(f"{other.upper()} {md(value)}")
    st.markdown(" · ".join(names) or md(place["name"]))
    kind = md(t(KIND_LABELS.get(place["kind"], place["kind"].replace("_", " ")), lang))
    if events.empty:
        st.caption(kind)
        st.info(t("No events here for the selected years and day.", lang))
        _where_it_is(place, lang)
        return
    n = len(events)
    count = (f"{n} event{'s' if n != 1 else ''} here up to the chosen day" if lang == "en" else
             t("{n} events here up to the chosen day", lang, n=n))  # fmt: skip
    st.caption(f"{kind} · {count}")
    if lang != "en":
        # The dataset's own texts are written once, in English; the page says so rather than leave it a surprise.
        st.caption(
            t("The events' titles, descriptions and notes are in English; quotes keep their source's language.", lang)
        )
    pages = (len(events) - 1) // PLACE_PAGE_SIZE + 1
    if pages > 1:
        if st.session_state.get(keys.PLACE_PAGE, 1) > pages:
            st.session_state[keys.PLACE_PAGE] = 1
        page = st.number_input(f"Page (of {pages}; {len(events)} events)", 1, pages, key=keys.PLACE_PAGE)
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
                st.caption(f"{md(t('Time', lang))}: {md(event['time_note'])}")
            if event["certainty_note"]:
                st.caption(md(event["certainty_note"]))
            sources_block(ds, event["source_ids"], event["evidence"], lang)
            _event_actions(ds, event, page_url, lang)
    _where_it_is(place, lang)


def _where_it_is(place: pd.Series, lang: str) -> None:
    """The place's coordinates, their precision and source, and its note: after the events (the story comes
    first), folded, one click away for the reader who checks the map."""
    with st.expander(t("Where it is: coordinates and source", lang), icon=":material/location_on:"):
        st.caption(
            f"{place['lat']:.4f}, {place['lon']:.4f} "
            f"({md(t(PRECISION_LABELS.get(place['coord_precision'], 'precision not stated'), lang))}) · "
            f"{md(place['coord_source'])}"
        )
        if place["note"]:
            st.caption(md(place["note"]))


def page_url() -> str:
    """The page's address without its query, for links to events."""
    try:
        url = str(st.context.url or "")
    except (AttributeError, RuntimeError):
        url = ""
    found = url.split("?", 1)[0].split("#", 1)[0]
    if found.count("/") == 2:  # "http://host:port" has no path: links need one before the query
        found += "/"
    return found


def place_panel(ds: Dataset, shown: Dataset, view: View, trip_ids: Sequence[str], link_base: str) -> None:
    """The chosen place: a chooser of every place (by name), then its names, coordinates and events."""
    st.html('<div id="place-details"></div>')
    names = ds.place_names
    place_ids = ds.places.sort_values("name")["place_id"].tolist()
    chosen = st.selectbox(
        t("Place", view.lang),
        place_ids,
        index=None,
        key=keys.PLACE,
        format_func=lambda pid: names[pid],
        placeholder=t("Click a marker, or choose a place", view.lang),
    )
    if chosen:
        events = query.events_at_place(shown, chosen, trip_ids, view.day)
        place_details(shown, chosen, events, view.event_id, view.lang, link_base)
    else:
        st.caption(
            t("Click a marker on the map (a numbered circle opens into its places) to see a place's events.", view.lang)
        )
