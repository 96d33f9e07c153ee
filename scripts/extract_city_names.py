"""Write the Russian and Korean city names the map's labels use (scripts/sources/ne_50m_city_names.csv).

Why: the city labels come from GeoNames (scripts/build_labels.py), whose alternate names carry no language
tag, so a Russian or Korean page cannot pick its name from them. Natural Earth's populated places carry
``NAME_RU`` and ``NAME_KO`` fields, edited by hand for the places it holds; a Russian or Korean page shows
a city label only where one of them gives its name (an English name on a Russian map would be half a
translation).

Source: Natural Earth 1:50m Cultural Vectors, **Populated Places** v5.0.0 (public domain), the zipped
shapefile ``ne_50m_populated_places.zip`` from naturalearthdata.com (also in the public repository
``gtitov/geojson-leaflet-map``, folder ``geojson/``). Kept: the places inside the basemap's region of
components/regions.json; the columns name, name_ru, name_ko and the point. Korean names lose
the administrative suffix (``평양직할시`` → ``평양``, ``선양시`` → ``선양``), as maps print them.

Needs the ``basemap`` extra (``pip install -e ".[basemap]"``). Usage::

    python scripts/extract_city_names.py --source ne_50m_populated_places.zip [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
from pathlib import Path

import shapefile  # pyshp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.regions import bbox

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "scripts" / "sources" / "ne_50m_city_names.csv"
# Every place the labels may show: the whole basemap (scripts/build_labels.py picks the cities).
REGION = bbox("basemap")
ALWAYS: set[str] = set()
# Special city, metropolitan city, directly governed city, city: a map label drops them.
KOREAN_SUFFIX = re.compile(r"(특별시|광역시|직할시|시)$")


def korean(name: str) -> str:
    """The name without its administrative suffix, unless that would leave a single syllable."""
    short = KOREAN_SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


def zipped_shapefile(path: Path) -> shapefile.Reader:
    """A reader over the one shapefile in a Natural Earth zip, read in memory (nothing unpacked)."""
    with zipfile.ZipFile(path) as archive:
        stem = next(n[:-4] for n in archive.namelist() if n.endswith(".shp"))
        return shapefile.Reader(
            shp=io.BytesIO(archive.read(stem + ".shp")),
            dbf=io.BytesIO(archive.read(stem + ".dbf")),
            shx=io.BytesIO(archive.read(stem + ".shx")),
            encoding="utf-8",
        )


def extract(source: Path, out: Path) -> int:
    reader = zipped_shapefile(source)
    rows = []
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        lon, lat = shape.points[0]
        inside = REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3]
        if inside or record["NAME"] in ALWAYS:
            rows.append(
                {
                    "name": record["NAME"],
                    "name_ru": (record["NAME_RU"] or "").strip(),
                    "name_ko": korean((record["NAME_KO"] or "").strip()),
                    "lon": f"{lon:.4f}",
                    "lat": f"{lat:.4f}",
                }
            )
    rows.sort(key=lambda row: (row["name"], row["lon"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["name", "name_ru", "name_ko", "lon", "lat"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="ne_50m_populated_places.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    print(f"wrote {args.out}: {extract(args.source, args.out)} places")


if __name__ == "__main__":
    main()
