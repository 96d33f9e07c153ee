"""Check a dataset folder completely and report every problem, not just the first.

Single values are checked by the pydantic row models in ``schema``; this module adds what spans
rows and files: duplicate ids, unknown references, dates outside a trip, routes that do not start
or end at their places.

Speed at 100,000 events: a CSV column's distinct values are validated at once, with the row model's
own field types (so the verdict and the value are the model's); only a row with a bad or blank cell
goes through the row model one at a time, which words its problems. Route legs likewise.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Generic, ParamSpec, TypeVar

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

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
    FlatLegFeature,
    LegFeature,
    PlaceRow,
    Row,
    SourceRow,
    TripRow,
)

# How far a leg's first or last point may lie from its place: a station's platform, not the next town.
ROUTE_END_TOLERANCE_KM = 15.0
T = TypeVar("T")
P = ParamSpec("P")
# A checked table's index: the line of the file each record starts on.
LINE = "line"


def without_cyclic_gc(function: Callable[P, T]) -> Callable[P, T]:
    """Pause Python's cycle collector while ``function`` runs.

    Loading builds millions of small acyclic objects (JSON lists, positions, cells) and the collector would
    walk them again and again for nothing: pausing it takes about 40 % off a 100,000-event load.
    Reference counting still frees everything; a nested or concurrent call leaves the switch to the outer one.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


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


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame(index=pd.Index([], dtype="int64", name=LINE))


@dataclass
class CheckedDataset:
    """Everything that passed the per-value checks, plus every problem found anywhere.

    A table holds its row model's fields as columns (the values ``model_dump`` would give), indexed by line.
    """

    trips: pd.DataFrame = field(default_factory=_no_rows)
    places: pd.DataFrame = field(default_factory=_no_rows)
    sources: pd.DataFrame = field(default_factory=_no_rows)
    events: pd.DataFrame = field(default_factory=_no_rows)
    legs: list[Located[LegFeature]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def lacks_rows(self) -> bool:
        """No trip, place or event survived: nothing to show even without problems."""
        return self.trips.empty or self.places.empty or self.events.empty


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
    path: Path, table_name: str, model: type[Row], problems: list[Problem]
) -> tuple[pd.DataFrame, frozenset[str] | None]:
    """Validate a CSV file's rows; also return the raw ids it holds (None if it could not be read)."""
    shown = str(path)
    table, read_problems = read_csv(path)
    problems.extend(read_problems)
    if table is None:
        return _no_rows(), None
    missing = [column for column in REQUIRED_COLUMNS[table_name] if column not in table.header]
    problems.extend(Problem(shown, "1", column, "required column is missing") for column in missing)
    if missing:
        return _no_rows(), None
    id_at = table.header.index(REQUIRED_COLUMNS[table_name][0])
    raw_ids = frozenset(row[id_at].strip() for row in table.rows)
    return _check_rows(shown, table_name, table, model, problems), raw_ids


@functools.cache
def _cells_adapter(model: type[Row], name: str) -> TypeAdapter[list[Any]]:
    """Validates a list of cells as ``model`` validates the one cell of field ``name``: same type, same rules."""
    info = model.model_fields[name]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    # The model's own config (whitespace stripping above all) applies to each cell as it does in a row.
    return TypeAdapter(list[annotation], config=model.model_config)  # type: ignore[valid-type]


def _validate_each(adapter: TypeAdapter[list[Any]], items: Sequence[Any]) -> tuple[list[bool], list[Any]]:
    """Validate many items in one call; return which passed and their values (None where one failed)."""
    try:
        return [True] * len(items), adapter.validate_python(items)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        failed = {error["loc"][0] for error in errors}
    passed = [index not in failed for index in range(len(items))]
    values = iter(adapter.validate_python([item for item, ok in zip(items, passed, strict=True) if ok]))
    return passed, [next(values) if ok else None for ok in passed]


