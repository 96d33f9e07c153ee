"""Rebuild the geometry of every rail leg in data/routes.geojson along the real railway network.

Why: hand-drawn legs cut corners (across Posyet Bay, over the sea off the Korean coast) and so
undercounted the "Rail km travelled" figure. Here each leg is the shortest path, on a graph of the
Natural Earth 1:10m railroad segments, between the track points nearest its two places (places.csv).
The few hand-set choices are constants below, each with its reason: VIA (force the line the train
took), SNAP_AT (a place nearer the wrong track), GAPS (links the dataset lacks) and SPUR_KM (places off
the dataset's network). Every gap and spur is also written into the note of each leg that uses it.

Input, all in the repository so the build runs offline:

- ``scripts/sources/ne_10m_railroads_far_east.geojson``: the clipped railroad extract (public domain;
  see scripts/sources/README.md and scripts/extract_railroads.py);
- ``data/places.csv``: the places' coordinates;
- ``data/routes.geojson`` itself: every leg's properties and the legs' order are kept as they are; only
  the geometry of ``mode == "rail"`` legs is replaced.

Only the standard library is needed. Usage::

    python scripts/build_routes.py [--check]

Output is deterministic: coordinates rounded to 5 decimals (about 1 m), compact JSON with the same
layout as before (one feature per line), so a re-run reproduces the committed file byte for byte.
``--check`` exits 1 if the file on disk differs from what would be written.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import itertools
import json
import math
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE = REPO_ROOT / "scripts" / "sources" / "ne_10m_railroads_far_east.geojson"
PLACES = REPO_ROOT / "data" / "places.csv"
ROUTES = REPO_ROOT / "data" / "routes.geojson"

EARTH_RADIUS_KM = 6371.0088
DECIMALS = 5
# Tile pieces whose ends lie this close are the same track cut at a tile edge: join them.
JOIN_KM = 0.25
Node = tuple[float, float]  # (lon, lat) as in the extract

# Links missing from the 1:10m dataset, each bridged by the shortest segment between the two rail
# ends named here (snapped to the nearest graph nodes). Every one is listed in data/README.md and in
# the note of each leg that uses it.
GAPS: dict[str, tuple[Node, Node]] = {
    # The dataset stops short of both banks of the Tumen: the Friendship Bridge (1959) joins them.
    "Tumen River crossing (Friendship Bridge)": ((130.627098, 42.401404), (130.65937, 42.418641)),
}
GAP_NOTE = "Route data lacks the {name}: drawn as a straight {km:.1f} km link between the railheads."
SPUR_NOTE = "Route data lacks the branch line to {name}: the {end} {km:.0f} km are a straight link to the railway."

# Places whose nearest track in the dataset is the wrong one: snap to this point instead (lon, lat).
SNAP_AT: dict[str, Node] = {
    # The Trans-Siberian runs through Ussuriysk station; the place's town-level coordinate lies nearer
    # an industrial spur, which would send every train on an out-and-back detour of about 10 km.
    "ussuriysk_station": (131.977386, 43.799845),
}

# A place farther than this from every track is on a branch the dataset lacks; its legs end with a
# straight spur from the nearest track point to the place (data/README.md names each such place).
SPUR_KM = 5.0

# Points a leg must pass, where the plain shortest path would take another line; the path goes to the
# track point nearest each, in order, so an approximate town position is enough to pick the line.
# Sunch'ŏn (town, about 39.42 N 125.93 E): the P'yŏngra Line runs Pyongyang - Sunch'ŏn - Sinsŏngch'ŏn;
# without it the path takes the slightly shorter P'yŏngdŏk Line via Kangdong.
SUNCHON: Node = (125.933, 39.417)
VIA: dict[str, list[Node]] = {
    "kju-2019-06-pyongyang-tumangang": [SUNCHON],
    "kju-2019-12-tumangang-pyongyang": [SUNCHON],
    "kju-2023-13-pyongyang-tumangang": [SUNCHON],
    "kju-2023-24-tumangang-pyongyang": [SUNCHON],
}


def haversine_km(a: Node, b: Node) -> float:
    """Great-circle distance between two (lon, lat) points, as the app measures rail kilometres."""
    lon1, lat1 = map(math.radians, a)
    lon2, lat2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class RailGraph:
    """Undirected graph of railroad vertices; edges weighted by great-circle length."""

    def __init__(self, lines: list[list[Node]], gaps: dict[str, tuple[Node, Node]] | None = None) -> None:
        self.adj: dict[Node, dict[Node, float]] = defaultdict(dict)
        for line in lines:
            for a, b in itertools.pairwise(line):
                if a != b:
                    self._link(a, b)
        self._join_tile_edges()
        self._snapped: dict[Node, tuple[Node, float]] = {}
        self.gap_edges: dict[frozenset[Node], str] = {}
        for name, (a, b) in sorted((gaps or {}).items()):
            na, nb = self.nearest(a)[0], self.nearest(b)[0]
            self._link(na, nb)
            self.gap_edges[frozenset((na, nb))] = name

    def _link(self, a: Node, b: Node) -> None:
        km = haversine_km(a, b)
        self.adj[a][b] = km
        self.adj[b][a] = km

    def _join_tile_edges(self) -> None:
        """Link each dead end to the nearest other node within JOIN_KM (tile cuts, not real gaps)."""
        buckets: dict[tuple[int, int], list[Node]] = defaultdict(list)
        for node in sorted(self.adj):
            buckets[(int(node[0] * 100), int(node[1] * 100))].append(node)
        for end in sorted(n for n in self.adj if len(self.adj[n]) == 1):
            bx, by = int(end[0] * 100), int(end[1] * 100)
            near = [
                (haversine_km(end, other), other)
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for other in buckets[(bx + dx, by + dy)]
                if other != end and other not in self.adj[end]
            ]
            near = [(km, other) for km, other in near if km <= JOIN_KM]
            if near:
                self._link(end, min(near)[1])

    def nearest(self, point: Node) -> tuple[Node, float]:
        """The graph node closest to a (lon, lat) point, and its distance in km."""
        best = min(self.adj, key=lambda n: (haversine_km(point, n), n))
        return best, haversine_km(point, best)

    def snap(self, point: Node) -> tuple[Node, float]:
        """Attach a point to the nearest spot on any track segment; return that graph node and its distance.

        The spot becomes a node (splitting its segment), so a station between two distant vertices is
        not snapped to a vertex kilometres along the line or on a neighbouring branch.
        """
        if point in self._snapped:
            return self._snapped[point]
        coslat = math.cos(math.radians(point[1]))
        best: tuple[float, Node, Node, float] | None = None
        for a in sorted(self.adj):
            for b in sorted(self.adj[a]):
                if b <= a:
                    continue
                ax, ay = (a[0] - point[0]) * coslat, a[1] - point[1]
                bx, by = (b[0] - point[0]) * coslat, b[1] - point[1]
                dx, dy = bx - ax, by - ay
                seg = dx * dx + dy * dy
                t = 0.0 if seg == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / seg))
                d2 = (ax + t * dx) ** 2 + (ay + t * dy) ** 2
                if best is None or d2 < best[0]:
                    best = (d2, a, b, t)
        assert best is not None, "empty railway graph"
        _, a, b, t = best
        spot = (round(a[0] + t * (b[0] - a[0]), 6), round(a[1] + t * (b[1] - a[1]), 6))
        if spot not in (a, b):
            name = self.gap_edges.pop(frozenset((a, b)), None)
            del self.adj[a][b], self.adj[b][a]
            self._link(a, spot)
            self._link(spot, b)
            if name:
                self.gap_edges[frozenset((a, spot))] = self.gap_edges[frozenset((spot, b))] = name
        self._snapped[point] = (spot, haversine_km(point, spot))
        return self._snapped[point]

    def shortest_path(self, start: Node, goal: Node) -> list[Node]:
        """Dijkstra; ties broken by node coordinates so the result never depends on set order."""
        dist: dict[Node, float] = {start: 0.0}
        prev: dict[Node, Node] = {}
        heap: list[tuple[float, Node]] = [(0.0, start)]
        done: set[Node] = set()
        while heap:
            d, node = heapq.heappop(heap)
            if node in done:
                continue
            if node == goal:
                break
            done.add(node)
            for nxt, km in sorted(self.adj[node].items()):
                nd = d + km
                if nd < dist.get(nxt, math.inf):
                    dist[nxt] = nd
                    prev[nxt] = node
                    heapq.heappush(heap, (nd, nxt))
        if goal != start and goal not in prev:
            raise SystemExit(f"no rail path from {start} to {goal}")
        path = [goal]
        while path[-1] != start:
            path.append(prev[path[-1]])
        return path[::-1]


def read_lines(source: Path) -> list[list[Node]]:
    """The extract's LineStrings as lists of (lon, lat) tuples."""
    data = json.loads(source.read_text(encoding="utf-8"))
    return [[(c[0], c[1]) for c in f["geometry"]["coordinates"]] for f in data["features"]]


