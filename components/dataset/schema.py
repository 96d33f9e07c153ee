"""The dataset's contract: file names, columns, vocabularies and one pydantic model per row.

Row models check one value at a time (types, ranges, formats, vocabularies) so that every problem
maps to a single ``file:line: column`` cell; checks that span rows or files live in ``validate``.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

PLACES_FILE = "places.csv"
TRIPS_FILE = "trips.csv"
EVENTS_FILE = "events.csv"
SOURCES_FILE = "sources.csv"
ROUTES_FILE = "routes.geojson"
DATA_FILES = (TRIPS_FILE, PLACES_FILE, SOURCES_FILE, EVENTS_FILE, ROUTES_FILE)

CATEGORIES = (
    "announcement",
    "travel",
    "arrival",
    "departure",
    "summit",
    "talks",
    "tour",
    "meal",
    "gift",
    "ceremony",
    "commemoration",
    "context",
)
# Categories whose events may fall before or after their trip's dates (run-up and aftermath).
OUT_OF_TRIP_CATEGORIES = frozenset({"announcement", "context", "commemoration"})
CERTAINTIES = ("confirmed", "reported", "approximate")
# Where a source gives only a part of the day, not a clock time. Each spans these local hours (24:00 is
# the end of the day): the day list orders by the first hour, the timeline draws the whole span.
PART_OF_DAY_HOURS: dict[str, tuple[str, str]] = {
    "early morning": ("03:00", "07:00"),
    "morning": ("06:00", "12:00"),
    "afternoon": ("12:00", "18:00"),
    "evening": ("17:00", "22:00"),
    "night": ("21:00", "24:00"),
}
PARTS_OF_DAY = tuple(PART_OF_DAY_HOURS)
PLACE_KINDS = (
    "station",
    "border_crossing",
    "venue",
    "university",
    "restaurant",
    "memorial",
    "cosmodrome",
    "factory",
    "shipyard",
    "airfield",
    "naval_base",
    "military",
    "aquarium",
    "church",
    "hotel",
    "consulate",
    "government",
    "theatre",
    "museum",
    "exhibition",
    "port",
    "shop",
    "camp",
    "river",
    "bridge",
    "city",
)
COORD_PRECISIONS = ("site", "station", "approximate")
ROUTE_MODES = ("rail", "road", "air", "sea")

# Columns other tools read: a dataset may add columns, never drop or rename these.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    PLACES_FILE: ("place_id", "name", "name_ru", "name_ko", "lat", "lon", "kind", "country"),
    TRIPS_FILE: ("trip_id", "leader", "year", "title", "start_date", "end_date"),
    EVENTS_FILE: (
        "event_id",
        "trip_id",
        "date",
        "place_id",
        "category",
        "title",
        "description",
        "source_ids",
        "evidence",
        "certainty",
    ),
    SOURCES_FILE: ("source_id", "publisher", "title", "published", "url", "seed_file"),
}
# Required columns whose cells may be blank (unknown translation, undated source, non-seed source).
BLANK_ALLOWED: dict[str, frozenset[str]] = {
    PLACES_FILE: frozenset({"name_ru", "name_ko"}),
    TRIPS_FILE: frozenset(),
    EVENTS_FILE: frozenset({"description"}),
    SOURCES_FILE: frozenset({"title", "published", "url", "seed_file"}),
}
ROUTE_PROPERTIES = ("trip_id", "from_place", "to_place", "depart", "arrive", "mode")

MAX_EVIDENCE_CHARS = 240
MAX_TEXT_CHARS = 2000
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_\-]*")
ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_PATTERN = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
SEED_FILE_PATTERN = re.compile(r"[A-Za-z0-9_.\-]+\.txt")


def _slug(value: str) -> str:
    if not ID_PATTERN.fullmatch(value) or len(value) > 80:
        raise ValueError(f"{value!r} is not an id: use lower-case letters, digits, '_' or '-'")
    return value


def _iso_date(value: object) -> object:
    if isinstance(value, str):
        if not ISO_DATE_PATTERN.fullmatch(value):
            raise ValueError(f"{value!r} is not a date in YYYY-MM-DD form")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date ({exc})") from None
    return value


def _time(value: str) -> str:
    if not TIME_PATTERN.fullmatch(value):
        raise ValueError(f"{value!r} is not a local time in HH:MM form")
    return value


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _color(value: str) -> str:
    if not COLOR_PATTERN.fullmatch(value):
        raise ValueError(f"{value!r} is not a colour in #rrggbb form")
    return value


def _seed_file(value: str) -> str:
    if not SEED_FILE_PATTERN.fullmatch(value):
        raise ValueError(f"{value!r} is not a seed file name like 000_abcdef.txt")
    return value


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";")]
    return value


def _no_duplicates(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("lists the same source twice")
    return values


Id = Annotated[str, AfterValidator(_slug)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
LongText = Annotated[str, Field(max_length=MAX_TEXT_CHARS * 4)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Url = Annotated[str, AfterValidator(_http_url)]
IdList = Annotated[list[Id], BeforeValidator(_split_ids), Field(min_length=1), AfterValidator(_no_duplicates)]


class Row(BaseModel):
    """Base for CSV rows: extra columns are kept for the analyst, strings arrive stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class PlaceRow(Row):
    place_id: Id
    name: Text
    name_ru: Text | None = None
    name_ko: Text | None = None
    lat: Latitude
    lon: Longitude
    kind: Literal[PLACE_KINDS]  # type: ignore[valid-type]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    coord_precision: Literal[COORD_PRECISIONS] | None = None  # type: ignore[valid-type]
    coord_source: Text | None = None
    note: LongText | None = None


