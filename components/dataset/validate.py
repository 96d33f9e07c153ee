"""Check a dataset folder completely and report every problem, not just the first.

Single values are checked by the pydantic row models in ``schema``; this module adds what spans
rows and files: duplicate ids, unknown references, dates outside a trip, routes that do not start
or end at their places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from components.dataset import geo
from components.dataset.reading import FILE_COLUMN, JSON_COLUMN, CsvTable, Problem, read_csv, read_json
from components.dataset.schema import (
    BLANK_ALLOWED,
    EVENTS_FILE,
    OUT_OF_TRIP_CATEGORIES,
    PLACES_FILE,
    REQUIRED_COLUMNS,
    ROUTE_PROPERTIES,
    ROUTES_FILE,
    SOURCES_FILE,
    TRIPS_FILE,
    EventRow,
    LegFeature,
    PlaceRow,
    Row,
    SourceRow,
    TripRow,
)

# How far a leg's first or last point may lie from its place: a station's platform, not the next town.
ROUTE_END_TOLERANCE_KM = 15.0
RowT = TypeVar("RowT", bound=Row)
T = TypeVar("T")


@dataclass(frozen=True)
class Located(Generic[T]):
    """A validated record and where it came from (line number, or feature index for GeoJSON)."""

    where: int
    record: T


@dataclass(frozen=True)
class KnownIds:
    """Ids present in a table even if their rows failed other checks; None when the file was unreadable.

    References are checked against these so that one bad cell does not cascade into many problems.
    """

    trips: frozenset[str] | None
    places: frozenset[str] | None
    sources: frozenset[str] | None


@dataclass
class CheckedDataset:
    """Everything that passed the per-value checks, plus every problem found anywhere."""

    trips: list[Located[TripRow]] = field(default_factory=list)
    places: list[Located[PlaceRow]] = field(default_factory=list)
    sources: list[Located[SourceRow]] = field(default_factory=list)
    events: list[Located[EventRow]] = field(default_factory=list)
    legs: list[Located[LegFeature]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _shorten(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(error: Mapping[str, Any]) -> str:
    if error["type"] == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    if error["type"] == "literal_error":
        return f"{_shorten(error['input'])} is not one of {error['ctx']['expected']}"
    if error["type"] == "missing":
        return "is missing"
    message = str(error["msg"])
    return f"{message} (got {_shorten(error['input'])})"


def _location(loc: Iterable[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(row)"


def _validation_problems(path: str, where: str, exc: ValidationError, skip: set[str]) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        column = _location(error["loc"])
        if column.split("[")[0] in skip:
            continue
        problems.append(Problem(path, where, column, _describe(error)))
    return problems


def _check_table(
    path: Path, table_name: str, model: type[RowT], problems: list[Problem]
) -> tuple[list[Located[RowT]], frozenset[str] | None]:
    """Validate a CSV file's rows; also return the raw ids it holds (None if it could not be read)."""
    shown = str(path)
    table, read_problems = read_csv(path)
    problems.extend(read_problems)
    if table is None:
        return [], None
    missing = [column for column in REQUIRED_COLUMNS[table_name] if column not in table.header]
    problems.extend(Problem(shown, "1", column, "required column is missing") for column in missing)
    if missing:
        return [], None
    id_column = REQUIRED_COLUMNS[table_name][0]
    raw_ids = frozenset(row.values[id_column].strip() for row in table.rows)
    return _check_rows(shown, table_name, table, model, problems), raw_ids


def _check_rows(
    shown: str, table_name: str, table: CsvTable, model: type[RowT], problems: list[Problem]
) -> list[Located[RowT]]:
    required = REQUIRED_COLUMNS[table_name]
    blank_ok = BLANK_ALLOWED[table_name]
    located: list[Located[RowT]] = []
    for row in table.rows:
        where = str(row.line)
        empty = {column for column in required if column not in blank_ok and not row.values[column].strip()}
        problems.extend(Problem(shown, where, column, "is empty") for column in required if column in empty)
        values = {key: value for key, value in row.values.items() if value.strip()}
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            problems.extend(_validation_problems(shown, where, exc, skip=empty))
            continue
        if not empty:
            located.append(Located(row.line, record))
    return located


