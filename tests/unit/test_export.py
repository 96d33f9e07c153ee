"""Exports: the CSV and GeoJSON of a selection parse back with the right rows and features, the map is
one file that points at nothing outside itself, the zip holds the dataset byte for byte, hostile text
stays text."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from components import export
from components.dataset import Dataset, load_dataset, query
from tests.conftest import REPO

HOSTILE_TITLES = [
    '=HYPERLINK("http://example.com/x","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "<script>alert(1)</script>",
    'Kim "says" hello; goodbye,\nnext line',
]
SAFE_TITLES = [
    '\'=HYPERLINK("http://example.com/x","click")',
    "'+1+2",
    "'-2+3",
    "'@SUM(A1:A2)",
    "<script>alert(1)</script>",
    'Kim "says" hello; goodbye,\nnext line',
]
HOSTILE_NAME = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(REPO / "data")


def _read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def _coordinates(geometry: dict[str, Any]) -> list[list[float]]:
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    if geometry["type"] == "LineString":
        return geometry["coordinates"]
    return [point for line in geometry["coordinates"] for point in line]


def test_csv_has_the_selected_events_and_the_columns_of_events_csv(ds: Dataset) -> None:
    events = query.events_until(ds, ["kju-2019"], 1)
    frame = _read_csv(export.events_csv(ds, events))
    shipped = pd.read_csv(REPO / "data" / "events.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == [*shipped.columns, "place_name", "lat", "lon", "source_urls"]
    assert list(frame["event_id"]) == list(events["event_id"])
    # Every column of events.csv comes back as the file has it (dates ISO, source ids joined by ;),
    # but for the ' before a cell that would run as a formula.
    mine = shipped.set_index("event_id").loc[frame["event_id"]].reset_index()
    for column in shipped.columns:
        expected = [f"'{v}" if v.startswith(("=", "+", "-", "@")) else v for v in mine[column]]
        assert list(frame[column]) == expected, column
    assert frame["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    places = ds.places_by_id.loc[frame["place_id"]]
    assert list(frame["place_name"]) == list(places["name"])
    assert list(frame["lat"].astype(float)) == pytest.approx(list(places["lat"]))
    assert list(frame["lon"].astype(float)) == pytest.approx(list(places["lon"]))
    urls = ds.sources_by_id["url"]
    for row in frame.itertuples():
        cited = [urls[source] for source in row.source_ids.split(";") if urls[source]]
        assert row.source_urls.split(";") == cited


def test_csv_of_no_events_still_has_its_header(ds: Dataset) -> None:
    frame = _read_csv(export.events_csv(ds, ds.events.iloc[0:0]))
    assert frame.empty
    assert list(frame.columns) == [*export.EVENT_COLUMNS, "place_name", "lat", "lon", "source_urls"]


def test_csv_defuses_formulas_and_keeps_markup_as_text(ds: Dataset) -> None:
    events = ds.events.head(len(HOSTILE_TITLES)).copy()
    events["title"] = HOSTILE_TITLES
    events["evidence"] = HOSTILE_TITLES
    frame = _read_csv(export.events_csv(ds, events))
    assert list(frame["title"]) == SAFE_TITLES
    assert list(frame["evidence"]) == SAFE_TITLES, "the ' is the only change to a verbatim quote"


def test_geojson_has_one_point_per_event_and_one_route_per_trip(ds: Dataset, tmp_path: Path) -> None:
    trips = ds.trips["trip_id"].tolist()
    day = 1
    events = query.events_until(ds, trips, day)
    collection = json.loads(export.events_geojson(ds, events))
    assert collection["type"] == "FeatureCollection"
    points = collection["features"]
    assert {f["geometry"]["type"] for f in points} == {"Point"}, "events in their own file"
    routes = json.loads(export.route_geojson(ds, trips, day))["features"]
    assert {f["properties"]["kind"] for f in routes} == {"route_travelled"}, "routes in theirs"
    assert [f["properties"]["event_id"] for f in points] == list(events["event_id"])
    assert all(f["properties"]["description"] for f in [*points, *routes]), "every feature described"
    # One route per trip that has legs (a visit whose flight is not drawn has none).
    assert [f["properties"]["trip_id"] for f in routes] == [t for t in trips if len(query.trip_legs(ds, t))]
    for feature in routes:
        progress = query.route_progress(ds, feature["properties"]["trip_id"], day)
        assert feature["geometry"]["type"] in ("LineString", "MultiLineString")
        drawn = [[(lat, lon) for lon, lat in line] for line in feature["geometry"]["coordinates"]]
        assert drawn == [[pytest.approx(p, abs=1e-6) for p in line] for line in progress.travelled if len(line) > 1]
        assert feature["properties"]["rail_km_travelled"] == pytest.approx(progress.rail_km_travelled, abs=0.1)
    for feature in [*points, *routes]:
        for lon, lat in _coordinates(feature["geometry"]):
            assert -180 <= lon <= 180
            assert -90 <= lat <= 90
    # Longitude first (RFC 7946): every shipped place lies east of 100° E and north of 30° N.
    for feature in points:
        lon, lat = feature["geometry"]["coordinates"]
        place = ds.places_by_id.loc[feature["properties"]["place_id"]]
        assert (lon, lat) == (pytest.approx(place["lon"]), pytest.approx(place["lat"]))


def test_geojson_properties_are_the_documented_ones(ds: Dataset) -> None:
    event = query.event_row(ds, "2019-04-25-putin-greets-kim-at-fefu-one-on-one-talk")
    assert event is not None
    collection = json.loads(export.events_geojson(ds, ds.events.loc[[event.name]]))
    (point,) = collection["features"]
    (route,) = json.loads(export.route_geojson(ds, ["kju-2019"], 1))["features"]
    assert set(point["properties"]) == {
        "kind", "event_id", "trip_id", "date", "time", "part_of_day", "place_id", "place_name", "category", "title",
        "description", "people", "certainty", "evidence", "sources",
    }  # fmt: skip
    assert point["properties"]["description"].startswith("2019-04-25 14:05 · Putin greets Kim at FEFU")
    assert point["properties"]["date"] == "2019-04-25"
    assert point["properties"]["evidence"] == event["evidence"]
    sources = point["properties"]["sources"]
    assert [s["url"] for s in sources] == [ds.sources_by_id.at[s, "url"] for s in event["source_ids"]]
    assert all(set(s) == {"publisher", "title", "date", "url"} for s in sources)
    assert set(route["properties"]) == {
        "kind",
        "trip_id",
        "up_to_day",
        "rail_km_travelled",
        "description",
        "track_source",
    }
    assert "OpenStreetMap" in collection["attribution"]
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    exports = readme.split("## Exports", 1)[1].split("\n## ", 1)[0]
    for name in [*point["properties"], *route["properties"], "publisher", "url"]:
        assert f"`{name}`" in exports, f"{name} is documented in data/README.md, Exports"


def test_geojson_reads_in_gdal(ds: Dataset, tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    trips = ["kju-2019", "kju-2023"]
    events = query.events_until(ds, trips, 1)
    path = tmp_path / "events.geojson"
    path.write_bytes(export.events_geojson(ds, events))
    info = pyogrio.read_info(path)
    assert info["features"] == len(events)
    assert "EPSG:4326" in str(info["crs"])
    meta, _fids, geometries, fields = pyogrio.raw.read(path)
    columns = list(meta["fields"])
    assert list(fields[columns.index("event_id")]) == list(events["event_id"])
    assert all(geometry is not None for geometry in geometries), "GDAL reads every geometry"
    assert meta["geometry_type"] == "Point", "one layer of points"
    route = tmp_path / "route.geojson"
    route.write_bytes(export.route_geojson(ds, trips, 1))
    meta, _fids, _geometries, _fields = pyogrio.raw.read(route)
    assert meta["geometry_type"] == "MultiLineString", "one layer of lines"
    assert pyogrio.read_info(route)["features"] == 2


def test_geojson_without_routes_travelled_has_only_points(ds: Dataset) -> None:
    first_day = int(ds.trips_by_id.at["kji-2002", "start_day"]) - 1
    events = query.events_until(ds, ["kji-2002"], first_day)
    assert json.loads(export.route_geojson(ds, ["kji-2002"], first_day))["features"] == []
    assert len(json.loads(export.events_geojson(ds, events))["features"]) == len(events)


def test_geojson_keeps_hostile_text_as_text(ds: Dataset) -> None:
    events = ds.events.head(len(HOSTILE_TITLES)).copy()
    events["title"] = HOSTILE_TITLES
    collection = json.loads(export.events_geojson(ds, events))
    assert [f["properties"]["title"] for f in collection["features"]] == HOSTILE_TITLES


def test_zip_holds_the_dataset_byte_for_byte(ds: Dataset) -> None:
    data = export.dataset_zip(ds.data_dir)
    assert data == export.dataset_zip(ds.data_dir), "the same files give the same bytes"
    files = ["README.md", "events.csv", "places.csv", "routes.geojson", "sources.csv", "trips.csv"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [f"{export.ZIP_FOLDER}/{name}" for name in files], "sorted, nothing else"
        for info in archive.infolist():
            assert info.date_time == export.ZIP_DATE
        for name in files:
            assert archive.read(f"{export.ZIP_FOLDER}/{name}") == (ds.data_dir / name).read_bytes()


def test_zip_changes_only_with_the_files(tmp_path: Path) -> None:
    for name in ("trips.csv", "places.csv", "sources.csv", "events.csv", "routes.geojson", "README.md"):
        (tmp_path / name).write_bytes((REPO / "data" / name).read_bytes())
    before = export.dataset_zip(tmp_path)
    (tmp_path / "README.md").touch()
    assert export.dataset_zip(tmp_path) == before, "file times do not reach the zip"
    (tmp_path / "README.md").write_text("changed\n", encoding="utf-8")
    assert export.dataset_zip(tmp_path) != before


def test_standalone_map_loads_nothing_from_elsewhere(ds: Dataset) -> None:
    html = export.standalone_html(ds, ["kju-2019"], 1, "fefu_russky")
    assert "/app/static" not in html
    assert re.search(r"<script[^>]+src=", html) is None
    assert re.search(r"<link[^>]+href=", html) is None
    # Leaflet's old-IE rule "behavior: url(#default#VML)" names no file.
    assert re.search(r"url\((?!['\"]?(?:data:|#default#VML))", html) is None, "every CSS image is a data: URI"
    assert "SummitMap.basemap(" in html
    assert '"land": "data:application/geo+json;base64,' in html
    assert '"labels": "data:application/geo+json;base64,' in html
    # What is left of the web is links and the optional OpenStreetMap layer (off unless chosen).
    remote = set(re.findall(r"https?://[^\s\"'<>()\\]+", html))
    # ... and the sources' own pages, linked from the places' popups (a reader follows them on purpose).
    events = query.events_until(ds, ["kju-2019"], 1)
    cited = {url for ids in events["source_ids"] for url in query.sources_for(ds, ids)["url"] if url}
    assert cited & remote, "the popups link the sources"
    assert remote - {u for u in remote if any(u in c or c.startswith(u) for c in cited)} <= {
        "https://leafletjs.com",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://www.openstreetmap.org/copyright",
        "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
        "http://www.w3.org/2000/svg",
    }, remote
    for place in query.events_until(ds, ["kju-2019"], 1)["place_id"].unique():
        assert f'"id": "{place}"' in html
    assert "L.control.layers(" in html, "the layer control, as in the app"


def test_standalone_map_escapes_hostile_names(ds: Dataset) -> None:
    places = ds.places.copy()
    places.loc[places["place_id"] == "fefu_russky", "name"] = HOSTILE_NAME
    trips = ds.trips.copy()
    trips.loc[trips["trip_id"] == "kju-2019", "title"] = HOSTILE_NAME
    html = export.standalone_html(replace(ds, places=places, trips=trips), ["kju-2019"], 1, "fefu_russky")
    assert "window.__pwned" in html, "the name is in the file"
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("events", [2019], 2), "summit-map_2019_day-2_events.csv"),
        (("route", [2019, 2023], 0), "summit-map_2019-2023_day-0_route.geojson"),
        (("map", [2019, 2023], None), "summit-map_2019-2023_map.html"),
        (("map", [], 3, "htm"), "summit-map_all_day-3_map.htm"),
        (("events", [2002, 2019, 2023], -1, "csv"), "summit-map_2002-2019-2023_day--1_events.csv"),
    ],
)
def test_file_names_say_what_they_hold(args: tuple[Any, ...], name: str) -> None:
    assert export.export_filename(*args) == name
