"""Session-state keys and the URL's query parameters, in one place.

The URL carries ids only (``?years=2019,2023&day=2&place=khasan_station&event=…&cat=gift&lang=ru``) so a
view can be shared: years, day, place, event, the filters (category, people, certainty, text) and the
language. ``?event=<event_id>`` alone opens that event: its trip, its day, its place.
Parsing is pure and forgiving: a bad parameter becomes a readable warning and a default, never an
exception. The URL is read on a session's first run and again whenever it changes behind the page's
back (Back and Forward rerun the app with the older address); otherwise the widgets drive it.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from components.dataset import query
from components.dataset.model import Dataset

YEARS_KEY = "years"
DAY_KEY = "day"
PLACE_KEY = "place"
EVENT_KEY = "_event"
EVENT_PARAM = "event"
CATEGORY_KEY = "cat"
PEOPLE_KEY = "who"
CERTAINTY_KEY = "sure"
TEXT_KEY = "q"
LANG_KEY = "lang"
LANGUAGES = ("en", "ru", "ko")
MAP_KEY = "summit_map"
LAST_CLICK_KEY = "_last_map_click"
URL_LOADED_KEY = "_url_loaded"
WARNINGS_KEY = "_url_warnings"
LAST_URL_KEY = "_url_last"
MAX_PARAM_CHARS = 200


@dataclass(frozen=True)
class Selection:
    """What the user is looking at: summit years, a trip day (None = whole trips) and a place."""

    years: tuple[int, ...]
    day: int | None = None
    place_id: str | None = None
    event_id: str | None = None
    filters: query.Filters = field(default_factory=query.Filters)
    lang: str = "en"
    warnings: tuple[str, ...] = field(default=(), compare=False)


MAX_DEFAULT_YEARS = 6


def default_years(all_years: Sequence[int]) -> tuple[int, ...]:
    """What a link without ``years`` shows: every year of a small dataset (the three summits), the
    latest year of a large one, where every trip at once would be an unreadable map."""
    years = tuple(all_years)
    return years if len(years) <= MAX_DEFAULT_YEARS else years[-1:]


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)[:MAX_PARAM_CHARS]


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:39] + "…")


def _listed(
    params: Mapping[str, Any], key: str, known: Sequence[str], what: str, warnings: list[str]
) -> tuple[str, ...]:
    """A comma-separated parameter kept to the values the dataset knows, each unknown one warned about."""
    if key not in params:
        return ()
    wanted: list[str] = []
    for part in (p.strip() for p in _first(params[key]).split(",") if p.strip()):
        if part in known:
            wanted.append(part)
        else:
            warnings.append(f"Ignored {what} {_shown(part)} in the link: not in the dataset.")
    return tuple(dict.fromkeys(wanted))


def _filters(params: Mapping[str, Any], ds: Dataset, warnings: list[str]) -> query.Filters:
    return query.Filters(
        categories=_listed(params, CATEGORY_KEY, sorted(set(ds.events["category"])), "category", warnings),
        people=_listed(params, PEOPLE_KEY, query.people_by_frequency(ds), "person", warnings),
        certainties=_listed(params, CERTAINTY_KEY, sorted(set(ds.events["certainty"])), "certainty", warnings),
        text=_first(params.get(TEXT_KEY, "")).strip(),
    )


def parse_query(params: Mapping[str, Any], ds: Dataset) -> Selection:
    """Read a selection from URL parameters, replacing anything invalid by its default with a warning."""
    all_years = tuple(int(y) for y in ds.trips["year"].drop_duplicates())
    warnings: list[str] = []
    shown_by_default = default_years(all_years)
    lang = _first(params.get(LANG_KEY, "en")).strip() or "en"
    if lang not in LANGUAGES:
        warnings.append(f"Ignored language {_shown(lang)} in the link: choose one of {', '.join(LANGUAGES)}.")
        lang = "en"
    filters = _filters(params, ds, warnings)
    event = None
    if EVENT_PARAM in params:
        raw = _first(params[EVENT_PARAM]).strip()
        event = query.event_row(ds, raw)
        if event is None:
            warnings.append(f"Ignored event {_shown(raw)} in the link: no such event in the dataset.")
    years = shown_by_default
    if YEARS_KEY in params:
        raw = _first(params[YEARS_KEY])
        wanted: list[int] = []
        for part in (p.strip() for p in raw.split(",") if p.strip()):
            if part.isdigit() and int(part) in all_years:
                wanted.append(int(part))
            else:
                warnings.append(
                    f"Ignored year {_shown(part)} in the link: the dataset has {', '.join(map(str, all_years))}."
                )
        years = tuple(sorted(set(wanted))) or shown_by_default
    if event is not None:
        # The event's own trip, day and place win over the rest of the link; alone, it shows its trip only.
        years = tuple(sorted({*years, int(event["year"])})) if YEARS_KEY in params else (int(event["year"]),)
        trip_ids = query.trip_ids_for_years(ds, years)
        return Selection(
            years, int(event["slider_day"]), str(event["place_id"]), str(event["event_id"]), filters, lang,
            tuple(warnings),
        )  # fmt: skip
    trip_ids = query.trip_ids_for_years(ds, years)
    first, last = query.day_range(ds, trip_ids)
    day: int | None = None
    if DAY_KEY in params:
        raw = _first(params[DAY_KEY]).strip()
        try:
            day = int(raw)
        except ValueError:
            warnings.append(f"Ignored day {_shown(raw)} in the link: it is not a whole number.")
        else:
            if not first <= day <= last:
                warnings.append(f"Day {day} in the link is outside the trips shown ({first} to {last}).")
                day = None
    place_id: str | None = None
    if PLACE_KEY in params:
        raw = _first(params[PLACE_KEY]).strip()
        if raw in set(ds.places["place_id"]):
            place_id = raw
        else:
            warnings.append(f"Ignored place {_shown(raw)} in the link: no such place in the dataset.")
    return Selection(years, day, place_id, None, filters, lang, tuple(warnings))


def to_query(selection: Selection, all_years: Sequence[int], default_day: int | None = None) -> dict[str, str]:
    """URL parameters for a selection, leaving out defaults so shared links stay short."""
    params: dict[str, str] = {}
    if tuple(selection.years) != default_years(all_years):
        params[YEARS_KEY] = ",".join(str(y) for y in selection.years)
    if selection.day is not None and selection.day != default_day:
        params[DAY_KEY] = str(selection.day)
    if selection.place_id:
        params[PLACE_KEY] = selection.place_id
    if selection.event_id:
        params[EVENT_PARAM] = selection.event_id
    filters = selection.filters
    for key, values in ((CATEGORY_KEY, filters.categories), (PEOPLE_KEY, filters.people)):
        if values:
            params[key] = ",".join(values)
    if filters.certainties:
        params[CERTAINTY_KEY] = ",".join(filters.certainties)
    if filters.text.strip():
        params[TEXT_KEY] = filters.text.strip()
    if selection.lang != "en":
        params[LANG_KEY] = selection.lang
    return params


def clamp_day(day: int | None, first: int, last: int) -> int:
    """Keep a remembered day inside the selected trips' range (the last day when there is none)."""
    if day is None:
        return last
    return max(first, min(last, day))