def _check_unique(shown: str, rows: list[Located[Any]], id_column: str, problems: list[Problem]) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        value = getattr(row.record, id_column)
        if value in first_line:
            problems.append(
                Problem(shown, str(row.where), id_column, f"duplicate id {value!r} (first on line {first_line[value]})")
            )
        else:
            first_line[value] = row.where


def _check_trips(shown: str, trips: list[Located[TripRow]], problems: list[Problem]) -> dict[str, TripRow]:
    """Check each trip's dates; return the trips whose dates can be used to check events and legs."""
    usable: dict[str, TripRow] = {}
    for row in trips:
        trip, where = row.record, str(row.where)
        if trip.start_date.year != trip.year:
            problems.append(Problem(shown, where, "year", f"{trip.year} does not match start_date {trip.start_date}"))
        if trip.end_date < trip.start_date:
            problems.append(
                Problem(shown, where, "end_date", f"{trip.end_date} is before start_date {trip.start_date}")
            )
            continue
        if trip.entry_date is not None and not trip.start_date <= trip.entry_date <= trip.end_date:
            problems.append(Problem(shown, where, "entry_date", f"{trip.entry_date} is outside the trip's dates"))
        usable.setdefault(trip.trip_id, trip)
    return usable


def _check_sources(shown: str, sources: list[Located[SourceRow]], problems: list[Problem]) -> None:
    for row in sources:
        if row.record.url is None and row.record.seed_file is None:
            problems.append(
                Problem(shown, str(row.where), "url", "a source needs a url, or a seed_file for a seed article")
            )


def _check_events(
    shown: str,
    events: list[Located[EventRow]],
    trips: Mapping[str, TripRow],
    known: KnownIds,
    problems: list[Problem],
) -> None:
    for row in events:
        event, where = row.record, str(row.where)
        trip = trips.get(event.trip_id)
        if known.trips is not None and event.trip_id not in known.trips:
            problems.append(Problem(shown, where, "trip_id", f"unknown trip {event.trip_id!r}"))
        elif (
            trip is not None
            and event.category not in OUT_OF_TRIP_CATEGORIES
            and not trip.start_date <= event.date <= trip.end_date
        ):
            problems.append(
                Problem(
                    shown,
                    where,
                    "date",
                    f"{event.date} is outside trip {trip.trip_id!r} ({trip.start_date} to {trip.end_date}); "
                    f"only {', '.join(sorted(OUT_OF_TRIP_CATEGORIES))} events may be",
                )
            )
        if known.places is not None and event.place_id not in known.places:
            problems.append(Problem(shown, where, "place_id", f"unknown place {event.place_id!r}"))
        unknown = [source for source in event.source_ids if known.sources is not None and source not in known.sources]
        if unknown:
            problems.append(Problem(shown, where, "source_ids", f"unknown source {', '.join(map(repr, unknown))}"))


