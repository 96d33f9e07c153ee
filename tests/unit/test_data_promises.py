"""Promises the shipped data makes about clocks, notes, source dates and places.

Each promise is a small function that lists what breaks it; the shipped data must list nothing, and a
hand-made bad example must list something, so every check is shown able to fail.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache

import pandas as pd
import pytest

from components.dataset import load_dataset
from components.dataset.model import DEFAULT_DATA_DIR, Dataset
from components.dataset.schema import PART_OF_DAY_HOURS, TIME_PATTERN

Row = Mapping[str, str]

# Kinds of place a train stops at: the only kinds a rail leg may start or end at.
RAIL_STOP_KINDS = frozenset({"station", "border_crossing"})
# Kinds of place that are one building or site a leader visited: never a stop of the train itself.
SITE_KINDS = frozenset(
    {
        "factory",
        "military",
        "church",
        "restaurant",
        "shipyard",
        "aquarium",
        "memorial",
        "museum",
        "theatre",
        "camp",
        "hotel",
        "exhibition",
        "shop",
        "consulate",
        "cosmodrome",
        "naval_base",
    }
)
MOVEMENT_CATEGORIES = frozenset({"travel", "arrival", "departure"})
# Sources whose URL holds a date that is not the publication date, and why.
URL_DATE_IS_NOT_PUBLISHED = {
    "mail-guardian-nd": "the page shows 1 January 2002, a placeholder: the article reports the August 2002 departure",
}
URL_DATE_PATTERNS = (
    re.compile(r"(?<!\d)((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"),
)
WAYBACK_PREFIX = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/")


@cache
def shipped() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


def _rows(name: str) -> list[dict[str, str]]:
    """A shipped CSV in file order (the loaded frames are sorted)."""
    with (DEFAULT_DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- time -----------------------------------------------------------------------------------------


def time_problems(events: Iterable[Row]) -> list[str]:
    """Malformed times and parts of the day, either without a time_note, and times that go backwards within a
    day: a clock time before an earlier one in the file, or a part of the day that ends before it."""
    problems = []
    last: dict[str, tuple[str, str]] = {}
    for event in events:
        when = event.get("time", "").strip()
        part = event.get("part_of_day", "").strip()
        if not when and not part:
            continue
        if when and part:
            problems.append(f"{event['event_id']}: has both a time and a part of the day")
            continue
        if when and not TIME_PATTERN.fullmatch(when):
            problems.append(f"{event['event_id']}: {when!r} is not HH:MM")
            continue
        if part and part not in PART_OF_DAY_HOURS:
            problems.append(f"{event['event_id']}: {part!r} is not a part of the day")
            continue
        if not event.get("time_note", "").strip():
            problems.append(f"{event['event_id']}: has a time but no time_note saying where it comes from")
        previous = last.get(event["date"])
        latest = when or PART_OF_DAY_HOURS[part][1]
        if previous is not None and latest < previous[1]:
            problems.append(
                f"{event['event_id']}: {when or part} comes after {previous[0]} at {previous[1]} in the file"
            )
        if when:
            last[event["date"]] = (event["event_id"], when)
    return problems


def test_times_are_well_formed_sourced_and_in_order() -> None:
    events = _rows("events.csv")
    assert time_problems(events) == []
    trips = {trip["trip_id"]: trip for trip in _rows("trips.csv")}
    on_trip = [e for e in events if trips[e["trip_id"]]["start_date"] <= e["date"] <= trips[e["trip_id"]]["end_date"]]
    assert sum(1 for event in on_trip if event["time"]) >= 22
    assert sum(1 for event in on_trip if event["part_of_day"]) >= 27


def test_time_check_can_fail() -> None:
    events = [
        {"event_id": "a", "date": "2019-04-24", "time": "17:50", "time_note": "TASS"},
        {"event_id": "b", "date": "2019-04-24", "time": "", "time_note": ""},
        {"event_id": "c", "date": "2019-04-24", "time": "10:40", "time_note": "RIA"},
        {"event_id": "d", "date": "2019-04-25", "time": "7:5", "time_note": "x"},
        {"event_id": "e", "date": "2019-04-25", "time": "09:00", "time_note": ""},
        {"event_id": "f", "date": "2019-04-25", "part_of_day": "morning", "time_note": "KCNA"},
        {"event_id": "g", "date": "2019-04-25", "time": "13:09", "time_note": "TASS"},
        {"event_id": "h", "date": "2019-04-25", "part_of_day": "afternoon", "time_note": "TASS"},
        {"event_id": "i", "date": "2019-04-25", "part_of_day": "morning", "time_note": "KCNA"},
        {"event_id": "j", "date": "2019-04-26", "part_of_day": "dawn", "time_note": "x"},
        {"event_id": "k", "date": "2019-04-26", "part_of_day": "night", "time_note": ""},
        {"event_id": "l", "date": "2019-04-26", "time": "10:00", "part_of_day": "morning", "time_note": "x"},
    ]
    problems = time_problems(events)
    assert [problem.split(":")[0] for problem in problems] == ["c", "d", "e", "i", "j", "k", "l"]


def test_loaded_events_keep_clock_order_within_each_day() -> None:
    events = shipped().events
    for day, group in events.groupby("date", sort=False):
        timed = [when for when in group["time"] if when]
        assert timed == sorted(timed), day
    # The file is written in clock order, so loading must not reshuffle it.
    assert events["event_id"].tolist() == [
        row["event_id"] for row in sorted(_rows("events.csv"), key=lambda row: row["date"])
    ]


# --- notes ----------------------------------------------------------------------------------------


def repeated_sentences(note: str) -> list[str]:
    """Sentences that occur twice in one note (compared without case, spacing or punctuation)."""
    seen: set[str] = set()
    repeats = []
    for sentence in re.split(r"(?<=[.!?])\s+", note.strip()):
        key = re.sub(r"[^\w]+", " ", sentence).strip().lower()
        if not key:
            continue
        if key in seen:
            repeats.append(sentence)
        seen.add(key)
    return repeats


def test_no_certainty_note_repeats_a_sentence() -> None:
    events = shipped().events
    repeats = {
        event.event_id: repeated_sentences(event.certainty_note)
        for event in events.itertuples()
        if repeated_sentences(event.certainty_note)
    }
    assert repeats == {}


def test_repeated_sentence_check_can_fail() -> None:
    note = "KCNA names no station. Placed at Tumangang. KCNA names  no station!"
    assert repeated_sentences(note) == ["KCNA names  no station!"]
    assert repeated_sentences("One thing. Another thing.") == []


# --- sources --------------------------------------------------------------------------------------


def url_date(url: str) -> date | None:
    """A date written in a URL (2019/04/24, 2019-04-24 or 20190424), ignoring a Wayback Machine prefix."""
    address = WAYBACK_PREFIX.sub("", url)
    for pattern in URL_DATE_PATTERNS:
        match = pattern.search(address)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    return None


def undated_sources(sources: Iterable[Row]) -> list[str]:
    """Sources whose URL carries a date but whose `published` is blank or more than three days away."""
    problems = []
    for source in sources:
        in_url = url_date(source.get("url", ""))
        if in_url is None or source["source_id"] in URL_DATE_IS_NOT_PUBLISHED:
            continue
        published = source.get("published", "").strip()
        if not published:
            problems.append(f"{source['source_id']}: URL says {in_url}, published is blank")
        elif abs((date.fromisoformat(published) - in_url).days) > 3:
            problems.append(f"{source['source_id']}: URL says {in_url}, published says {published}")
    return problems


def test_sources_with_a_dated_url_are_dated() -> None:
    assert undated_sources(_rows("sources.csv")) == []


def test_source_date_check_can_fail() -> None:
    assert url_date("https://www.seoul.co.kr/news/2002/08/21/20020821001004") == date(2002, 8, 21)
    assert url_date("https://www.hankyung.com/politics/article/2002081559618") == date(2002, 8, 15)
    assert url_date("https://web.archive.org/web/20160817073618/https://x.jp/pk/2002090401.htm") == date(2002, 9, 4)
    assert url_date("https://tass.com/world/1055288") is None
    sources = [
        {"source_id": "blank", "url": "https://example.org/2019/04/24/story", "published": ""},
        {"source_id": "far", "url": "https://example.org/2019-04-24-story", "published": "2019-06-01"},
        {"source_id": "fine", "url": "https://example.org/20190424/story", "published": "2019-04-25"},
    ]
    assert [problem.split(":")[0] for problem in undated_sources(sources)] == ["blank", "far"]


# --- places ---------------------------------------------------------------------------------------


def place_kind_problems(places: pd.DataFrame, events: pd.DataFrame, legs: pd.DataFrame) -> list[str]:
    """Places used as the wrong kind of thing: a visited site as a rail stop, or a train movement at a site."""
    kinds = places.set_index("place_id")["kind"]
    problems = []
    for leg in legs.itertuples():
        for end in (leg.from_place, leg.to_place):
            if leg.mode == "rail" and kinds[end] not in RAIL_STOP_KINDS:
                problems.append(f"{leg.leg_id}: rail leg ends at {end} ({kinds[end]})")
    for event in events.itertuples():
        kind = kinds[event.place_id]
        if event.category in MOVEMENT_CATEGORIES and kind in SITE_KINDS:
            problems.append(f"{event.event_id}: {event.category} at {event.place_id} ({kind})")
    return problems


def test_no_place_stands_for_two_kinds_of_thing() -> None:
    ds = shipped()
    assert place_kind_problems(ds.places, ds.events, ds.legs) == []


def test_place_kind_check_can_fail() -> None:
    ds = shipped()
    places = ds.places.copy()
    # The old mistake: one place that was both a 2002 army unit and a 2023 rail junction.
    places.loc[places["place_id"] == "volochayevka", "kind"] = "military"
    problems = place_kind_problems(places, ds.events, ds.legs)
    assert any("rail leg ends at volochayevka (military)" in problem for problem in problems)
    assert any(problem.startswith("2023-09-14-") and "volochayevka (military)" in problem for problem in problems)


@pytest.mark.parametrize(
    ("event_prefix", "place_id"),
    [
        ("2023-09-13-putin-greets-kim", "vostochny_assembly_building"),
        ("2023-09-13-delegation-talks", "vostochny_engineering_building"),
        ("2002-08-22-inspection-of-a-russian-army-unit", "khabarovsk_army_unit"),
        ("2023-09-14-train-travels", "volochayevka"),
    ],
)
def test_events_sit_where_their_sources_put_them(event_prefix: str, place_id: str) -> None:
    events = shipped().events
    matches = events[events["event_id"].str.startswith(event_prefix)]
    assert matches["place_id"].tolist() == [place_id]


def test_approximate_places_say_how_they_were_placed() -> None:
    places = shipped().places
    silent = places[(places["coord_precision"] == "approximate") & (places["coord_source"] == "")]
    assert silent["place_id"].tolist() == []
