"""Session-state keys and the URL's query parameters, in one place.

The URL carries ids only (``?years=2019,2023&day=2&place=khasan_station``) so a view can be shared.
Parsing is pure and forgiving: a bad parameter becomes a readable warning and a default, never an
exception. The URL is read on a session's first run and again whenever it changes behind the page's
back (Back and Forward rerun the app with the older address); otherwise the widgets drive it.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from components.dataset import query
from components.dataset.model import Dataset

YEARS_KEY = "years"
DAY_KEY = "day"
PLACE_KEY = "place"
EVENT_KEY = "_event"
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
    warnings: tuple[str, ...] = field(default=(), compare=False)


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)[:MAX_PARAM_CHARS]


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:39] + "…")


def parse_query(params: Mapping[str, Any], ds: Dataset) -> Selection:
    """Read a selection from URL parameters, replacing anything invalid by its default with a warning."""
    all_years = tuple(int(y) for y in ds.trips["year"].drop_duplicates())
    warnings: list[str] = []
    years = all_years
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
        years = tuple(sorted(set(wanted))) or all_years
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
    return Selection(years, day, place_id, tuple(warnings))


def to_query(selection: Selection, all_years: Sequence[int], default_day: int | None = None) -> dict[str, str]:
    """URL parameters for a selection, leaving out defaults so shared links stay short."""
    params: dict[str, str] = {}
    if tuple(selection.years) != tuple(all_years):
        params[YEARS_KEY] = ",".join(str(y) for y in selection.years)
    if selection.day is not None and selection.day != default_day:
        params[DAY_KEY] = str(selection.day)
    if selection.place_id:
        params[PLACE_KEY] = selection.place_id
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
    # Warnings stay on screen until the reader changes the view they are about.
    session[WARNINGS_KEY] = (list(selection.warnings), Selection(selection.years, session[DAY_KEY], selection.place_id))
    return True


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
