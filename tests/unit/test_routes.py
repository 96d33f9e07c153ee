"""The rail legs follow the railway: dry every kilometre, near the published distances, rebuilt byte for byte.

The land used here is scripts/sources/ne_10m_land_far_east.geojson (Natural Earth 1:10m, committed, not
simplified), never static/basemap/land.geojson, which is simplified for drawing and rebuilt independently.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest
import shapely
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from components.dataset import geo, load_dataset
from components.dataset.model import DEFAULT_DATA_DIR

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "scripts" / "sources"
LAND = SOURCES / "ne_10m_land_far_east.geojson"
DISTANCES = SOURCES / "rail_distances.csv"
BUILDER = REPO / "scripts" / "build_routes.py"

STEP_KM = 1.0
# A 1:10m coastline is placed to within a few hundred metres, and track along the shore falls just off the
# drawn coast: the Khasan line on the north shore of Amur Bay (43.174 N 131.669 E) is 0.55 km off it, the
# Natural Earth line along the Korean east coast 0.3 km. More than this is open water: the hand-drawn
# legs this replaced ran up to 3.6 km out over Posyet Bay.
COAST_TOLERANCE_KM = 0.6
LENGTH_TOLERANCE = 0.02


class Bridge(NamedTuple):
    name: str
    lat: float
    lon: float
    radius_km: float


# Real bridges a leg may cross water on. Only crossings at a coast can look wet here: Natural Earth
# land has no rivers cut out of it, so the Amur bridges at Khabarovsk and Komsomolsk-on-Amur are over
# "land" already and need no entry. The Tumen bridge sits 15 km above the river mouth, where the traced
# Khasan line ends (scripts/build_routes.py, LINKS).
BRIDGES = (Bridge("Friendship Bridge over the Tumen, Tumangang-Khasan", 42.4152, 130.6413, 2.5),)

# A station stands on the track it serves: its place may lie this far from the drawn line (issue: stations
# at their own coordinates, no snapping in the builder).
STATION_KM = 0.15
STATION_KINDS = ("station", "border_crossing")


@cache
def _land() -> shapely.Geometry:
    data = json.loads(LAND.read_text(encoding="utf-8"))
    land = shapely.union_all([shape(f["geometry"]) for f in data["features"]])
    shapely.prepare(land)
    return land


@cache
def _rail_legs() -> tuple[tuple[str, str, str, tuple[tuple[float, float], ...]], ...]:
    """(leg_id, from_place, to_place, (lat, lon) points) of every rail leg in the shipped data."""
    legs = load_dataset(DEFAULT_DATA_DIR).legs
    legs = legs[legs["mode"] == "rail"]
    return tuple(
        (leg.leg_id, leg.from_place, leg.to_place, tuple(leg.points))
        for leg in legs.itertuples(index=False)  # type: ignore[attr-defined]
    )


def samples(points: tuple[tuple[float, float], ...], step_km: float = STEP_KM) -> list[tuple[float, float]]:
    """(lat, lon) points every ``step_km`` along a polyline, plus both ends."""
    out = [points[0]]
    walked, target = 0.0, step_km
    for a, b in itertools.pairwise(points):
        seg = geo.haversine_km(*a, *b)
        while seg > 0 and target <= walked + seg:
            t = (target - walked) / seg
            out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
            target += step_km
        walked += seg
    out.append(points[-1])
    return out


def offshore_km(lat: float, lon: float) -> float:
    """0 on land, else the great-circle distance to the nearest land."""
    land = _land()
    if shapely.contains_xy(land, lon, lat):
        return 0.0
    nearest = nearest_points(land, Point(lon, lat))[0]
    return geo.haversine_km(lat, lon, nearest.y, nearest.x)


def wet_samples(
    points: tuple[tuple[float, float], ...], bridges: tuple[Bridge, ...] = BRIDGES
) -> list[tuple[float, float, float]]:
    """(lat, lon, km offshore) of every 1 km sample farther out than the tolerance and on no bridge."""
    wet = []
    for lat, lon in samples(points):
        if any(geo.haversine_km(lat, lon, b.lat, b.lon) <= b.radius_km for b in bridges):
            continue
        km = offshore_km(lat, lon)
        if km > COAST_TOLERANCE_KM:
            wet.append((round(lat, 4), round(lon, 4), round(km, 2)))
    return wet


def test_every_rail_kilometre_is_on_land() -> None:
    wet = {leg_id: w for leg_id, _, _, points in _rail_legs() if (w := wet_samples(points))}
    assert wet == {}


def test_sampling_is_every_kilometre() -> None:
    leg = next(points for leg_id, _, _, points in _rail_legs() if leg_id.endswith("khabarovsk-belogorsk"))
    steps = [geo.haversine_km(*a, *b) for a, b in itertools.pairwise(samples(leg))]
    assert max(steps) <= STEP_KM * 1.001  # interpolated in degrees, measured on the sphere
    assert len(steps) >= geo.line_length_km(leg)


def test_land_check_catches_a_line_over_the_sea() -> None:
    # The old hand-drawn chord from Khasan across Posyet Bay to Makhalino.
    chord = ((42.43006, 130.64492), (42.70833, 130.78194))
    assert max(km for _, _, km in wet_samples(chord)) > 3.0
    # Straight across Amur Bay from Vladivostok to its west shore.
    assert wet_samples(((43.1112, 131.8819), (43.20, 131.55)))
    # A listed bridge excuses the water under it, and only there.
    bay = Bridge("test bridge", 43.15, 131.72, 12.0)
    assert not wet_samples(((43.1112, 131.8819), (43.20, 131.55)), (bay,))


def test_legs_end_at_their_places() -> None:
    """Each leg starts and ends within 150 m of its places: at the station, not across a bay or on another line."""
    places = load_dataset(DEFAULT_DATA_DIR).places.set_index("place_id")
    far = []
    for leg_id, start, end, points in _rail_legs():
        for place_id, (lat, lon) in ((start, points[0]), (end, points[-1])):
            km = geo.haversine_km(lat, lon, places.at[place_id, "lat"], places.at[place_id, "lon"])
            if km > STATION_KM:
                far.append((leg_id, place_id, round(km, 1)))
    assert far == []


def _distance_rows() -> list[dict[str, str]]:
    with DISTANCES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _length_cases() -> list[object]:
    cases = []
    for row in _distance_rows():
        if not row["official_km"]:
            continue
        start, end = row["from_place"], row["to_place"]
        km = float(row["official_km"])
        cases.append(pytest.param(start, end, km, row["bound"], id=f"{start}-{end}"))
    return cases


@pytest.mark.parametrize(("start", "end", "official_km", "bound"), _length_cases())
def test_leg_length_matches_the_railway(start: str, end: str, official_km: float, bound: str) -> None:
    """Exact figures: within 2 % either way. Lower bounds (part of the route not in the figure): not 2 % below.
    Stated (Natural Earth in North Korea, shorter than the posts): the data README gives both figures."""
    legs = [(leg_id, points) for leg_id, a, b, points in _rail_legs() if {a, b} == {start, end}]
    assert legs, f"no leg between {start} and {end}"
    for leg_id, points in legs:
        drawn = geo.line_length_km(points)
        message = f"{leg_id}: drawn {drawn:.1f} km, official {official_km:.1f} km ({bound})"
        if bound == "at_least":
            assert drawn >= official_km * (1 - LENGTH_TOLERANCE), message
        elif bound == "stated":
            assert f"| {official_km:g} | {drawn:.1f} |" in _readme_distance_table(), message
        else:
            assert bound == "exact", message
            assert abs(drawn / official_km - 1) <= LENGTH_TOLERANCE, message


def _readme_distance_table() -> str:
    readme = (DEFAULT_DATA_DIR / "README.md").read_text(encoding="utf-8")
    return readme.split("### Official distances", 1)[1].split("\n\n", 2)[1]


def test_the_readme_table_gives_every_legs_drawn_length() -> None:
    """The table a reader checks is the one the data makes: every leg's drawn km, to 0.1 km."""
    table = _readme_distance_table()
    for leg_id, _, _, points in _rail_legs():
        assert f"{geo.line_length_km(points):.1f}" in table, leg_id


