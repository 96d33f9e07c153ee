"""Questions the dashboard asks of the dataset, answered with vectorised pandas filters.

Days are trip days: day 0 is the day the train entered Russia, so trips line up side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from components.dataset import geo
from components.dataset.model import Dataset

LatLon = geo.LatLon


# Answers kept per dataset: a reader's day and year moves, many times over, in a few MB.
MEMO_ENTRIES = 2048


@dataclass(frozen=True)
class RouteProgress:
    """Where one trip's train has been and is going on a given day."""

    trip_id: str
    travelled: list[list[LatLon]] = field(default_factory=list)
    ahead: list[list[LatLon]] = field(default_factory=list)
    position: LatLon | None = None
    # Where the train is: at a place (its id), or between two (from, to) on the leg under way.
    at_place: str | None = None
    between: tuple[str, str] | None = None
    rail_km_travelled: float = 0.0
    rail_km_total: float = 0.0
    # The cut, said once for every drawer: whole legs travelled, and the leg under way in two halves.
    legs_done: int = 0
    under_way: tuple[list[LatLon], list[LatLon]] | None = None


def trip_ids_for_years(ds: Dataset, years: Iterable[int]) -> list[str]:
    """Trips of the chosen summit years, in chronological order."""
    wanted = set(years)
    return ds.trips.loc[ds.trips["year"].isin(wanted), "trip_id"].tolist()


def day_range(ds: Dataset, trip_ids: Sequence[str]) -> tuple[int, int]:
    """First and last trip day over the selected trips (day 0 = entry into Russia)."""
    chosen = ds.trips[ds.trips["trip_id"].isin(trip_ids)]
    if chosen.empty:
        return 0, 0
    return int(chosen["start_day"].min()), int(chosen["end_day"].max())


def trip_date(ds: Dataset, trip_id: str, day: int) -> date:
    """The calendar date of a trip day."""
    entry = ds.trips_by_id.at[trip_id, "entry_date"]
    return (entry + pd.Timedelta(days=day)).date()


def day_of(ds: Dataset, trip_id: str, when: date) -> int:
    """The trip day of a calendar date."""
    entry = ds.trips_by_id.at[trip_id, "entry_date"]
    return (pd.Timestamp(when) - entry).days


def events_until(ds: Dataset, trip_ids: Sequence[str], day: int | None = None) -> pd.DataFrame:
    """Events of the selected trips that happened up to and including a trip day (all if None)."""
    mask = ds.events["trip_id"].isin(trip_ids)
    if day is not None:
        mask &= ds.events["slider_day"] <= day
    return ds.events.loc[mask]


def events_at_place(
    ds: Dataset, place_id: str, trip_ids: Sequence[str] | None = None, day: int | None = None
) -> pd.DataFrame:
    """A place's events in time order, optionally limited to trips and to a trip day."""
    mask = ds.events["place_id"] == place_id
    if trip_ids is not None:
        mask &= ds.events["trip_id"].isin(trip_ids)
    if day is not None:
        mask &= ds.events["slider_day"] <= day
    return ds.events.loc[mask]