def read_places(path: Path) -> tuple[dict[str, Node], dict[str, str]]:
    """place_id -> (lon, lat), and place_id -> English name, from places.csv."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return (
        {row["place_id"]: (float(row["lon"]), float(row["lat"])) for row in rows},
        {row["place_id"]: row["name"] for row in rows},
    )


def leg_path(
    graph: RailGraph, places: dict[str, Node], names: dict[str, str], props: dict[str, Any]
) -> tuple[list[Node], list[str]]:
    """The rail path of one leg (first place, any VIA points, last place) and the notes on its gaps."""
    first = SNAP_AT.get(props["from_place"], places[props["from_place"]])
    last = SNAP_AT.get(props["to_place"], places[props["to_place"]])
    stops = [first, *VIA.get(props["leg_id"], []), last]
    nodes = [graph.snap(stop)[0] for stop in stops]
    path: list[Node] = [nodes[0]]
    for a, b in itertools.pairwise(nodes):
        path.extend(graph.shortest_path(a, b)[1:])
    notes = sorted(
        GAP_NOTE.format(name=graph.gap_edges[frozenset((a, b))], km=haversine_km(a, b))
        for a, b in itertools.pairwise(path)
        if frozenset((a, b)) in graph.gap_edges
    )
    for place_id, point, end in ((props["from_place"], first, "first"), (props["to_place"], last, "last")):
        km = graph.snap(point)[1]
        if km > SPUR_KM:
            if end == "first":
                path.insert(0, point)
            else:
                path.append(point)
            notes.append(SPUR_NOTE.format(name=names[place_id], end=end, km=km))
    return path, notes


def with_notes(props: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """Append each gap note to the leg's note once (re-runs leave it as it is)."""
    note = props.get("note", "")
    for extra in notes:
        if extra not in note:
            note = f"{note} {extra}".strip()
    return {**props, "note": note}