def test_every_station_stands_on_a_drawn_line() -> None:
    """Every station place within 150 m of some rail leg: at its own coordinates, on the track it serves.
    A place only of trips with no rail leg (Putin's flights) has no line to stand on, and is left out."""
    ds = load_dataset(DEFAULT_DATA_DIR)
    places = ds.places
    drawn = set(ds.legs.loc[ds.legs["mode"] == "rail", "trip_id"])
    undrawn_only = set(ds.events.loc[~ds.events["trip_id"].isin(drawn), "place_id"]) - set(
        ds.events.loc[ds.events["trip_id"].isin(drawn), "place_id"]
    )
    assert "beijing_station" not in undrawn_only, "the 2025 train is drawn"
    lines = [shapely.LineString([(lon, lat) for lat, lon in points]) for _, _, _, points in _rail_legs()]
    off = {}
    stations = places.loc[places["kind"].isin(STATION_KINDS) & ~places["place_id"].isin(undrawn_only)]
    for place in stations.itertuples(index=False):
        here = Point(place.lon, place.lat)
        nearest = min((nearest_points(line, here)[0] for line in lines), key=lambda p: here.distance(p))
        km = geo.haversine_km(place.lat, place.lon, nearest.y, nearest.x)
        if km > STATION_KM:
            off[place.place_id] = round(km, 3)
    assert off == {}


