"""The shipped dataset keeps the project's promises: valid, sourced, quoted verbatim, on the map."""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from pathlib import Path

import pytest

from components.dataset import load_dataset, query
from components.dataset.model import DEFAULT_DATA_DIR, Dataset
from components.dataset.validate import check_dataset
from tests.conftest import REPO, SEEDS_DIR


@cache
def shipped() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_shipped_data_validates() -> None:
    assert [str(p) for p in check_dataset(DEFAULT_DATA_DIR).problems] == []


def test_dataset_is_complete_enough() -> None:
    ds = shipped()
    assert set(ds.trips["trip_id"]) == {
        "putin-2000",
        "kji-2001",
        "kji-2002",
        "kji-2011",
        "kju-2019",
        "kju-2023",
        "putin-2024",
        "kju-2025",
    }
    assert len(ds.events) >= 40
    assert len(ds.places) >= 15
    for trip_id in ds.trips["trip_id"]:
        # A train crossing the Far East has many stops; a visit to one city (by air, or by a line not drawn), few.
        enough = 10 if query.by_rail(ds, trip_id) else 5
        assert (ds.events["trip_id"] == trip_id).sum() >= enough, trip_id


@pytest.mark.parametrize(
    "place_id",
    [
        "khasan_station",
        "vladivostok_station",
        "fefu_russky",
        "vostochny_cosmodrome",
        "lesnaya_zaimka",
        "komsomolsk_station",
        "knevichi_airfield",
        "artyom_station",
        "korabelnaya_pier",
    ],
)
def test_key_places_have_events(place_id: str) -> None:
    assert (shipped().events["place_id"] == place_id).any()


def test_every_event_quotes_a_short_passage() -> None:
    events = shipped().events
    too_long = events.loc[events["evidence"].str.len() > 200, "event_id"].tolist()
    assert too_long == []


def test_every_place_is_used() -> None:
    ds = shipped()
    used = set(ds.events["place_id"]) | set(ds.legs["from_place"]) | set(ds.legs["to_place"])
    assert sorted(set(ds.places["place_id"]) - used) == []


def test_every_source_is_cited() -> None:
    ds = shipped()
    cited = {source for ids in ds.events["source_ids"] for source in ids}
    assert sorted(set(ds.sources["source_id"]) - cited) == []


@pytest.mark.parametrize("trip_id", ["kji-2002", "kju-2019", "kju-2023"])
def test_route_is_a_continuous_round_trip(trip_id: str) -> None:
    legs = shipped().legs
    legs = legs[legs["trip_id"] == trip_id]
    assert len(legs) >= 4
    stops = list(zip(legs["from_place"], legs["to_place"], strict=True))
    for (_, arrived), (departed, _) in itertools.pairwise(stops):
        assert arrived == departed, stops
    assert stops[0][0] == stops[-1][1], "the route must come back where it started"
    assert "khasan_station" in legs["to_place"].tolist()
    assert "khasan_station" in legs["from_place"].tolist()
    assert (legs["depart"].diff().dropna().dt.days >= 0).all()


def test_routes_follow_stations_not_straight_lines() -> None:
    legs = shipped().legs
    long_legs = legs[legs["km"] > 150]
    assert (long_legs["points"].map(len) >= 4).all(), "a long leg needs intermediate stations"
    # Khasan to Vladivostok by rail is about 240 km; a straight line across Amur Bay would be about 140 km.
    khasan_vlad = legs[(legs["from_place"] == "vladivostok_station") & (legs["to_place"] == "khasan_station")]
    assert (khasan_vlad["km"] > 220).all()


def _seed_text(seed_file: str) -> str:
    path = SEEDS_DIR / seed_file
    if not path.is_file():
        pytest.skip(f"seed articles not found at {SEEDS_DIR} (they live beside the checkout in shared/seeds)")
    return path.read_text(encoding="utf-8")


def test_seed_quotes_are_verbatim() -> None:
    ds = shipped()
    seeds = ds.sources.set_index("source_id")["seed_file"]
    checked = 0
    for event in ds.events.itertuples(index=False):
        first = event.source_ids[0]
        seed_file = seeds.get(first, "")
        if not seed_file:
            continue
        text = _normalise(_seed_text(seed_file))
        assert _normalise(event.evidence) in text, f"{event.event_id}: quote not in {seed_file}"
        checked += 1
    assert checked >= 15


def test_every_seed_is_cited_first_somewhere() -> None:
    ds = shipped()
    firsts = {ids[0] for ids in ds.events["source_ids"]}
    seeds = ds.sources.loc[ds.sources["seed_file"] != "", "source_id"]
    assert len(seeds) == 5
    assert set(seeds) <= firsts


@cache
def _drawn_land() -> object:
    """The land the map draws (static/basemap/land.geojson: countries, not its lakes and rivers), prepared."""
    import shapely
    from shapely.geometry import shape

    data = json.loads((REPO / "static" / "basemap" / "land.geojson").read_text(encoding="utf-8"))
    land = shapely.union_all([shape(f["geometry"]) for f in data["features"] if "kind" not in f["properties"]])
    shapely.prepare(land)
    return land


def _off_land(points: list[tuple[float, float]], km: float = 2.0) -> list[tuple[float, float]]:
    """The (lat, lon) points farther than about ``km`` from the drawn land."""
    import numpy as np
    import shapely

    if not points:
        return []
    lat, lon = np.array(points).T
    land = _drawn_land()
    # A degree of latitude is 111 km; a degree of longitude shrinks with the latitude: the smaller is the bound.
    near = shapely.dwithin(land, shapely.points(lon, lat), km / 111.2)
    return [point for point, ok in zip(points, near, strict=True) if not ok]


def test_places_and_routes_lie_on_land() -> None:
    ds = shipped()
    wet = [f"{p.place_id}" for p in ds.places.itertuples() if _off_land([(p.lat, p.lon)])]
    # Trains and cars run on land; a flight may cross the sea.
    points = sorted({point for points in ds.legs.loc[ds.legs["mode"] != "air", "points"] for point in points})
    wet += [f"route point {lat},{lon}" for lat, lon in _off_land(points)]
    assert wet == []


def test_the_land_check_finds_the_sea() -> None:
    assert _off_land([(42.0, 133.0)]) == [(42.0, 133.0)], "the Sea of Japan"
    assert _off_land([(43.1155, 131.8855)]) == [], "Vladivostok station"
    assert _off_land([(53.5, 108.0)]) == [], "Lake Baikal is not sea: the lakes are drawn over the land"


def test_data_dir_is_overridable(make_dataset, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    folder: Path = make_dataset()
    monkeypatch.setenv("SUMMIT_MAP_DATA", str(folder))
    assert load_dataset().data_dir == folder


def test_uncertain_events_say_why() -> None:
    events = shipped().events
    silent = events[(events["certainty"] != "confirmed") & (events["certainty_note"] == "")]
    assert silent["event_id"].tolist() == []