def rounded(path: list[Node]) -> list[list[float]]:
    """Round to the output grid and drop points that collapse onto their predecessor."""
    out: list[list[float]] = []
    for lon, lat in path:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def to_geojson(features: list[dict[str, Any]]) -> str:
    """Same layout as the hand-edited file: one compact feature per line, properties in file order."""

    def dump(obj: object) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(dump(f) for f in features) + "\n]}\n"


def build(routes: Path = ROUTES, source: Path = SOURCE, places_csv: Path = PLACES) -> str:
    """Return the new routes.geojson text; rail legs re-routed, everything else untouched."""
    graph = RailGraph(read_lines(source), GAPS)
    places, names = read_places(places_csv)
    data = json.loads(routes.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("mode") == "rail":
            path, notes = leg_path(graph, places, names, props)
            geometry = {"type": "LineString", "coordinates": rounded(path)}
            feature = {"type": "Feature", "properties": with_notes(props, notes), "geometry": geometry}
        features.append(feature)
    return to_geojson(features)


def main(argv: list[str] | None = None) -> None:
    """Write data/routes.geojson, or with --check only compare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is not up to date")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        if ROUTES.read_text(encoding="utf-8") != text:
            sys.exit(f"{ROUTES} is not what scripts/build_routes.py builds; re-run it")
        print(f"{ROUTES} is up to date")
        return
    ROUTES.write_text(text, encoding="utf-8")
    print(f"wrote {ROUTES}: {text.count(chr(10)) - 2} legs, {len(text.encode()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
