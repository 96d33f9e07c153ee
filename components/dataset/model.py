"""The loaded dataset: typed pandas frames built once from validated records."""

from __future__ import annotations

import operator
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from components.dataset import geo
from components.dataset.reading import Problem
from components.dataset.schema import PART_OF_DAY_HOURS
from components.dataset.validate import CheckedDataset, check_dataset, without_cyclic_gc

DATA_DIR_ENV = "SUMMIT_MAP_DATA"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Distinct on a light basemap and for the common colour-vision deficiencies (Okabe–Ito).
# GeoJSON positions are [lon, lat]; the frames, like Leaflet, hold (lat, lon).
LAT_LON = operator.itemgetter(1, 0)
TRIP_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


class DatasetError(Exception):
    """Raised when a dataset folder does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the dataset; first: {problems[0]}")


class RowsByKey(Mapping[str, pd.DataFrame]):
    """A frame's rows split by a key column, each part cut only when first asked for.

    Splitting 100,000 events into thousands of trips up front costs seconds; a reader looks at a
    few trips, so only the row positions are found at once and a trip's frame is cut on demand.
    """

    def __init__(self, frame: pd.DataFrame, column: str) -> None:
        self._frame = frame
        self._positions = {str(key): rows for key, rows in frame.groupby(column, sort=False).indices.items()}
        self._parts: dict[str, pd.DataFrame] = {}

    def __getitem__(self, key: str) -> pd.DataFrame:
        part = self._parts.get(key)
        if part is None:
            part = self._frame.iloc[self._positions[key]]  # KeyError for an unknown key, as a dict
            self._parts[key] = part
        return part

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


@dataclass(frozen=True)
class Dataset:
    """The five files as frames. Days are counted from each trip's entry into Russia (day 0)."""

    data_dir: Path
    trips: pd.DataFrame
    places: pd.DataFrame
    sources: pd.DataFrame
    events: pd.DataFrame
    legs: pd.DataFrame

    @cached_property
    def trips_by_id(self) -> pd.DataFrame:
        """Trips indexed by id, built once."""
        return self.trips.set_index("trip_id")

    @cached_property
    def places_by_id(self) -> pd.DataFrame:
        """Places indexed by id, built once: lookups happen on every rerun."""
        return self.places.set_index("place_id")

    @cached_property
    def legs_by_trip(self) -> RowsByKey:
        """Each trip's legs, split once: routes are cut at the day for every trip on every rerun."""
        return RowsByKey(self.legs, "trip_id")

    @cached_property
    def events_by_trip(self) -> RowsByKey:
        """Each trip's events, split once (in time order, as in ``events``)."""
        return RowsByKey(self.events, "trip_id")

    @cached_property
    def people_by_frequency(self) -> list[str]:
        """Everyone named in the events' ``people`` column, the most often named first (ties by name)."""
        names = self.events["people"].str.split(";").explode().str.strip()
        counts = names[names.fillna("") != ""].value_counts()
        return sorted(counts.index, key=lambda name: (-counts[name], name))

    @cached_property
    def category_values(self) -> tuple[str, ...]:
        """The categories the events use, found once: the filter offers them on every rerun."""
        return tuple(str(value) for value in self.events["category"].dropna().unique())

    @cached_property
    def certainty_values(self) -> frozenset[str]:
        """The certainties the events use, found once."""
        return frozenset(str(value) for value in self.events["certainty"].dropna().unique())

    @cached_property
    def place_names(self) -> dict[str, str]:
        """Place id to name as a plain dict: choosers format every option on every rerun."""
        return {str(key): str(value) for key, value in self.places_by_id["name"].items()}

    @cached_property
    def publishers_by_event(self) -> pd.Series:
        """Each event's sources as "Publisher; Publisher", by event id, joined once for the table."""
        publisher = {str(key): str(value) for key, value in self.sources_by_id["publisher"].items()}
        joined = {
            str(event_id): "; ".join(publisher.get(str(source), str(source)) for source in sources)
            for event_id, sources in zip(self.events["event_id"], self.events["source_ids"], strict=True)
        }
        return pd.Series(joined, dtype=object)

    @cached_property
    def day_list(self) -> pd.DataFrame:
        """The few columns a day-list entry shows, cut once: records from a narrow frame are cheap."""
        columns = ["event_id", "place_id", "category", "title", "certainty", "time", "part_of_day", "time_note", "date"]
        return self.events[[column for column in columns if column in self.events.columns]]

    @cached_property
    def memo(self) -> dict[tuple[object, ...], object]:
        """Answers of pure queries on this dataset (route progress per trip and day): a rerun asks
        the same questions as the one before, and a large dataset has many trips to cut."""
        return {}

    @cached_property
    def sources_by_id(self) -> pd.DataFrame:
        """Sources indexed by id, built once."""
        return self.sources.set_index("source_id")

    def summary(self) -> str:
        """One line of counts, as the validator prints on success."""
        return (
            f"{len(self.trips)} trips, {len(self.events)} events, {len(self.places)} places, "
            f"{len(self.sources)} sources, {len(self.legs)} route legs"
        )


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The folder to read: an explicit path, else $SUMMIT_MAP_DATA, else the shipped data/."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(from_env) if from_env else DEFAULT_DATA_DIR


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).astype("datetime64[s]")


