"""Session-state keys and the URL's query parameters, in one place.

The URL carries ids only (``?years=2019,2023&day=2&place=khasan_station``) so a view can be shared.
Parsing is pure and forgiving: a bad parameter becomes a readable warning and a default, never an
exception.
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
MAP_KEY = "summit_map"
LAST_CLICK_KEY = "_last_map_click"
URL_LOADED_KEY = "_url_loaded"
WARNINGS_KEY = "_url_warnings"
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


def to_query(selection: Selection, all_years: Sequence[int]) -> dict[str, str]:
    """URL parameters for a selection, leaving out defaults so shared links stay short."""
    params: dict[str, str] = {}
    if tuple(selection.years) != tuple(all_years):
        params[YEARS_KEY] = ",".join(str(y) for y in selection.years)
    if selection.day is not None:
        params[DAY_KEY] = str(selection.day)
    if selection.place_id:
        params[PLACE_KEY] = selection.place_id
    return params


def clamp_day(day: int | None, first: int, last: int) -> int:
    """Keep a remembered day inside the selected trips' range (the last day when there is none)."""
    if day is None:
        return last
    return max(first, min(last, day))


def load_url_once(session: MutableMapping[str, Any], params: Mapping[str, Any], ds: Dataset) -> None:
    """On a session's first run, seed the widgets' state from the URL."""
    if session.get(URL_LOADED_KEY):
        return
    selection = parse_query(params, ds)
    session[URL_LOADED_KEY] = True
    session[YEARS_KEY] = list(selection.years)
    if selection.day is not None:
        session[DAY_KEY] = selection.day
    session[PLACE_KEY] = selection.place_id
    session[WARNINGS_KEY] = list(selection.warnings)