def _check_routes(
    path: Path,
    trips: Mapping[str, TripRow],
    places: Mapping[str, PlaceRow],
    known: KnownIds,
    problems: list[Problem],
) -> list[Located[LegFeature]]:
    shown = str(path)
    document, problem = read_json(path)
    if problem is not None:
        problems.append(problem)
        return []
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        problems.append(Problem(shown, "1", JSON_COLUMN, "expected a GeoJSON FeatureCollection"))
        return []
    features = document.get("features")
    if not isinstance(features, list):
        problems.append(Problem(shown, "1", "features", "expected a list of features"))
        return []
    legs: list[Located[LegFeature]] = []
    leg_ids: dict[str, int] = {}
    for index, feature in enumerate(features):
        where = f"feature {index}"
        if not isinstance(feature, dict):
            problems.append(Problem(shown, where, "(feature)", "expected a JSON object"))
            continue
        properties = feature.get("properties")
        missing = [name for name in ROUTE_PROPERTIES if not isinstance(properties, dict) or name not in properties]
        problems.extend(Problem(shown, where, f"properties.{name}", "is missing") for name in missing)
        try:
            leg = LegFeature.model_validate(feature)
        except ValidationError as exc:
            problems.extend(_validation_problems(shown, where, exc, skip={f"properties.{name}" for name in missing}))
            continue
        legs.append(Located(index, leg))
        props = leg.properties
        if props.leg_id is not None:
            if props.leg_id in leg_ids:
                problems.append(
                    Problem(
                        shown,
                        where,
                        "properties.leg_id",
                        f"duplicate id {props.leg_id!r} (first at feature {leg_ids[props.leg_id]})",
                    )
                )
            leg_ids.setdefault(props.leg_id, index)
        trip = trips.get(props.trip_id)
        if known.trips is not None and props.trip_id not in known.trips:
            problems.append(Problem(shown, where, "properties.trip_id", f"unknown trip {props.trip_id!r}"))
        if props.arrive < props.depart:
            problems.append(
                Problem(shown, where, "properties.arrive", f"{props.arrive} is before depart {props.depart}")
            )
        elif trip is not None and not (trip.start_date <= props.depart and props.arrive <= trip.end_date):
            problems.append(
                Problem(
                    shown,
                    where,
                    "properties.depart",
                    f"leg {props.depart}..{props.arrive} is outside trip {trip.trip_id!r} "
                    f"({trip.start_date} to {trip.end_date})",
                )
            )
        coordinates = leg.geometry.coordinates
        for name, place_id, (lon, lat), end in (
            ("from_place", props.from_place, coordinates[0], "first"),
            ("to_place", props.to_place, coordinates[-1], "last"),
        ):
            if known.places is not None and place_id not in known.places:
                problems.append(Problem(shown, where, f"properties.{name}", f"unknown place {place_id!r}"))
            place = places.get(place_id)
            if place is None:
                continue
            distance = geo.haversine_km(lat, lon, place.lat, place.lon)
            if distance > ROUTE_END_TOLERANCE_KM:
                problems.append(
                    Problem(
                        shown,
                        where,
                        "geometry.coordinates",
                        f"{end} point is {distance:.0f} km from {place_id!r}; it must be within "
                        f"{ROUTE_END_TOLERANCE_KM:.0f} km",
                    )
                )
    return legs


def check_dataset(data_dir: Path) -> CheckedDataset:
    """Validate every file of a dataset folder and return the good records with all problems."""
    checked = CheckedDataset()
    problems = checked.problems
    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), "0", FILE_COLUMN, "dataset folder not found"))
        return checked
    checked.trips, trip_ids = _check_table(data_dir / TRIPS_FILE, TRIPS_FILE, TripRow, problems)
    checked.places, place_ids = _check_table(data_dir / PLACES_FILE, PLACES_FILE, PlaceRow, problems)
    checked.sources, source_ids = _check_table(data_dir / SOURCES_FILE, SOURCES_FILE, SourceRow, problems)
    checked.events, _ = _check_table(data_dir / EVENTS_FILE, EVENTS_FILE, EventRow, problems)
    known = KnownIds(trip_ids, place_ids, source_ids)

    _check_unique(str(data_dir / TRIPS_FILE), checked.trips, "trip_id", problems)
    _check_unique(str(data_dir / PLACES_FILE), checked.places, "place_id", problems)
    _check_unique(str(data_dir / SOURCES_FILE), checked.sources, "source_id", problems)
    _check_unique(str(data_dir / EVENTS_FILE), checked.events, "event_id", problems)
    trips = _check_trips(str(data_dir / TRIPS_FILE), checked.trips, problems)
    _check_sources(str(data_dir / SOURCES_FILE), checked.sources, problems)

    places = {row.record.place_id: row.record for row in checked.places}
    _check_events(str(data_dir / EVENTS_FILE), checked.events, trips, known, problems)
    checked.legs = _check_routes(data_dir / ROUTES_FILE, trips, places, known, problems)
    return checked
