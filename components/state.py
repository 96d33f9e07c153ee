"""The view in session state: seeded from the URL, read back from the widgets and repaired, written out.

The widgets hold the view between runs (under the keys in ``keys``). The URL is read on a session's first
run and again whenever it changes behind the page's back (Back and Forward rerun the app with the older
address); otherwise the widgets drive it and the page writes it once a run. ``read_view`` is the one place
where what the widgets hold is checked against the dataset.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import replace
from typing import Any

from components import keys, urls
from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import LANGUAGES
from components.view import View, clamp_day


def sync_from_url(session: MutableMapping[str, Any], params: Mapping[str, Any], ds: Dataset) -> bool:
    """Seed the widgets' state from the URL on a session's first run, and again when the address
    changed without the page writing it (Back, Forward, an edited link). True when it did."""
    current = urls.values(params)
    if session.get(keys.URL_LOADED) and current == session.get(keys.URL_LAST):
        return False
    view, warnings = urls.parse(params, ds)
    first, last = query.day_range(ds, query.trip_ids_for_years(ds, view.years))
    view = replace(view, day=clamp_day(view.day, first, last))
    session[keys.URL_LOADED] = True
    session[keys.URL_LAST] = current
    put_view(session, view)
    # Warnings stay on screen until the reader changes the view they are about.
    session[keys.URL_WARNINGS] = (warnings, view)
    return True


def put_view(session: MutableMapping[str, Any], view: View) -> None:
    """Set the widgets to a view."""
    session[keys.YEARS] = list(view.years)
    session[keys.DAY] = view.day
    session[keys.PLACE] = view.place_id
    session[keys.EVENT] = view.event_id
    session[keys.CATEGORIES] = list(view.filters.categories)
    session[keys.PEOPLE] = list(view.filters.people)
    session[keys.CERTAINTIES] = list(view.filters.certainties)
    session[keys.TEXT] = view.filters.text
    session[keys.LANG] = view.lang


def filters_from(session: Mapping[str, Any]) -> query.Filters:
    """The filters as the widgets hold them."""
    return query.Filters(
        categories=tuple(session.get(keys.CATEGORIES) or ()),
        people=tuple(session.get(keys.PEOPLE) or ()),
        certainties=tuple(session.get(keys.CERTAINTIES) or ()),
        text=str(session.get(keys.TEXT) or "")[: urls.MAX_PARAM_CHARS],
    )


def read_view(session: MutableMapping[str, Any], ds: Dataset, repair: bool = True) -> View:
    """The view the widgets hold, checked against the dataset: years it has, the day inside their trips'
    days, a place it knows, the event only if it is at that place, filter values it knows, a language
    the page speaks. With ``repair`` the widgets are set to it too (only before they are drawn)."""
    known_years = {int(year) for year in ds.trips["year"]}
    years = tuple(sorted({int(y) for y in session.get(keys.YEARS) or () if int(y) in known_years}))
    first, last = query.day_range(ds, query.trip_ids_for_years(ds, years)) if years else (0, 0)
    day = clamp_day(session.get(keys.DAY), first, last) if years else None
    place = session.get(keys.PLACE)
    if place not in ds.places_by_id.index:
        place = None
    event_id = session.get(keys.EVENT)
    event = query.event_row(ds, event_id) if event_id else None
    if event is None or event["place_id"] != place:
        event_id = None
    lang = session.get(keys.LANG)
    if lang not in LANGUAGES:
        lang = "en"
    chosen = filters_from(session)
    filters = query.Filters(
        categories=tuple(c for c in chosen.categories if c in ds.category_values),
        people=tuple(p for p in chosen.people if p in set(query.people_by_frequency(ds))),
        certainties=tuple(c for c in chosen.certainties if c in ds.certainty_values),
        text=chosen.text,
    )
    view = View(years, day, place, event_id, filters, str(lang))
    if repair:
        if years:
            session[keys.DAY] = day
        session[keys.PLACE] = place
        session[keys.EVENT] = event_id
        session[keys.LANG] = lang
        session[keys.CATEGORIES] = list(filters.categories)
        session[keys.PEOPLE] = list(filters.people)
        session[keys.CERTAINTIES] = list(filters.certainties)
    return view


def pending_warnings(session: MutableMapping[str, Any], current: View) -> list[str]:
    """The link's warnings while the view is still the one the link opened; none once the reader acts."""
    stored = session.get(keys.URL_WARNINGS)
    if not stored:
        return []
    messages, opened = stored
    if opened != current:
        session[keys.URL_WARNINGS] = None
        return []
    return list(messages)


def write_url(
    session: MutableMapping[str, Any],
    query_params: MutableMapping[str, Any],
    view: View,
    years_known: Sequence[int],
    default_day: int | None,
) -> None:
    """Put the view in the address bar, only when it changed (each change is a history entry)."""
    params = urls.to_params(view, years_known, default_day)
    if params != session.get(keys.URL_LAST):
        query_params.from_dict(params)  # type: ignore[attr-defined]
        session[keys.URL_LAST] = params


def write_no_years(session: MutableMapping[str, Any], query_params: MutableMapping[str, Any]) -> None:
    """The address of a page with no year chosen (``?years=``), which the default would otherwise fill."""
    params = {urls.YEARS: ""}
    session[keys.URL_LAST] = params
    query_params.from_dict(params)  # type: ignore[attr-defined]


def choose_place(session: MutableMapping[str, Any], place_id: str, event_id: str | None = None) -> None:
    """One selection everywhere: the place (and the event) a click, a list, the day or the table chose."""
    session[keys.PLACE] = place_id
    session[keys.EVENT] = event_id


def open_event(session: MutableMapping[str, Any], ds: Dataset, event_id: str) -> None:
    """Open one event: its year added, its day, its place, its details; play stops."""
    event = query.event_row(ds, event_id)
    if event is None:
        return
    session[keys.YEARS] = sorted(set(session.get(keys.YEARS) or []) | {int(event["year"])})
    session[keys.DAY] = int(event["slider_day"])
    choose_place(session, str(event["place_id"]), str(event["event_id"]))
    session[keys.PLAYING] = False


def take_timeline_choice(session: MutableMapping[str, Any], ds: Dataset, picked: str | None) -> None:
    """A mark clicked on the timeline opens its event (once per new click)."""
    if picked == session.get(keys.LAST_TIMELINE_PICK):
        return
    session[keys.LAST_TIMELINE_PICK] = picked
    if picked:
        open_event(session, ds, picked)


def take_table_choice(session: MutableMapping[str, Any], ds: Dataset) -> bool:
    """A row picked in the events table opens its event (its day, its place, its details), once per new
    pick; True when it did, so the page brings the details into view."""
    table = session.get(keys.TABLE)
    rows = tuple(getattr(getattr(table, "selection", None), "rows", ()) or ())
    if not rows or rows == session.get(keys.LAST_TABLE_ROWS):
        session[keys.LAST_TABLE_ROWS] = rows
        return False
    session[keys.LAST_TABLE_ROWS] = rows
    shown = session.get(keys.TABLE_EVENT_IDS) or []
    event_id = shown[rows[0]] if rows[0] < len(shown) else None
    if event_id is None or query.event_row(ds, event_id) is None:
        return False
    open_event(session, ds, event_id)
    return True


def request_reveal(session: MutableMapping[str, Any]) -> None:
    """Ask the page to bring the chosen place's details into view (a new number each time, so it runs)."""
    session[keys.REVEALS] = int(session.get(keys.REVEALS, 0)) + 1
    session[keys.REVEAL_PLACE] = session[keys.REVEALS]
