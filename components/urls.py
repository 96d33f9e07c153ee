"""A view to URL parameters and back: every address the page writes is built here.

The URL carries ids only (``?years=2019,2023&day=2&place=khasan_station&event=…&cat=gift&lang=ru``) so a
view can be shared: years, day, place, event, the filters (category, people, certainty, text) and the
language. ``?event=<event_id>`` alone opens that event: its trip, its day, its place. An address that names
no year, day, place or event opens on the latest summit meeting (``query.opening_event``). Parsing is pure and
forgiving: a bad parameter becomes a readable warning and a default, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import LANGUAGES
from components.view import View, all_years, default_years

YEARS = "years"
DAY = "day"
PLACE = "place"
EVENT = "event"
CATEGORY = "cat"
PEOPLE = "who"
CERTAINTY = "sure"
TEXT = "q"
LANG = "lang"
MAX_PARAM_CHARS = 200


def first_value(value: Any) -> str:
    """One parameter's value (the last, if it was given several times), cut to a sane length."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)[:MAX_PARAM_CHARS]


def values(params: Mapping[str, Any]) -> dict[str, str]:
    """The parameters as plain strings, for comparing one address with another."""
    return {str(key): first_value(value) for key, value in params.items()}


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:39] + "…")


def _listed(
    params: Mapping[str, Any], key: str, known: Sequence[str], what: str, warnings: list[str]
) -> tuple[str, ...]:
    """A comma-separated parameter kept to the values the dataset knows, each unknown one warned about."""
    if key not in params:
        return ()
    wanted: list[str] = []
    for part in (p.strip() for p in first_value(params[key]).split(",") if p.strip()):
        if part in known:
            wanted.append(part)
        else:
            warnings.append(f"Ignored {what} {_shown(part)} in the link: not in the dataset.")
    return tuple(dict.fromkeys(wanted))


def _filters(params: Mapping[str, Any], ds: Dataset, warnings: list[str]) -> query.Filters:
    return query.Filters(
        categories=_listed(params, CATEGORY, sorted(set(ds.events["category"])), "category", warnings),
        people=_listed(params, PEOPLE, query.people_by_frequency(ds), "person", warnings),
        certainties=_listed(params, CERTAINTY, sorted(set(ds.events["certainty"])), "certainty", warnings),
        text=first_value(params.get(TEXT, "")).strip(),
    )


def parse(params: Mapping[str, Any], ds: Dataset) -> tuple[View, list[str]]:
    """A view from URL parameters, anything invalid replaced by its default, and a warning for each."""
    years_known = all_years(ds)
    warnings: list[str] = []
    shown_by_default = default_years(years_known)
    lang = first_value(params.get(LANG, "en")).strip() or "en"
    if lang not in LANGUAGES:
        warnings.append(f"Ignored language {_shown(lang)} in the link: choose one of {', '.join(LANGUAGES)}.")
        lang = "en"
    filters = _filters(params, ds, warnings)
    event = None
    if not any(key in params for key in (YEARS, DAY, PLACE, EVENT)):
        # A first visit (a bare address, or one that only picks a language or filters) opens on the latest
        # summit meeting; it is written to the address like any other view, so Back returns to it.
        opening = query.opening_event(ds)
        event = query.event_row(ds, opening) if opening else None
    elif EVENT in params:
        raw = first_value(params[EVENT]).strip()
        event = query.event_row(ds, raw)
        if event is None:
            warnings.append(f"Ignored event {_shown(raw)} in the link: no such event in the dataset.")
    years = shown_by_default
    if YEARS in params:
        wanted: list[int] = []
        for part in (p.strip() for p in first_value(params[YEARS]).split(",") if p.strip()):
            if part.isdigit() and int(part) in years_known:
                wanted.append(int(part))
            else:
                warnings.append(
                    f"Ignored year {_shown(part)} in the link: the dataset has {', '.join(map(str, years_known))}."
                )
        years = tuple(sorted(set(wanted))) or shown_by_default
    if event is not None:
        # The event's own trip, day and place win over the rest of the link; alone, it shows its trip only.
        # A bare address shows the opening event's trip only, too (YEARS is not in it).
        years = tuple(sorted({*years, int(event["year"])})) if YEARS in params else (int(event["year"]),)
        place, event_id = str(event["place_id"]), str(event["event_id"])
        return View(years, int(event["slider_day"]), place, event_id, filters, lang), warnings
    first, last = query.day_range(ds, query.trip_ids_for_years(ds, years))
    day: int | None = None
    if DAY in params:
        raw = first_value(params[DAY]).strip()
        try:
            day = int(raw)
        except ValueError:
            warnings.append(f"Ignored day {_shown(raw)} in the link: it is not a whole number.")
        else:
            if not first <= day <= last:
                warnings.append(f"Day {day} in the link is outside the trips shown ({first} to {last}).")
                day = None
    place_id: str | None = None
    if PLACE in params:
        raw = first_value(params[PLACE]).strip()
        if raw in set(ds.places["place_id"]):
            place_id = raw
        else:
            warnings.append(f"Ignored place {_shown(raw)} in the link: no such place in the dataset.")
    return View(years, day, place_id, None, filters, lang), warnings


def to_params(view: View, years_known: Sequence[int], default_day: int | None = None) -> dict[str, str]:
    """URL parameters for a view, leaving out defaults so shared links stay short."""
    params: dict[str, str] = {}
    # Always written: an address without years opens on the latest summit meeting, not on these years.
    if view.years:
        params[YEARS] = ",".join(str(y) for y in view.years)
    if view.day is not None and view.day != default_day:
        params[DAY] = str(view.day)
    if view.place_id:
        params[PLACE] = view.place_id
    if view.event_id:
        params[EVENT] = view.event_id
    filters = view.filters
    for key, chosen in ((CATEGORY, filters.categories), (PEOPLE, filters.people), (CERTAINTY, filters.certainties)):
        if chosen:
            params[key] = ",".join(chosen)
    if filters.text.strip():
        params[TEXT] = filters.text.strip()
    if view.lang != "en":
        params[LANG] = view.lang
    return params