def places_of(ds: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """The places where the given events happened, with event counts and the trips seen there."""
    if events.empty:
        return ds.places.iloc[0:0].assign(event_count=pd.Series(dtype="int64"), trip_ids=pd.Series(dtype=object))
    counts = events.groupby("place_id", sort=False).size().rename("event_count")
    pairs = events[["place_id", "trip_id"]].drop_duplicates()
    trips = pairs.groupby("place_id", sort=False)["trip_id"].agg(tuple).rename("trip_ids")
    grouped = pd.concat([counts, trips], axis=1)
    return ds.places.merge(grouped, left_on="place_id", right_index=True, how="inner")


def sources_for(ds: Dataset, source_ids: Iterable[str]) -> pd.DataFrame:
    """Source rows in the order they are cited."""
    found = ds.sources_by_id
    wanted = [source for source in dict.fromkeys(source_ids) if source in found.index]
    return found.loc[wanted].reset_index()


def trip_legs(ds: Dataset, trip_id: str) -> pd.DataFrame:
    """A trip's legs in travel order."""
    return ds.legs_by_trip.get(trip_id, ds.legs.iloc[0:0])


def by_rail(ds: Dataset, trip_id: str) -> bool:
    """True when the trip has a rail leg: a train to draw and to write about (a visit by air has none)."""
    legs = trip_legs(ds, trip_id)
    return bool((legs["mode"] == "rail").any())


def flight_legs(ds: Dataset, trip_id: str) -> list[int]:
    """The positions, in travel order, of the trip's legs flown: drawn as flights, never as a railway."""
    modes = trip_legs(ds, trip_id)["mode"].tolist()
    return [index for index, mode in enumerate(modes) if mode == "air"]


def route_progress(ds: Dataset, trip_id: str, day: int | None = None) -> RouteProgress:
    """Split a trip's route at a trip day: legs done, the leg under way (cut in proportion), legs ahead.

    A leg that departs on day d and arrives on day a is cut at (day - d + 1) / (a - d + 1): an
    overnight train is half way on its first day. With day None the whole route counts as travelled.
    """
    key = ("route_progress", trip_id, day)
    known = ds.memo.get(key)
    if isinstance(known, RouteProgress):
        return known
    progress = _route_progress(ds, trip_id, day)
    remember(ds, key, progress)
    return progress


def remember(ds: Dataset, key: tuple[object, ...], answer: object) -> None:
    """Keep a query's answer on the dataset; the oldest goes first, so memory stays bounded."""
    if len(ds.memo) >= MEMO_ENTRIES:
        ds.memo.pop(next(iter(ds.memo)), None)
    ds.memo[key] = answer


def _route_progress(ds: Dataset, trip_id: str, day: int | None) -> RouteProgress:
    legs = trip_legs(ds, trip_id)
    rail_total = float(legs.loc[legs["mode"] == "rail", "km"].sum())
    progress = RouteProgress(trip_id=trip_id, rail_km_total=rail_total)
    if legs.empty:
        return progress
    position: LatLon | None = None
    at_place: str | None = None
    between: tuple[str, str] | None = None
    under_way: tuple[list[LatLon], list[LatLon]] | None = None
    legs_done = 0
    km = 0.0
    for leg in legs.itertuples(index=False):
        points = list(leg.points)
        if day is None or leg.arrive_day <= day:
            progress.travelled.append(points)
            legs_done += 1
            km += leg.km if leg.mode == "rail" else 0.0
            position, at_place, between = points[-1], str(leg.to_place), None
        elif leg.depart_day <= day:
            fraction = (day - leg.depart_day + 1) / (leg.arrive_day - leg.depart_day + 1)
            done, rest = geo.split_line(points, fraction)
            progress.travelled.append(done)
            progress.ahead.append(rest)
            under_way = (done, rest)
            km += geo.line_length_km(done) if leg.mode == "rail" else 0.0
            position, at_place, between = done[-1], None, (str(leg.from_place), str(leg.to_place))
        else:
            if position is None:
                position, at_place = points[0], str(leg.from_place)
            progress.ahead.append(points)
    return RouteProgress(
        trip_id=trip_id,
        travelled=progress.travelled,
        ahead=progress.ahead,
        position=position,
        at_place=at_place,
        between=between,
        rail_km_travelled=km,
        rail_km_total=rail_total,
        legs_done=legs_done,
        under_way=under_way,
    )


def _where(ds: Dataset, progress: RouteProgress) -> str:
    """Where a train is, in the dataset's place names: a place, or 'from → to' on the way (any language)."""
    names = ds.places_by_id["name"]
    if progress.between is not None:
        return f"{names[progress.between[0]]} → {names[progress.between[1]]}"
    return str(names[progress.at_place]) if progress.at_place else ""


def rail_km(ds: Dataset, trip_ids: Sequence[str], day: int | None = None) -> float:
    """Rail kilometres travelled by the selected trips up to a trip day, from the route geometry."""
    return sum(route_progress(ds, trip_id, day).rail_km_travelled for trip_id in trip_ids)


@dataclass(frozen=True)
class Figures:
    """Headline numbers for a selection."""

    days: int
    places: int
    events: int
    rail_km: float


def headline(
    ds: Dataset, trip_ids: Sequence[str], day: int | None = None, progress: Sequence[RouteProgress] | None = None
) -> Figures:
    """Days travelled (summed over trips), places and events so far, and rail km from the geometry
    (from ``progress`` when the caller has already split the routes at the day)."""
    chosen = ds.trips[ds.trips["trip_id"].isin(trip_ids)]
    last = chosen["end_day"] if day is None else chosen["end_day"].clip(upper=day)
    days = int((last - chosen["start_day"] + 1).clip(lower=0).sum())
    events = events_until(ds, trip_ids, day)
    return Figures(
        days=days,
        places=int(events["place_id"].nunique()),
        events=len(events),
        rail_km=sum(p.rail_km_travelled for p in progress) if progress is not None else rail_km(ds, trip_ids, day),
    )


@dataclass(frozen=True)
class DaySections:
    """What the day panel lists: the day's own events per trip, and the run-up and aftermath apart."""

    on_day: list[tuple[str, date, pd.DataFrame]]
    run_up: list[tuple[str, pd.DataFrame]]
    aftermath: list[tuple[str, pd.DataFrame]]


def day_sections(ds: Dataset, trip_ids: Sequence[str], day: int) -> DaySections:
    """Events dated on the chosen trip day, trip by trip; events before a trip's first day (run-up) and
    after its last (aftermath) never sit under a day's heading, they get their own dated sections.

    The run-up is listed from the trip's first day on and the aftermath on its last day, as the map
    shows their places.
    """
    trips = ds.trips_by_id
    empty = ds.events.iloc[0:0]
    on_day: list[tuple[str, date, pd.DataFrame]] = []
    run_up: list[tuple[str, pd.DataFrame]] = []
    aftermath: list[tuple[str, pd.DataFrame]] = []
    for trip_id in trip_ids:
        start, end = int(trips.at[trip_id, "start_day"]), int(trips.at[trip_id, "end_day"])
        by_day, before, after = _split_by_day(ds, trip_id, start, end)
        if start <= day <= end:
            on_day.append((trip_id, trip_date(ds, trip_id, day), by_day.get(day, empty)))
        if day >= start and not before.empty:
            run_up.append((trip_id, before))
        if day >= end and not after.empty:
            aftermath.append((trip_id, after))
    return DaySections(on_day=on_day, run_up=run_up, aftermath=aftermath)


def _split_by_day(
    ds: Dataset, trip_id: str, start: int, end: int
) -> tuple[dict[int, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """A trip's events by trip day, its run-up and its aftermath, split once per dataset: every
    slider move asks for them again, and slicing a wide frame costs on a large dataset."""
    key = ("split_by_day", trip_id)
    known = ds.memo.get(key)
    if known is None:
        mine = ds.events_by_trip.get(trip_id, ds.events.iloc[0:0])
        by_day = {int(day): events for day, events in mine.groupby("day", sort=False)}
        known = (by_day, mine.loc[mine["day"] < start], mine.loc[mine["day"] > end])
        remember(ds, key, known)
    return known  # type: ignore[return-value]


def date_span(events: pd.DataFrame) -> str:
    """'19 Apr – 15 Aug 2002' for a set of events; '' when there are none."""
    if events.empty:
        return ""
    first, last = events["date"].min(), events["date"].max()
    if first == last:
        return first.strftime("%d %b %Y")
    left = first.strftime("%d %b") if first.year == last.year else first.strftime("%d %b %Y")
    return f"{left} – {last.strftime('%d %b %Y')}"


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the events to; an empty field means no narrowing by it.

    Within a field any value matches (summit or talks); across fields all must match.
    """

    categories: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    certainties: tuple[str, ...] = ()
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.categories or self.people or self.certainties or self.text.strip())


def people_of(events: pd.DataFrame) -> pd.Series:
    """Each event's people as a tuple of names (the column holds them separated by semicolons)."""
    return events["people"].map(lambda text: tuple(n.strip() for n in text.split(";") if n.strip()))


def people_by_frequency(ds: Dataset) -> list[str]:
    """Everyone named in the events, the most often named first (ties by name); computed once per dataset."""
    return ds.people_by_frequency


def filter_events(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events that pass the filters; text matches titles, descriptions and evidence, any case."""
    if not filters.active:
        return events
    mask = pd.Series(True, index=events.index)
    if filters.categories:
        mask &= events["category"].isin(filters.categories)
    if filters.certainties:
        mask &= events["certainty"].isin(filters.certainties)
    if filters.people:
        wanted = set(filters.people)
        mask &= people_of(events).map(lambda names: not wanted.isdisjoint(names))
    needle = filters.text.strip().casefold()
    if needle:
        haystack = events["title"] + "\n" + events["description"] + "\n" + events["evidence"]
        mask &= haystack.str.casefold().str.contains(needle, regex=False)
    return events.loc[mask]


def filtered(ds: Dataset, filters: Filters) -> Dataset:
    """The dataset as the page shows it: the same trips, places and routes, only the events that pass."""
    if not filters.active:
        return ds
    return replace(ds, events=filter_events(ds.events, filters))


def opening_event(ds: Dataset) -> str | None:
    """The event a first visit opens on: the latest trip's first summit meeting, which tells the story
    at once (its day, its place, its quote). None when that trip records no summit."""
    if ds.trips.empty:
        return None
    latest = ds.trips["trip_id"].iloc[-1]
    events = ds.events
    summits = events.loc[(events["trip_id"] == latest) & (events["category"] == "summit"), "event_id"]
    return str(summits.iloc[0]) if len(summits) else None


def event_row(ds: Dataset, event_id: str | None) -> pd.Series | None:
    """One event by id, or None."""
    if not event_id:
        return None
    found = ds.events.loc[ds.events["event_id"] == event_id]
    return None if found.empty else found.iloc[0]


def citation(ds: Dataset, event: pd.Series, link: str = "") -> str:
    """A ready reference for an event: each source (publisher, title, date, URL), then this dataset's event."""
    lines = []
    for source in sources_for(ds, event["source_ids"]).to_dict("records"):
        published = source["published"].strftime("%d %B %Y") if pd.notna(source["published"]) else "undated"
        title = f"“{source['title']}”" if source["title"] else "(untitled)"
        url = f" {source['url']}" if source["url"] else ""
        lines.append(f"{source['publisher']}, {title}, {published}.{url}")
    when = event["date"].strftime("%d %B %Y")
    lines.append(
        f"Cited for: “{event['title']}” ({when}), Summit Map dataset, event id {event['event_id']}"
        + (f", {link}" if link else "")
        + "."
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class TripSummary:
    """One trip's totals for the comparison."""

    trip_id: str
    year: int
    leader: str
    first_date: date
    last_date: date
    days: int
    rail_km: float
    places: int
    events: int


def compare_trips(ds: Dataset, trip_ids: Sequence[str]) -> tuple[list[TripSummary], pd.DataFrame]:
    """Trips side by side: totals per trip, and per trip day where each train was and what happened.

    The table has one row per trip day over all the trips (day 0 = entry into Russia) and, per trip,
    the date, where the train was at the day's end, and the day's event titles (run-up and aftermath
    excluded: they belong to no day of the trip).
    """
    trips = ds.trips_by_id
    summaries: list[TripSummary] = []
    first, last = day_range(ds, trip_ids)
    rows: dict[int, dict[str, object]] = {day: {"day": day} for day in range(first, last + 1)}
    for trip_id in trip_ids:
        trip = trips.loc[trip_id]
        events = ds.events.loc[ds.events["trip_id"] == trip_id]
        summaries.append(
            TripSummary(
                trip_id=trip_id,
                year=int(trip["year"]),
                leader=str(trip["leader"]),
                first_date=trip["start_date"].date(),
                last_date=trip["end_date"].date(),
                days=int(trip["end_day"] - trip["start_day"] + 1),
                rail_km=route_progress(ds, trip_id, None).rail_km_travelled,
                places=int(events["place_id"].nunique()),
                events=len(events),
            )
        )
        for day in range(int(trip["start_day"]), int(trip["end_day"]) + 1):
            today = events.loc[events["day"] == day]
            where = _where(ds, route_progress(ds, trip_id, day))
            rows[day][f"{trip_id}:date"] = trip_date(ds, trip_id, day)
            rows[day][f"{trip_id}:where"] = where
            rows[day][f"{trip_id}:events"] = len(today)
            rows[day][f"{trip_id}:what"] = " · ".join(today["title"])
    return summaries, pd.DataFrame(list(rows.values()))