def _factorize(cells: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Each cell's index among the distinct cells, and those (a dict beats pd.factorize on Python strings)."""
    seen: dict[str, int] = {}
    codes = np.fromiter((seen.setdefault(cell, len(seen)) for cell in cells), dtype=np.int64, count=len(cells))
    return codes, list(seen)


def _objects(values: Iterable[Any], count: int) -> np.ndarray:
    """A 1-D object array, even of lists (np.array would make a 2-D array of equal-length lists)."""
    return np.fromiter(values, dtype=object, count=count)


def _check_rows(
    shown: str, table_name: str, table: CsvTable, model: type[Row], problems: list[Problem]
) -> pd.DataFrame:
    """The rows whose every cell is valid, as a frame; a problem for every bad or blank required cell.

    Cells are checked column by column, each distinct value once; a row cells fail is then validated by the
    row model itself, so its problems are the model's words and come in the file's order.
    """
    count = len(table.rows)
    columns = dict(zip(table.header, zip(*table.rows, strict=True), strict=True)) if count else {}
    must_fill = set(REQUIRED_COLUMNS[table_name]) - BLANK_ALLOWED[table_name]
    rejected = np.zeros(count, dtype=bool)
    values: dict[str, np.ndarray] = {}
    for name, info in model.model_fields.items():
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        if name not in columns:
            rejected |= info.is_required()
            values[name] = _objects((default for _ in range(count)), count)
            continue
        codes, distinct = _factorize(columns[name])
        filled = [index for index, cell in enumerate(distinct) if cell.strip()]
        passed, checked = _validate_each(_cells_adapter(model, name), [distinct[index] for index in filled])
        blank_ok = name not in must_fill and not info.is_required()
        good = np.full(len(distinct), blank_ok)
        good[filled] = passed
        value = _objects((default for _ in range(len(distinct))), len(distinct))
        value[filled] = _objects(checked, len(filled))
        rejected |= ~good[codes]
        values[name] = value[codes]
    kept = ~rejected
    lines = np.asarray(table.lines, dtype=np.int64)
    frame = pd.DataFrame(
        {name: column[kept].tolist() for name, column in values.items()}, index=pd.Index(lines[kept], name=LINE)
    )
    accepted = [_check_row(shown, table_name, table, int(at), model, problems) for at in np.flatnonzero(rejected)]
    late = [record for record in accepted if record is not None]
    if late:  # the column checks should never refuse a row the model accepts; if they do, the model wins
        extra = pd.DataFrame.from_records([values for _, values in late], index=[line for line, _ in late])
        frame = pd.concat([frame, extra.rename_axis(LINE)]).sort_index(kind="stable")
    return frame


def _check_row(
    shown: str, table_name: str, table: CsvTable, at: int, model: type[Row], problems: list[Problem]
) -> tuple[int, dict[str, Any]] | None:
    """One row through the row model: its problems, or its values if it passes."""
    required = REQUIRED_COLUMNS[table_name]
    blank_ok = BLANK_ALLOWED[table_name]
    row = dict(zip(table.header, table.rows[at], strict=True))
    where = str(table.lines[at])
    empty = {column for column in required if column not in blank_ok and not row[column].strip()}
    problems.extend(Problem(shown, where, column, "is empty") for column in required if column in empty)
    try:
        record = model.model_validate({key: value for key, value in row.items() if value.strip()})
    except ValidationError as exc:
        problems.extend(_validation_problems(shown, where, exc, skip=empty))
        return None
    return None if empty else (table.lines[at], record.model_dump())


def _check_unique(shown: str, table: pd.DataFrame, id_column: str, problems: list[Problem]) -> None:
    if id_column not in table:
        return
    repeated = table[id_column].duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    ids, lines = table[id_column].to_numpy(dtype=object), table.index.to_numpy()
    first_line = dict(zip(ids[~repeated], lines[~repeated], strict=True))
    for line, value in zip(lines[repeated], ids[repeated], strict=True):
        problems.append(
            Problem(shown, str(line), id_column, f"duplicate id {value!r} (first on line {first_line[value]})")
        )


@dataclass(frozen=True)
class TripDates:
    """What events and legs are checked against: a trip's usable dates."""

    trip_id: str
    start_date: date
    end_date: date


def _check_trips(shown: str, trips: pd.DataFrame, problems: list[Problem]) -> dict[str, TripDates]:
    """Check each trip's dates; return the trips whose dates can be used to check events and legs."""
    usable: dict[str, TripDates] = {}
    if trips.empty:
        return usable
    columns = (trips[name].tolist() for name in ("trip_id", "year", "start_date", "end_date", "entry_date"))
    for line, trip_id, year, start, end, entry in zip(trips.index.tolist(), *columns, strict=True):
        where = str(line)
        if start.year != year:
            problems.append(Problem(shown, where, "year", f"{year} does not match start_date {start}"))
        if end < start:
            problems.append(Problem(shown, where, "end_date", f"{end} is before start_date {start}"))
            continue
        if entry is not None and not start <= entry <= end:
            problems.append(Problem(shown, where, "entry_date", f"{entry} is outside the trip's dates"))
        usable.setdefault(trip_id, TripDates(trip_id, start, end))
    return usable


def _check_sources(shown: str, sources: pd.DataFrame, problems: list[Problem]) -> None:
    if sources.empty:
        return
    for line in sources.index[sources["url"].isna() & sources["seed_file"].isna()]:
        problems.append(Problem(shown, str(line), "url", "a source needs a url, or a seed_file for a seed article"))


def _check_events(
    shown: str,
    events: pd.DataFrame,
    trips: Mapping[str, TripDates],
    known: KnownIds,
    problems: list[Problem],
) -> None:
    if events.empty:
        return
    names = ("trip_id", "date", "category", "place_id", "source_ids", "time", "part_of_day", "time_note")
    columns = (events[name].tolist() for name in names)
    for line, trip_id, when, category, place_id, source_ids, clock, part, note in zip(
        events.index.tolist(), *columns, strict=True
    ):
        where = str(line)
        clock, part, note = (value if isinstance(value, str) else "" for value in (clock, part, note))
        if clock and part:
            problems.append(
                Problem(shown, where, "part_of_day", f"give a time ({clock}) or a part of the day, not both")
            )
        elif part and not note:
            problems.append(
                Problem(shown, where, "time_note", f"is empty: say which source gives {part!r}, in its words")
            )
        trip = trips.get(trip_id)
        if known.trips is not None and trip_id not in known.trips:
            problems.append(Problem(shown, where, "trip_id", f"unknown trip {trip_id!r}"))
        elif (
            trip is not None and category not in OUT_OF_TRIP_CATEGORIES and not trip.start_date <= when <= trip.end_date
        ):
            problems.append(
                Problem(
                    shown,
                    where,
                    "date",
                    f"{when} is outside trip {trip.trip_id!r} ({trip.start_date} to {trip.end_date}); "
                    f"only {', '.join(sorted(OUT_OF_TRIP_CATEGORIES))} events may be",
                )
            )
        if known.places is not None and place_id not in known.places:
            problems.append(Problem(shown, where, "place_id", f"unknown place {place_id!r}"))
        unknown = [source for source in source_ids if known.sources is not None and source not in known.sources]
        if unknown:
            problems.append(Problem(shown, where, "source_ids", f"unknown source {', '.join(map(repr, unknown))}"))


@dataclass(frozen=True)
class PlacePoint:
    lat: float
    lon: float


def _check_routes(
    path: Path,
    trips: Mapping[str, TripDates],
    places: Mapping[str, PlacePoint],
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
    objects = [index for index, feature in enumerate(features) if isinstance(feature, dict)]
    passed, flat_legs = _validate_each(_flat_legs_adapter(), [features[index] for index in objects])
    quick = {index: leg for index, ok, leg in zip(objects, passed, flat_legs, strict=True) if ok}
    for index, feature in enumerate(features):
        where = f"feature {index}"
        if not isinstance(feature, dict):
            problems.append(Problem(shown, where, "(feature)", "expected a JSON object"))
            continue
        leg = quick.get(index)
        if leg is None:  # refused by the quick check (or 3D): the full model words the problems
            properties = feature.get("properties")
            missing = [name for name in ROUTE_PROPERTIES if not isinstance(properties, dict) or name not in properties]
            problems.extend(Problem(shown, where, f"properties.{name}", "is missing") for name in missing)
            try:
                leg = LegFeature.model_validate(feature)
            except ValidationError as exc:
                skip = {f"properties.{name}" for name in missing}
                problems.extend(_validation_problems(shown, where, exc, skip=skip))
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


@functools.cache
def _flat_legs_adapter() -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[FlatLegFeature])


@without_cyclic_gc
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

    places: dict[str, PlacePoint] = {}
    if not checked.places.empty:  # a repeated id: the last row wins, as in the loaded dataset's lookups
        columns = (checked.places[name].tolist() for name in ("place_id", "lat", "lon"))
        places = {place_id: PlacePoint(lat, lon) for place_id, lat, lon in zip(*columns, strict=True)}
    _check_events(str(data_dir / EVENTS_FILE), checked.events, trips, known, problems)
    checked.legs = _check_routes(data_dir / ROUTES_FILE, trips, places, known, problems)
    return checked
