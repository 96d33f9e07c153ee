"""Query helpers on the small fixture dataset, where every answer can be worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from components.dataset import geo, load_dataset, query
from components.dataset.model import Dataset
from tests.conftest import DatasetFactory


@pytest.fixture
def ds(make_dataset: DatasetFactory) -> Dataset:
    return load_dataset(make_dataset())


def test_frames_are_typed(ds: Dataset) -> None:
    assert str(ds.events["date"].dtype).startswith("datetime64")
    assert ds.places["lat"].dtype == "float64"
    assert isinstance(ds.events["source_ids"].iloc[0], tuple)
    assert ds.events["description"].map(type).eq(str).all(), "missing text must read as '' not NaN"


def test_day_numbers_count_from_entry(ds: Dataset) -> None:
    days = dict(zip(ds.events["event_id"], ds.events["day"], strict=True))
    assert days == {"e-announce": -1, "e-khasan": 0, "e-vlad": 0, "e-summit": 1, "e-2023-khasan": 0, "e-glove": 1}
    trips = ds.trips.set_index("trip_id")
    assert (trips.at["kju-2023", "start_day"], trips.at["kju-2023", "end_day"]) == (-2, 7)
    assert query.day_range(ds, ["kju-2019", "kju-2023"]) == (-2, 7)


def test_trip_dates(ds: Dataset) -> None:
    assert [query.trip_date(ds, "kju-2019", day) for day in range(4)] == [
        date(2019, 4, 24),
        date(2019, 4, 25),
        date(2019, 4, 26),
        date(2019, 4, 27),
    ]
    assert query.trip_date(ds, "kju-2023", 1) == date(2023, 9, 13)
    assert query.day_of(ds, "kju-2023", date(2023, 9, 10)) == -2


def test_trip_ids_for_years(ds: Dataset) -> None:
    assert query.trip_ids_for_years(ds, [2023, 2019]) == ["kju-2019", "kju-2023"]
    assert query.trip_ids_for_years(ds, [1999]) == []


@pytest.mark.parametrize(
    ("trips", "day", "expected"),
    [
        (["kju-2019"], 0, ["e-announce", "e-khasan", "e-vlad"]),
        (["kju-2019"], 1, ["e-announce", "e-khasan", "e-vlad", "e-summit"]),
        (["kju-2023"], 0, ["e-2023-khasan"]),
        (["kju-2019", "kju-2023"], 1, ["e-announce", "e-khasan", "e-vlad", "e-summit", "e-2023-khasan", "e-glove"]),
        (["kju-2019"], None, ["e-announce", "e-khasan", "e-vlad", "e-summit"]),
    ],
)
def test_events_until(ds: Dataset, trips: list[str], day: int | None, expected: list[str]) -> None:
    assert query.events_until(ds, trips, day)["event_id"].tolist() == expected


def test_run_up_events_sit_on_first_day(ds: Dataset) -> None:
    mine = ds.events[ds.events["trip_id"] == "kju-2019"].set_index("event_id")
    assert mine.at["e-announce", "day"] == -1
    assert mine.groupby("slider_day").groups.keys() == {0, 1}, "the run-up is listed from the first day on"
    assert mine.loc[mine["slider_day"] == 0].index.tolist() == ["e-announce", "e-khasan", "e-vlad"]
    sections = query.day_sections(ds, ["kju-2019"], 0)
    assert [event_id for _, frame in sections.run_up for event_id in frame["event_id"]] == ["e-announce"]


def test_events_at_place(ds: Dataset) -> None:
    assert query.events_at_place(ds, "khasan_station")["event_id"].tolist() == ["e-khasan", "e-2023-khasan"]
    assert query.events_at_place(ds, "khasan_station", ["kju-2023"])["event_id"].tolist() == ["e-2023-khasan"]
    assert query.events_at_place(ds, "vladivostok_station", ["kju-2019"], day=0)["event_id"].tolist() == [
        "e-announce",
        "e-vlad",
    ]


def test_places_of_counts_events_and_trips(ds: Dataset) -> None:
    places = query.places_of(ds, query.events_until(ds, ["kju-2019", "kju-2023"])).set_index("place_id")
    assert places.loc["khasan_station", "event_count"] == 2
    assert places.loc["khasan_station", "trip_ids"] == ("kju-2019", "kju-2023")
    assert query.places_of(ds, ds.events.iloc[0:0]).empty


def test_sources_for_keeps_citation_order(ds: Dataset) -> None:
    assert query.sources_for(ds, ["seed-003", "mt-2019", "ghost"])["source_id"].tolist() == ["seed-003", "mt-2019"]


def test_route_progress_splits_overnight_leg_in_half(ds: Dataset) -> None:
    before = query.route_progress(ds, "kju-2023", -1)
    assert before.travelled == []
    assert len(before.ahead) == 1
    assert before.position == (42.4297, 130.6435)
    assert before.at_place == "khasan_station"
    assert before.between is None
    during = query.route_progress(ds, "kju-2023", 0)
    assert during.at_place is None
    assert during.between == ("khasan_station", "vostochny")
    assert during.rail_km_travelled == pytest.approx(during.rail_km_total / 2, rel=1e-2)
    assert during.travelled[0][-1] == during.ahead[0][0] == during.position
    assert (before.legs_done, before.under_way) == (0, None)
    assert during.legs_done == 0
    assert during.under_way == (during.travelled[0], during.ahead[0]), "the leg under way, cut once"
    after = query.route_progress(ds, "kju-2023", 1)
    assert after.ahead == []
    assert (after.legs_done, after.under_way) == (1, None)
    assert after.position == (51.8844, 128.3336)
    assert after.rail_km_travelled == pytest.approx(after.rail_km_total)


def test_rail_km_adds_up_legs(ds: Dataset) -> None:
    leg = geo.line_length_km([(42.4297, 130.6435), (43.40, 131.90), (43.1111, 131.8822)])
    assert query.rail_km(ds, ["kju-2019"], 0) == pytest.approx(leg)
    assert query.rail_km(ds, ["kju-2019"], None) == pytest.approx(2 * leg)
    assert query.rail_km(ds, ["kju-2019"], 2) == pytest.approx(leg * 1.5, rel=1e-3)  # cut interpolated in degrees


def test_geo_helpers() -> None:
    # One degree of latitude is about 111.2 km.
    assert geo.haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.01)
    head, tail = geo.split_line([(0.0, 0.0), (0.0, 2.0)], 0.25)
    assert head == [(0.0, 0.0), (0.0, 0.5)]
    assert tail == [(0.0, 0.5), (0.0, 2.0)]
    assert geo.split_line([(0.0, 0.0), (0.0, 1.0)], 0.0) == ([(0.0, 0.0)], [(0.0, 0.0), (0.0, 1.0)])
    assert geo.split_line([(0.0, 0.0), (0.0, 1.0)], 1.0) == ([(0.0, 0.0), (0.0, 1.0)], [(0.0, 1.0)])


def test_headline_figures(ds: Dataset) -> None:
    figures = query.headline(ds, ["kju-2019"], 1)
    assert (figures.days, figures.places, figures.events) == (2, 2, 4)
    assert figures.rail_km == pytest.approx(query.rail_km(ds, ["kju-2019"], 1))
    both = query.headline(ds, ["kju-2019", "kju-2023"], None)
    assert (both.days, both.places, both.events) == (4 + 10, 3, 6)
    assert query.headline(ds, ["kju-2019"], -5).days == 0
