"""The cached map frame sends st_folium's component exactly what st_folium itself would send."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import streamlit_folium

from components import layers, mapview
from components.dataset import Dataset, load_dataset, query
from components.state import MAP_KEY, YEARS_KEY
from tests.conftest import REPO


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(REPO / "data")


def _capture(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs))
    return calls


def _normal(value: Any) -> Any:
    """Folium names elements with random hex ids; compare the code with the ids taken out."""
    if isinstance(value, str):
        return re.sub(r"_[0-9a-f]{32}", "_ID", value)
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def test_cached_frame_matches_st_folium(ds: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _capture(monkeypatch)
    trips = ["kju-2019"]
    mapview.show_map(layers.build_base_map(ds), layers.dynamic_layers(ds, trips, 1, "fefu_russky"), height=600)
    frame = mapview.render_base(layers.build_base_map(ds), layers.DYNAMIC_LAYER_NAMES)
    mapview.show_frame(frame, layers.dynamic_layers(ds, trips, 1, "fefu_russky"), height=600)
    direct, cached = calls
    for name in ("script", "header", "html", "feature_group", "layer_control", "css_links", "js_links", "key",
                 "default", "returned_objects", "height", "zoom", "center"):  # fmt: skip
        assert _normal(cached[name]) == _normal(direct[name]), name


def test_layer_names_match_the_layers(ds: Dataset) -> None:
    names = tuple(group.layer_name for group in layers.dynamic_layers(ds, ["kju-2019"], 1, None))
    assert names == layers.DYNAMIC_LAYER_NAMES


def _lines_from_file(geometry: dict[str, Any], options: dict[str, Any]) -> list[tuple[str, list[list[float]]]]:
    """The lines summit_map.js draws from the route file and a day's options (SummitMap.routes)."""
    lines = []
    for trip in options["trips"]:
        legs, under_way = geometry[trip["id"]], trip["underWay"]
        done = legs[: trip["done"]] + ([under_way["done"]] if under_way else [])
        ahead = ([under_way["ahead"]] if under_way else []) + legs[trip["done"] + (1 if under_way else 0) :]
        lines += [(trip["styles"]["done"], points) for points in done if len(points) > 1]
        lines += [(trip["styles"]["ahead"], points) for points in ahead if len(points) > 1]
    return lines


@pytest.mark.parametrize("trips", [["kju-2019"], ["kji-2002", "kju-2019", "kju-2023"]])
def test_routes_from_the_file_are_the_routes_of_the_day(ds: Dataset, trips: list[str]) -> None:
    geometry = json.loads(json.dumps(layers.route_geometry(ds, trips)))
    assert set(geometry) == set(trips), "only the selection's routes go in its file"
    first, last = query.day_range(ds, trips)
    for day in [None, *range(first - 1, last + 2)]:
        progress = [query.route_progress(ds, trip_id, day) for trip_id in trips]
        inline = [
            ({k: v for k, v in line.items() if k != "points"}, line["points"])
            for line in layers.route_lines(ds, progress)
        ]
        element = next(iter(layers.routes_from_file(ds, progress, "/routes.json")._children.values()))
        assert element.function == "routes"
        options = json.loads(json.dumps(element.data[0]))
        assert options["url"] == "/routes.json"
        assert _lines_from_file(geometry, options) == inline, day


def test_routes_from_the_file_send_far_less_than_the_routes(ds: Dataset) -> None:
    trips = ds.trips["trip_id"].tolist()
    url = "/app/static/generated/routes.json"
    for day in range(*query.day_range(ds, trips)):
        inline = mapview.layers_script(layers.dynamic_layers(ds, trips, day, None))
        by_file = mapview.layers_script(layers.dynamic_layers(ds, trips, day, None, url))
        assert len(by_file) < len(inline) / 3, day


def test_route_file_is_named_by_its_content_and_written_once(tmp_path: Path) -> None:
    url = mapview.publish_routes({"trip": [[[1.0, 2.0], [3.0, 4.0]]]}, tmp_path)
    assert url is not None
    assert url.startswith(f"{mapview.GENERATED_URL}/routes-")
    written = tmp_path / url.rsplit("/", 1)[1]
    assert json.loads(written.read_text(encoding="utf-8")) == {"trip": [[[1.0, 2.0], [3.0, 4.0]]]}
    assert mapview.publish_routes({"trip": [[[1.0, 2.0], [3.0, 4.0]]]}, tmp_path) == url
    assert mapview.publish_routes({"trip": [[[1.0, 2.0], [3.0, 5.0]]]}, tmp_path) != url
    assert [p.suffix for p in tmp_path.iterdir()] == [".json", ".json"], "no half-written file left"


def test_route_file_none_when_it_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    assert mapview.publish_routes({"trip": []}, blocked / "generated") is None


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        ({}, False),
        ({MAP_KEY: {"last_object_clicked_count": 0}, mapview.MAP_DRAWN_KEY: True}, False),
        ({MAP_KEY: {"catch_up": None}, mapview.MAP_DRAWN_KEY: True}, True),
        ({MAP_KEY: {"catch_up": 3}, mapview.MAP_DRAWN_KEY: False}, False),
        ({MAP_KEY: "not a dict", mapview.MAP_DRAWN_KEY: True}, False),
    ],
)
def test_map_first_only_with_a_browser_that_catches_up(session: dict[str, Any], expected: bool) -> None:
    assert mapview.browser_catches_up(session) is expected


def test_without_a_browser_that_catches_up_the_whole_page_reruns() -> None:
    session: dict[str, Any] = {MAP_KEY: {"last_object_clicked_count": 0}, YEARS_KEY: [2019]}
    mapview.request_map_first(session)  # returns: no map-first run is asked for
    assert mapview.CATCH_UP_KEY not in session
    session = {MAP_KEY: {"catch_up": 1}, mapview.MAP_DRAWN_KEY: True, YEARS_KEY: []}
    mapview.request_map_first(session)
    assert mapview.CATCH_UP_KEY not in session, "no year: no map to draw first"


def test_catch_up_code_names_the_last_map_first_run() -> None:
    assert mapview.catch_up_code({}) == "SummitMap.catchUp(0);"
    assert mapview.catch_up_code({mapview.CATCH_UP_KEY: 4}) == "SummitMap.catchUp(4);"