def test_every_leg_pair_is_in_the_distance_table() -> None:
    """Sourced or marked 'not sourced': no leg is silently left out of the length check."""
    listed = {frozenset({r["from_place"], r["to_place"]}) for r in _distance_rows()}
    missing = sorted({f"{a}-{b}" for _, a, b, _ in _rail_legs() if frozenset({a, b}) not in listed})
    assert missing == []
    for row in _distance_rows():
        assert row["how"], row
        assert (row["official_km"] and row["bound"] in {"exact", "at_least", "stated"}) or row["how"].startswith(
            "not sourced"
        ), row


def test_distance_sources_are_cited_in_the_data_readme() -> None:
    readme = (DEFAULT_DATA_DIR / "README.md").read_text(encoding="utf-8")
    cited = {s for row in _distance_rows() for s in row["sources"].split(";") if s}
    assert cited
    assert sorted(s for s in cited if f"`{s}`" not in readme) == []


def test_length_check_can_fail() -> None:
    straight = ((43.1112, 131.8819), (48.4966, 135.0727))  # Vladivostok to Khabarovsk as the crow flies
    assert abs(geo.line_length_km(straight) / 768 - 1) > LENGTH_TOLERANCE


@cache
def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_routes", BUILDER)
    assert spec is not None
    assert spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = builder  # its dataclasses look their module up there
    spec.loader.exec_module(builder)
    return builder


@pytest.fixture(scope="module")
def rail_dir() -> Path:
    """The traced OpenStreetMap lines the builder reads; they are not in this repository."""
    builder = _builder()
    where = builder.rail_dir_default()
    if missing := builder.missing_inputs(where):
        pytest.skip(
            f"the traced railway lines are not at {where} ({len(missing)} files missing): clone "
            "https://github.com/trolleway/russian-railways-simplegeodata at commit f1e9782e into "
            f"<dir>/russian-railways and set {builder.RAIL_DIR_VARIABLE}=<dir> (scripts/build_routes.py says how)"
        )
    return where


def test_builder_reproduces_the_committed_routes(rail_dir: Path) -> None:
    committed = (DEFAULT_DATA_DIR / "routes.geojson").read_text(encoding="utf-8")
    assert _builder().build(rail_dir) == committed, (
        "data/routes.geojson differs from what scripts/build_routes.py builds"
    )


def test_builder_refuses_a_station_off_the_track(rail_dir: Path, tmp_path: Path) -> None:
    """No snapping: a station 1 km from the railway stops the build and names itself."""
    text = (DEFAULT_DATA_DIR / "places.csv").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("ussuriysk_station,"))
    moved = row.replace("43.801667,131.980833", "43.801667,131.968")
    assert moved != row
    places = tmp_path / "places.csv"
    places.write_text(text.replace(row, moved), encoding="utf-8")
    with pytest.raises(SystemExit, match=r"ussuriysk_station is \d+ m from the traced railway"):
        _builder().build(rail_dir, places_csv=places)


def test_every_rail_leg_says_where_its_track_comes_from() -> None:
    """track_source names each stretch's source; its kilometres add up to the drawn line."""
    data = json.loads((DEFAULT_DATA_DIR / "routes.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        props = feature["properties"]
        if props["mode"] != "rail":
            continue
        drawn = geo.line_length_km([(lat, lon) for lon, lat in feature["geometry"]["coordinates"]])
        assert abs(props["track_km"] - drawn) < 0.1, props["leg_id"]
        source = props["track_source"]
        assert source.startswith(("OpenStreetMap", "Natural Earth", "straight link")), props["leg_id"]
        if ";" in source:
            assert source.endswith(f"–{props['track_km']:.1f} km"), props["leg_id"]
        ends = {props["from_place"], props["to_place"]}
        # Russian legs are traced track, except where a named link joins a place the traced lines miss.
        linked = {"artyom_station", "vostochny_station", "irkutsk_station", "krasnoyarsk_station"}
        linked |= {"moscow_yaroslavsky_station"}
        if {_country(place) for place in ends} == {"RU"} and not ends & linked:
            assert source == "OpenStreetMap", props["leg_id"]


@cache
def _country(place_id: str) -> str:
    return str(load_dataset(DEFAULT_DATA_DIR).places_by_id.at[place_id, "country"])