class TripRow(Row):
    trip_id: Id
    leader: Text
    year: Annotated[int, Field(ge=1900, le=2100)]
    title: Text
    start_date: IsoDate
    end_date: IsoDate
    entry_date: IsoDate | None = None
    # The country the leader enters on entry_date (day 0 of the trip), ISO 3166-1 alpha-2.
    entry_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    color: Annotated[str, AfterValidator(_color)] | None = None
    summary: LongText | None = None


class EventRow(Row):
    event_id: Id
    trip_id: Id
    date: IsoDate
    time: Annotated[str, AfterValidator(_time)] | None = None
    part_of_day: Literal[PARTS_OF_DAY] | None = None  # type: ignore[valid-type]
    time_note: LongText | None = None
    place_id: Id
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    title: Text
    description: LongText | None = None
    people: LongText | None = None
    source_ids: IdList
    evidence: Annotated[str, Field(min_length=1, max_length=MAX_EVIDENCE_CHARS)]
    certainty: Literal[CERTAINTIES]  # type: ignore[valid-type]
    certainty_note: LongText | None = None


class SourceRow(Row):
    source_id: Id
    publisher: Text
    title: Text | None = None
    published: IsoDate | None = None
    url: Url | None = None
    seed_file: Annotated[str, AfterValidator(_seed_file)] | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] | None = None
    note: LongText | None = None


class LegProperties(BaseModel):
    """Properties of one route leg in routes.geojson."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    leg_id: Id | None = None
    trip_id: Id
    from_place: Id
    to_place: Id
    depart: IsoDate
    arrive: IsoDate
    mode: Literal[ROUTE_MODES]  # type: ignore[valid-type]
    certainty: Literal[CERTAINTIES] | None = None  # type: ignore[valid-type]
    note: LongText | None = None


def _drop_altitude(value: object) -> object:
    """RFC 7946 §3.1.1: a position may add an altitude; the map is flat, so keep [lon, lat]."""
    if not isinstance(value, list | tuple) or len(value) <= 2:
        return value
    if len(value) > 3:
        raise ValueError("a position is [lon, lat] or [lon, lat, altitude]")
    altitude = value[2]
    if isinstance(altitude, bool) or not isinstance(altitude, int | float) or not math.isfinite(altitude):
        raise ValueError(f"altitude {altitude!r} is not a number")
    return value[:2]


Position = Annotated[tuple[Longitude, Latitude], BeforeValidator(_drop_altitude)]


class LineStringGeometry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    type: Literal["LineString"]
    coordinates: Annotated[list[Position], Field(min_length=2)]


class LegFeature(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    type: Literal["Feature"]
    geometry: LineStringGeometry
    properties: LegProperties


class FlatLineStringGeometry(LineStringGeometry):
    """Only [lon, lat] positions, checked without a Python call per point (a big dataset has millions)."""

    coordinates: Annotated[list[tuple[Longitude, Latitude]], Field(min_length=2)]


class FlatLegFeature(LegFeature):
    """A leg whose positions carry no altitude: what LegFeature accepts, with the same values, but faster.

    Whatever it refuses is checked again by LegFeature, which accepts altitudes and words the problems.
    """

    geometry: FlatLineStringGeometry


ROW_MODELS: dict[str, type[Row]] = {
    PLACES_FILE: PlaceRow,
    TRIPS_FILE: TripRow,
    EVENTS_FILE: EventRow,
    SOURCES_FILE: SourceRow,
}
