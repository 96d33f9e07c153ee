"""The map as a contract with streamlit-folium: the cached frame sends its component exactly what
``st_folium`` itself would send, and every private function ``compat`` uses is still there."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import folium
import pytest
import streamlit_folium

from components import keys
from components.dataset import Dataset, load_dataset, query
from components.map import base, compat, mapview, registry
from components.map.layers import routes
from components.view import View
from tests.conftest import REPO

MAP_KEY, YEARS_KEY = keys.MAP, keys.YEARS


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


def test_streamlit_folium_still_has_what_compat_uses() -> None:
    """Fails loudly, naming the piece, when an upgrade of streamlit-folium moves a private function."""
    missing = [name for name in compat.PRIVATE_NAMES if not callable(getattr(streamlit_folium, name, None))]
    assert missing == [], (
        f"streamlit-folium {streamlit_folium.__version__} lacks {missing}: update components/map/compat.py"
    )


def _views(ds: Dataset) -> tuple[View, list[str]]:
    return View((2019,), 1, "fefu_russky"), ["kju-2019"]


def test_cached_frame_matches_st_folium(ds: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _capture(monkeypatch)
    view, _ = _views(ds)
    streamlit_folium.st_folium(
        base.build_base_map(ds),
        key=keys.MAP,
        height=600,
        use_container_width=True,
        returned_objects=list(mapview.RETURNED_OBJECTS),
        feature_group_to_add=registry.layers(ds, view),
        layer_control=folium.LayerControl(collapsed=True, position="topright"),
    )
    frame = mapview.render_base(base.build_base_map(ds))
    mapview.show(frame, mapview.layers_code(registry.layers(ds, view)), height=600)
    direct, cached = calls
    for name in ("script", "header", "html", "feature_group", "layer_control", "css_links", "js_links", "key",
                 "default", "returned_objects", "height", "zoom", "center"):  # fmt: skip
        assert _normal(cached[name]) == _normal(direct[name]), name


def test_layer_names_match_the_layers_and_each_has_its_draw_function(ds: Dataset) -> None:
    view, _ = _views(ds)
    names = tuple(group.layer_name for group in registry.layers(ds, view))
    assert names == registry.LAYER_NAMES
    code = (REPO / "components" / "client" / "summit_map.js").read_text(encoding="utf-8")
    for layer in registry.LAYERS:
        assert f"SummitMap.{layer.draw} = function" in code, layer.name


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
def test_routes_of_the_day_are_the_routes_cut_by_the_query(ds: Dataset, trips: list[str]) -> None:
    """What summit_map.js draws from the file and a day's data is what route_progress travelled and left ahead."""
    geometry = json.loads(json.dumps(routes.geometry(ds, trips)))
    assert set(geometry) == set(trips), "only the selection's routes go in its file"
    years = tuple(sorted({int(ds.trips_by_id.at[t, "year"]) for t in trips}))
    first, last = query.day_range(ds, trips)
    for day in [None, *range(first - 1, last + 2)]:
        options = json.loads(json.dumps(routes.data(registry.scene(ds, View(years, day), "/routes.json"))))
        assert options["url"] == "/routes.json"
        drawn = _lines_from_file(geometry, options)
        for trip_id in trips:
            progress = query.route_progress(ds, trip_id, day)
            mine = [points for style, points in drawn if f"trip-{trip_id}" in style["className"]]
            expected = [routes.rounded(p) for p in progress.travelled + progress.ahead if len(p) > 1]
            assert mine == expected, (trip_id, day)


def test_routes_from_the_file_send_far_less_than_the_routes(ds: Dataset) -> None:
    trips = ds.trips["trip_id"].tolist()
    years = tuple(sorted(int(y) for y in ds.trips["year"]))
    url = "/app/static/generated/routes.json"
    for day in range(*query.day_range(ds, trips)):
        inline = mapview.layers_code(registry.layers(ds, View(years, day)))
        by_file = mapview.layers_code(registry.layers(ds, View(years, day), url))
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
        ({MAP_KEY: {"last_object_clicked_count": 0}, keys.MAP_DRAWN: True}, False),
        ({MAP_KEY: {"catch_up": None}, keys.MAP_DRAWN: True}, True),
        ({MAP_KEY: {"catch_up": 3}, keys.MAP_DRAWN: False}, False),
        ({MAP_KEY: "not a dict", keys.MAP_DRAWN: True}, False),
    ],
)
def test_map_first_only_with_a_browser_that_catches_up(session: dict[str, Any], expected: bool) -> None:
    assert mapview.browser_catches_up(session) is expected


def test_without_a_browser_that_catches_up_the_whole_page_reruns() -> None:
    session: dict[str, Any] = {MAP_KEY: {"last_object_clicked_count": 0}, YEARS_KEY: [2019]}
    mapview.request_map_first(session)  # returns: no map-first run is asked for
    assert keys.MAP_FIRST_RUNS not in session
    session = {MAP_KEY: {"catch_up": 1}, keys.MAP_DRAWN: True, YEARS_KEY: []}
    mapview.request_map_first(session)
    assert keys.MAP_FIRST_RUNS not in session, "no year: no map to draw first"


def test_catch_up_code_names_the_last_map_first_run() -> None:
    assert mapview.catch_up_code({}) == "SummitMap.catchUp(0);"
    assert mapview.catch_up_code({keys.MAP_FIRST_RUNS: 4}) == "SummitMap.catchUp(4);"