def _blank_missing_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Optional text reads as "" rather than NaN, so display code never meets a float."""
    for column in columns:
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def _sort_times(events: pd.DataFrame) -> pd.Series:
    """The time each event sorts by within its day.

    An event without a time takes the time of the event before it in the file on the same date
    (or sorts first in the day if there is none), so untimed events stay where the file puts them
    among timed ones; "HH:MM" strings then sort in clock order.
    """
    times = events["time"].where(events["time"] != "")
    by_day = events["date"]
    if "part_of_day" in events:
        # A part of the day sorts at its first hour, or after the timed event before it if that is later.
        starts = events["part_of_day"].map({part: hours[0] for part, hours in PART_OF_DAY_HOURS.items()})
        before = times.groupby(by_day, sort=False).ffill().fillna("")
        times = times.fillna(starts.where(starts.isna() | (starts > before), before))
    return times.groupby(by_day, sort=False).ffill().fillna("")


@without_cyclic_gc
def build_dataset(data_dir: Path, checked: CheckedDataset) -> Dataset:
    """Turn validated records into frames with derived columns (day numbers, colours, km)."""
    trips = checked.trips.reset_index(drop=True)
    for column in ("start_date", "end_date", "entry_date"):
        trips[column] = _dates(trips[column])
    trips["entry_date"] = trips["entry_date"].fillna(trips["start_date"])
    trips["entry_country"] = trips["entry_country"].fillna("").astype(str) if "entry_country" in trips else ""
    unused = [color for color in TRIP_PALETTE if color.lower() not in set(trips["color"].dropna().str.lower())]
    missing = trips["color"].isna()
    defaults = [
        unused[i % len(unused)] if unused else TRIP_PALETTE[i % len(TRIP_PALETTE)] for i in range(missing.sum())
    ]
    trips.loc[missing, "color"] = defaults
    trips["start_day"] = (trips["start_date"] - trips["entry_date"]).dt.days.astype("int64")
    trips["end_day"] = (trips["end_date"] - trips["entry_date"]).dt.days.astype("int64")
    trips = trips.sort_values(["start_date", "trip_id"], kind="stable").reset_index(drop=True)
    _blank_missing_text(trips, ("summary",))
    trip_info = trips.set_index("trip_id")

    places = checked.places.reset_index(drop=True)
    places["lat"] = places["lat"].astype("float64")
    places["lon"] = places["lon"].astype("float64")
    _blank_missing_text(places, ("name_ru", "name_ko", "coord_precision", "coord_source", "note"))

    sources = checked.sources.reset_index(drop=True)
    sources["published"] = _dates(sources["published"])
    _blank_missing_text(sources, ("title", "url", "seed_file", "language", "note"))

    events = checked.events.reset_index(drop=True)
    events["source_ids"] = events["source_ids"].map(tuple)
    _blank_missing_text(events, ("time", "part_of_day", "time_note", "description", "people", "certainty_note"))
    events["date"] = _dates(events["date"])
    events["file_order"] = range(len(events))
    entry = events["trip_id"].map(trip_info["entry_date"])
    events["day"] = (events["date"] - entry).dt.days.astype("int64")
    # Run-up and aftermath events sit at the trip's first / last day on the slider.
    events["slider_day"] = events["day"].clip(
        lower=events["trip_id"].map(trip_info["start_day"]), upper=events["trip_id"].map(trip_info["end_day"])
    )
    events["year"] = events["trip_id"].map(trip_info["year"]).astype("int64")
    events["sort_time"] = _sort_times(events)
    events = events.sort_values(["date", "sort_time", "file_order"], kind="stable").drop(columns="sort_time")
    events = events.reset_index(drop=True)

    leg_records = []
    for located in checked.legs:
        props = located.record.properties.model_dump()
        points = tuple(map(LAT_LON, located.record.geometry.coordinates))
        props["leg_id"] = props["leg_id"] or f"{props['trip_id']}-leg{located.where}"
        leg_records.append({**props, "points": points, "file_order": located.where})
    for record, km in zip(leg_records, geo.line_lengths_km([record["points"] for record in leg_records]), strict=True):
        record["km"] = km
    legs = pd.DataFrame.from_records(
        leg_records,
        columns=[
            "leg_id",
            "trip_id",
            "from_place",
            "to_place",
            "depart",
            "arrive",
            "mode",
            "certainty",
            "note",
            "points",
            "km",
            "file_order",
        ],
    )
    _blank_missing_text(legs, ("certainty", "note"))
    legs["depart"] = _dates(legs["depart"])
    legs["arrive"] = _dates(legs["arrive"])
    leg_entry = legs["trip_id"].map(trip_info["entry_date"])
    legs["depart_day"] = (legs["depart"] - leg_entry).dt.days.astype("int64")
    legs["arrive_day"] = (legs["arrive"] - leg_entry).dt.days.astype("int64")
    legs = legs.sort_values(["trip_id", "depart", "arrive", "file_order"], kind="stable").reset_index(drop=True)
    return Dataset(data_dir, trips, places, sources, events, legs)


def load_dataset(data_dir: str | os.PathLike[str] | None = None) -> Dataset:
    """Validate and load a dataset folder; raise DatasetError listing every problem if it is wrong."""
    folder = resolve_data_dir(data_dir)
    checked = check_dataset(folder)
    if checked.problems:
        raise DatasetError(checked.problems)
    if checked.lacks_rows():
        raise DatasetError(
            [Problem(str(folder), "0", "(file)", "the dataset needs at least one trip, place and event")]
        )
    return build_dataset(folder, checked)
