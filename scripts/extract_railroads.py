"""Decode Natural Earth railroad vector tiles into the small GeoJSON extract that build_routes.py reads.

Why: the builder must run offline and byte-for-byte, so the railway network it follows is kept in the
repository as a clipped extract (scripts/sources/ne_10m_railroads_far_east.geojson). This script is
how that extract was made; it is only needed again to refresh the extract from a newer source.

Source: Natural Earth 1:10m Railroads (ne_10m_railroads, public domain), as zoom-8 Mapbox Vector Tiles
made with ``tippecanoe -e train_tiles -z8 -Z0 --no-tile-compression --coalesce-smallest-as-needed``
(uncompressed ``{z}/{x}/{y}.pbf``, 4096 units a tile, about 30 m at 40-50°N). Point ``--tiles`` at
the ``8/`` folder of such a tile set.

The decoder below reads just enough of the MVT protobuf (layers, keys, values, features, line
geometry) to need no third-party package. Coordinates are converted exactly from the global tile grid
and rounded to 6 decimals, so a vertex that appears in two neighbouring tiles' buffers gets the same
coordinates in both and the builder can join the pieces.

Usage::

    python scripts/extract_railroads.py --tiles path/to/train_tiles/8 [--out scripts/sources/...]
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Where the map looks, in one file the app reads too (components/regions.json).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.regions import boxes

ZOOM = 8
# (lon_min, lat_min, lon_max, lat_max) boxes around the corridors the trains used, with a margin:
# Pyongyang to Tumangang, Khasan to Vladivostok and Khabarovsk, and the Amur region to Vostochny and
# Komsomolsk-on-Amur. Leaving out the rest of Manchuria keeps the extract small.
BOXES = boxes("rail_corridors")
DECIMALS = 6
KEEP = ("featurecla", "scalerank", "mult_track", "electric", "rwdb_rr_id")

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "scripts" / "sources" / "ne_10m_railroads_far_east.geojson"
ATTRIBUTION = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com. "
    "ne_10m_railroads (public domain), decoded from zoom-8 vector tiles and clipped to the boxes."
)


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def _fields(buf: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Yield (field number, value) for each protobuf field; length-delimited values stay bytes."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        wire = key & 7
        value: int | bytes
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            size, i = _varint(buf, i)
            value, i = buf[i : i + size], i + size
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield key >> 3, value


def _packed(buf: bytes) -> list[int]:
    out, i = [], 0
    while i < len(buf):
        value, i = _varint(buf, i)
        out.append(value)
    return out


def _zigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def _value(buf: bytes) -> Any:
    for number, raw in _fields(buf):
        if number == 1 and isinstance(raw, bytes):
            return raw.decode("utf-8")
        if number == 2 and isinstance(raw, bytes):
            return struct.unpack("<f", raw)[0]
        if number == 3 and isinstance(raw, bytes):
            return struct.unpack("<d", raw)[0]
        if number in (4, 5) and isinstance(raw, int):
            return raw
        if number == 6 and isinstance(raw, int):
            return _zigzag(raw)
        if number == 7:
            return bool(raw)
    return None


def _lines(geometry: list[int]) -> list[list[tuple[int, int]]]:
    """Decode MoveTo/LineTo commands into lines of tile-local integer coordinates."""
    lines: list[list[tuple[int, int]]] = []
    x = y = i = 0
    while i < len(geometry):
        command, count = geometry[i] & 7, geometry[i] >> 3
        i += 1
        if command == 7:  # ClosePath: not used by lines
            continue
        for _ in range(count):
            x += _zigzag(geometry[i])
            y += _zigzag(geometry[i + 1])
            i += 2
            if command == 1:
                lines.append([(x, y)])
            else:
                lines[-1].append((x, y))
    return lines


def decode_tile(data: bytes) -> Iterator[tuple[dict[str, Any], list[list[tuple[int, int]]], int]]:
    """Yield (properties, lines, extent) for every feature of every layer of one tile."""
    for number, layer in _fields(data):
        if number != 3 or not isinstance(layer, bytes):
            continue
        keys: list[str] = []
        values: list[Any] = []
        features: list[bytes] = []
        extent = 4096
        for field, raw in _fields(layer):
            if field == 3 and isinstance(raw, bytes):
                keys.append(raw.decode("utf-8"))
            elif field == 4 and isinstance(raw, bytes):
                values.append(_value(raw))
            elif field == 5 and isinstance(raw, int):
                extent = raw
            elif field == 2 and isinstance(raw, bytes):
                features.append(raw)
        for feature in features:
            tags: list[int] = []
            geometry: list[int] = []
            for field, raw in _fields(feature):
                if field == 2 and isinstance(raw, bytes):
                    tags = _packed(raw)
                elif field == 4 and isinstance(raw, bytes):
                    geometry = _packed(raw)
            props = {keys[tags[k]]: values[tags[k + 1]] for k in range(0, len(tags), 2)}
            yield props, _lines(geometry), extent


def lon_lat(tile_x: int, tile_y: int, px: int, py: int, extent: int) -> tuple[float, float]:
    """Web-Mercator tile-grid position to WGS 84 degrees, rounded to the extract's grid."""
    n = 2**ZOOM
    gx = (tile_x + px / extent) / n
    gy = (tile_y + py / extent) / n
    lon = gx * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * gy))))
    return round(lon, DECIMALS), round(lat, DECIMALS)


def _inside(point: tuple[float, float]) -> bool:
    lon, lat = point
    return any(box[0] <= lon <= box[2] and box[1] <= lat <= box[3] for box in BOXES)


def extract(tiles: Path) -> list[dict[str, Any]]:
    """Read every ``X/Y.pbf`` under ``tiles`` that touches BOXES; return sorted, de-duplicated features."""
    seen: set[str] = set()
    features: list[dict[str, Any]] = []
    for path in sorted(tiles.glob("*/*.pbf")):
        tile_x, tile_y = int(path.parent.name), int(path.stem)
        for props, lines, extent in decode_tile(path.read_bytes()):
            for line in lines:
                coords = [lon_lat(tile_x, tile_y, px, py, extent) for px, py in line]
                # Keep the runs of a line that lie in the box (plus one vertex either side).
                keep = [i for i, c in enumerate(coords) if _inside(c)]
                if not keep:
                    continue
                part = coords[max(0, keep[0] - 1) : keep[-1] + 2]
                if len(part) < 2:
                    continue
                geometry = {"type": "LineString", "coordinates": [list(c) for c in part]}
                key = json.dumps(geometry["coordinates"])
                if key in seen:  # the same piece in two tiles' buffers
                    continue
                seen.add(key)
                properties = {k: props[k] for k in KEEP if k in props}
                features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    features.sort(key=lambda f: (f["geometry"]["coordinates"], json.dumps(f["properties"], sort_keys=True)))
    return features


def to_geojson(features: list[dict[str, Any]]) -> str:
    """Compact, sorted keys, one feature per line: stable bytes and readable diffs."""

    def dump(obj: object) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    head = f'{{"type":"FeatureCollection","attribution":{dump(ATTRIBUTION)},"boxes":{dump([list(b) for b in BOXES])},"features":['
    return head + "\n" + ",\n".join(dump(f) for f in features) + "\n]}\n"


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, decode, write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=Path, required=True, help="folder holding the zoom-8 X/Y.pbf tiles")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    args = parser.parse_args(argv)
    features = extract(args.tiles)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_geojson(features), encoding="utf-8")
    print(f"wrote {args.out}: {len(features)} line pieces, {args.out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
