"""Exports: the CSV and GeoJSON of a selection parse back with the right rows and features, the zip
holds the dataset byte for byte, hostile text stays text."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from components import export
from components.dataset import Dataset, load_dataset, query
from tests.conftest import REPO


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(REPO / "data")


def test_csv_has_the_selected_events_and_their_places(ds: Dataset) -> None:
    events = query.events_until(ds, ["kju-2019"], 1)
    frame = pd.read_csv(io.BytesIO(export.events_csv(ds, events)), dtype=str, keep_default_na=False)
    assert list(frame["event_id"]) == list(events["event_id"])
    assert list(frame.columns[: len(export.EVENT_COLUMNS)]) == list(export.EVENT_COLUMNS)
    shipped = pd.read_csv(REPO / "data" / "events.csv", dtype=str, keep_default_na=False).set_index("event_id")
    for row in frame.head(20).itertuples():
        assert row.evidence == shipped.at[row.event_id, "evidence"], "quotes are exported verbatim"
        assert row.place_name == ds.places_by_id.at[row.place_id, "name"]
    assert frame["source_urls"].str.startswith("http").all()


def test_csv_defuses_formulas_and_keeps_markup_as_text(ds: Dataset) -> None:
    events = ds.events.head(2).copy()
    events["title"] = ['=HYPERLINK("http://x")', "<script>alert(1)</script>"]
    frame = pd.read_csv(io.BytesIO(export.events_csv(ds, events)), dtype=str, keep_default_na=False)
    assert list(frame["title"]) == ['\'=HYPERLINK("http://x")', "<script>alert(1)</script>"]


def test_geojson_has_one_point_per_event_and_the_route_travelled(ds: Dataset, tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    trips = ["kju-2019", "kju-2023"]
    events = query.events_until(ds, trips, 1)
    data = export.selection_geojson(ds, events, trips, 1)
    collection = json.loads(data)
    kinds = [f["properties"]["kind"] for f in collection["features"]]
    assert kinds.count("event") == len(events)
    assert kinds.count("route_travelled") == 2
    for feature in collection["features"]:
        lon, lat = (
            feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "Point"
            else feature["geometry"]["coordinates"][0][0]
        )
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90
    route = next(f for f in collection["features"] if f["properties"]["kind"] == "route_travelled")
    assert route["properties"]["rail_km_travelled"] == pytest.approx(
        query.route_progress(ds, route["properties"]["trip_id"], 1).rail_km_travelled, abs=0.1
    )
    path = tmp_path / "selection.geojson"
    path.write_bytes(data)
    info = pyogrio.read_info(path)
    assert info["features"] == len(events) + 2
    meta, _fids, geometries, fields = pyogrio.raw.read(path)
    kind = list(fields[list(meta["fields"]).index("kind")])
    assert kind.count("event") == len(events)
    assert all(geometry is not None for geometry in geometries), "GDAL reads every geometry"


def test_zip_holds_the_dataset_byte_for_byte(ds: Dataset) -> None:
    data = export.dataset_zip(ds.data_dir)
    assert data == export.dataset_zip(ds.data_dir), "the same files give the same bytes"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "summit-map-data/events.csv" in names
        for name in ("trips.csv", "places.csv", "sources.csv", "events.csv", "routes.geojson", "README.md"):
            assert archive.read(f"summit-map-data/{name}") == (ds.data_dir / name).read_bytes()


def test_standalone_map_loads_nothing_from_the_web(ds: Dataset) -> None:
    html = export.standalone_html(ds, ["kju-2019"], 1, "fefu_russky")
    assert "/app/static" not in html
    assert "<script src=" not in html
    assert 'rel="stylesheet" href=' not in html
    assert "data:application/geo+json;base64," in html or "data:application/json;base64," in html
    assert "fefu_russky" in html


def test_file_names_say_what_they_hold() -> None:
    assert export.export_filename("events", [2019], 2, "csv") == "summit-map_2019_day-2_events.csv"
    assert export.export_filename("map", [2019, 2023], None, "html") == "summit-map_2019-2023_map.html"