def _url_values(params: Mapping[str, Any]) -> dict[str, str]:
    return {str(key): _first(value) for key, value in params.items()}


def sync_from_url(session: MutableMapping[str, Any], params: Mapping[str, Any], ds: Dataset) -> bool:
    """Seed the widgets' state from the URL on a session's first run, and again when the address
    changed without the page writing it (Back, Forward, an edited link). True when it did."""
    current = _url_values(params)
    if session.get(URL_LOADED_KEY) and current == session.get(LAST_URL_KEY):
        return False
    selection = parse_query(params, ds)
    first, last = query.day_range(ds, query.trip_ids_for_years(ds, selection.years))
    session[URL_LOADED_KEY] = True
    session[LAST_URL_KEY] = current
    session[YEARS_KEY] = list(selection.years)
    session[DAY_KEY] = clamp_day(selection.day, first, last)
    session[PLACE_KEY] = selection.place_id
    session[EVENT_KEY] = selection.event_id
    session[CATEGORY_KEY] = list(selection.filters.categories)
    session[PEOPLE_KEY] = list(selection.filters.people)
    session[CERTAINTY_KEY] = list(selection.filters.certainties)
    session[TEXT_KEY] = selection.filters.text
    session[LANG_KEY] = selection.lang
    # Warnings stay on screen until the reader changes the view they are about.
    opened = replace(selection, day=session[DAY_KEY])
    session[WARNINGS_KEY] = (list(selection.warnings), opened)
    return True


def filters_from(session: Mapping[str, Any]) -> query.Filters:
    """The filters as the widgets hold them."""
    return query.Filters(
        categories=tuple(session.get(CATEGORY_KEY) or ()),
        people=tuple(session.get(PEOPLE_KEY) or ()),
        certainties=tuple(session.get(CERTAINTY_KEY) or ()),
        text=str(session.get(TEXT_KEY) or "")[:MAX_PARAM_CHARS],
    )


def pending_warnings(session: MutableMapping[str, Any], current: Selection) -> list[str]:
    """The link's warnings while the view is still the one the link opened; none once the reader acts."""
    stored = session.get(WARNINGS_KEY)
    if not stored:
        return []
    messages, opened = stored
    if opened != current:
        session[WARNINGS_KEY] = None
        return []
    return list(messages)


def write_url(
    session: MutableMapping[str, Any],
    query_params: MutableMapping[str, Any],
    selection: Selection,
    all_years: Sequence[int],
    default_day: int | None,
) -> None:
    """Put the selection in the address bar, only when it changed (each change is a history entry)."""
    params = to_query(selection, all_years, default_day)
    if params != session.get(LAST_URL_KEY):
        query_params.from_dict(params)  # type: ignore[attr-defined]
        session[LAST_URL_KEY] = params
