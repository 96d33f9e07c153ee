"""Rebuild the geometry of every rail leg in data/routes.geojson from traced railway track.

Why: a leg drawn on a generalised network cuts the corners of every curve, so the "rail km" figure came
out 3-14 % short and lines strayed up to 2 km from the track. Here each leg is cut out of traced
OpenStreetMap railway lines between its two places: the shortest path on a graph of those lines, whose
junctions (a branch's end a few metres from the main line) are joined. Natural Earth 1:10m railroads
are used only where no traced line exists (North Korea and the Ugolnaya-Artyom branch), and a straight
link only where neither has the track (the Friendship Bridge gap, the Vostochny Cosmodrome spur). Each
leg says which source every stretch comes from (``track_source``) and its length on the track
(``track_km``).

Inputs:

- the traced lines: ``russian-railways/`` from the public repository
  ``trolleway/russian-railways-simplegeodata`` (GeoJSON files of commit f1e9782e, 2022; derived from
  OpenStreetMap, ODbL 1.0, "© OpenStreetMap contributors"). They are not kept in this repository; the
  folder holding ``russian-railways/`` is ``--rail-dir``, or ``SUMMIT_MAP_RAIL_DIR``, by default
  ``../shared/rail`` beside the checkout. To get them::

      git clone https://github.com/trolleway/russian-railways-simplegeodata rail/russian-railways
      git -C rail/russian-railways checkout f1e9782ef205e0bbf931563055bfef14945083e7

- ``scripts/sources/ne_10m_railroads_far_east.geojson``: Natural Earth railroads (public domain;
  see scripts/sources/README.md), committed;
- ``data/places.csv``: the places' coordinates. A place is joined to the track at the track's nearest
  point and nowhere else: a station farther than ``STATION_KM`` from every track stops the build
  (fix the place's coordinates; the builder never moves a place);
- ``data/routes.geojson`` itself: every leg's properties and order are kept; the geometry of
  ``mode == "rail"`` legs and their ``track_source`` and ``track_km`` are replaced; ``mode == "air"`` legs
  are drawn as the great circle between their airfields (``FLIGHT_SOURCE``).

Simplified with Douglas-Peucker to ``TOLERANCE_M`` metres (shapely), coordinates rounded to 5 decimals
(about 1 m), one feature per line: a re-run reproduces the committed file byte for byte. ``--check`` exits
1 if the file on disk differs from what would be written.

Usage::

    python scripts/build_routes.py [--check] [--rail-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import heapq
import itertools
import json
import math
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

REPO_ROOT = Path(__file__).resolve().parents[1]
NATURAL_EARTH = REPO_ROOT / "scripts" / "sources" / "ne_10m_railroads_far_east.geojson"
PLACES = REPO_ROOT / "data" / "places.csv"
ROUTES = REPO_ROOT / "data" / "routes.geojson"
DEFAULT_RAIL_DIR = REPO_ROOT.parent / "shared" / "rail"
RAIL_DIR_VARIABLE = "SUMMIT_MAP_RAIL_DIR"

# The traced lines read, below --rail-dir. Each a long LineString (lon, lat, elevation).
TRACED_FILES = (
    "russian-railways/mainlines/Ekateriburg-Vladivostok.geojson",  # the Trans-Siberian east of the Urals
    "russian-railways/mainlines/Taishet-Sovgavan.geojson",  # the BAM, through Komsomolsk-on-Amur
    "russian-railways/secondary/Hasan.geojson",  # Baranovsky - Khasan - the Friendship Bridge
    "russian-railways/secondary/Volochaevka-Komsomolsk.geojson",  # Volochayevka-2 - the BAM
    "russian-railways/secondary/Ussuriisk - China.geojson",
    "russian-railways/secondary/Posiet.geojson",
    "russian-railways/secondary/Nakhodka.geojson",
    "russian-railways/tertiary/Vladivostok-city.geojson",
    # West of the Urals: the classic Trans-Siberian from Moscow Yaroslavsky through Yaroslavl, Danilov, Bui
    # and Kotelnich to Yekaterinburg, the shorter line through Nizhny Novgorod, and Moscow - St Petersburg.
    "russian-railways/mainlines/MSK-Arkhangelsk-Gorod.geojson",
    "russian-railways/mainlines/Danilov-Bui.geojson",
    "russian-railways/mainlines/Losta-Kotelnich.geojson",
    "russian-railways/mainlines/Kotelnich-Ekaterinburg.geojson",
    "russian-railways/mainlines/MSK-Kotelnich.geojson",
    "russian-railways/mainlines/MSK-Spb-main.geojson",
    # Tarskaya - Zabaikalsk, the line to the Chinese border at Manzhouli.
    "russian-railways/mainlines/Tarskaya-Zabaikalsk.geojson",
)
OSM = "OpenStreetMap"
NE = "Natural Earth"
STRAIGHT = "straight link"

EARTH_RADIUS_KM = 6371.0088
DECIMALS = 5
TOLERANCE_M = 15.0
# A traced line's end this close to another line is a junction: joined at the other line's nearest point.
JUNCTION_KM = 0.3
# Natural Earth's generalised lines are followed only where the traced ones cannot go: each of its
# kilometres weighs this much in the search for the shortest path, so no Natural Earth shortcut wins.
NE_WEIGHT = 20.0
# A place must be this close to the track it is joined to: farther is a wrong coordinate (SPURS aside).
STATION_KM = 0.15

Node = tuple[float, float]  # (lon, lat)

# A link's end: a place (it becomes a node of the graph) or (source, point), the nearest node of that source.
End = str | tuple[str, Node]
# Straight links where track is in neither source, each named in the track_source of every leg using it.
LINKS: dict[str, tuple[End, End]] = {
    # The traced line ends on the Friendship Bridge; the 2.8 km on the Korean bank are in neither source.
    "Tumangang station – Friendship Bridge": ("tumangang_station", (OSM, (130.641266, 42.415204))),
    # Natural Earth's line on the Korean bank runs 1.6 km south of the station (it is generalised there).
    "Tumangang station – Natural Earth's line": ("tumangang_station", (NE, (130.6081, 42.4214))),
    # Natural Earth's Ugolnaya junction, where the Nakhodka line (through Artyom) leaves the Trans-Siberian;
    # the traced lines lack that branch.
    "the Ugolnaya junction": ((NE, (132.061501, 43.334917)), (OSM, (132.061501, 43.334917))),
    # The traced Zabaikalsk line ends at the border; Natural Earth's Chinese line runs on to Manzhouli.
    "the border at Zabaikalsk – Manzhouli": ((OSM, (117.339944, 49.629841)), (NE, (117.339944, 49.629841))),
    # Natural Earth's lines pass these a few hundred metres off (generalised in towns).
    "Manzhouli station – Natural Earth's line": ("manzhouli_station", (NE, (117.4404945, 49.5790967))),
    "the Ji'an Yalu bridge – Natural Earth's line": ("jian_yalu_bridge", (NE, (126.2710065, 41.1529281))),
    # The traced Yaroslavl line ends at the platforms, 0.2 km past the station building's coordinate.
    "Moscow Yaroslavsky station – its platforms": ("moscow_yaroslavsky_station", (OSM, (37.6575354, 55.7776921))),
    # Natural Earth's line passes Beijing station about 1 km to the south-east (generalised in the city).
    "Beijing station – Natural Earth's line": ("beijing_station", (NE, (116.435165, 39.896304))),
}

# Russian places on a branch the traced lines lack, joined to Natural Earth's line instead (Korean places
# always are).
UNTRACED = {
    "artyom_station": "the Ugolnaya - Artyom - Partizansk stretch of the Nakhodka line",
}

# Places on a branch neither network has: joined by a straight link from the nearest track point.
SPURS = {
    "vostochny_station": "the Ledyanaya - Tsiolkovsky (Vostochny Cosmodrome) branch",
    # The traced Trans-Siberian takes the freight lines round these two cities, a few km from the passenger
    # stations the 2001 train stopped at; the link stands for the city line the traced data lacks.
    "irkutsk_station": "the traced line passes Irkutsk by Irkutsk-Sortirovochny, 4.8 km away",
    "krasnoyarsk_station": "the traced line passes Krasnoyarsk on the northern bypass, 3.4 km away",
}

# Points a leg must pass, where the plain shortest path would take another line; the path goes to the
# track point nearest each, in order, so an approximate town position is enough to pick the line.
# Sunch'ŏn (town, about 39.42 N 125.93 E): the P'yŏngra Line runs Pyongyang - Sunch'ŏn - Sinsŏngch'ŏn;
# without it the path takes the slightly shorter P'yŏngdŏk Line via Kangdong.
SUNCHON: Node = (125.933, 39.417)
# Shenyang (city, about 41.79 N 123.43 E): the Dandong - Beijing trains run Dandong - Benxi - Shenyang, then
# down the Beijing - Harbin line; without it the path cuts across by Anshan and Panjin.
SHENYANG: Node = (123.43, 41.79)
# The 2011 train through China, as reported: the cities of data/places.csv it passed, in order.
CHINA_2011: list[Node | str] = ["hailar", "qiqihar", "daqing", "harbin", "tonghua"]
# The classic Trans-Siberian west of the Urals, Yekaterinburg - Perm - Kirov - Yaroslavl - Moscow Yaroslavsky
# (the 2001 train arrived at and left from Yaroslavsky station); without these the path takes the shorter
# line through Nizhny Novgorod. Perm II and Yaroslavl-Glavny: OpenStreetMap station points.
CLASSIC_WEST: list[Node | str] = [(56.175855, 58.004708), (39.835229, 57.625496)]
# A point is (lon, lat), or a place_id of data/places.csv.
VIA: dict[str, list[Node | str]] = {
    "kji-2001-09-yekaterinburg-moscow-yaroslavsky": CLASSIC_WEST,
    "kji-2001-12-moscow-yaroslavsky-novosibirsk": CLASSIC_WEST[::-1],
    "kji-2011-07-manzhouli-jian": CHINA_2011,
    "kju-2025-00-pyongyang-beijing": [SHENYANG],
    "kju-2025-01-beijing-pyongyang": [SHENYANG],
    "kju-2019-06-pyongyang-tumangang": [SUNCHON],
    "kju-2019-12-tumangang-pyongyang": [SUNCHON],
    "kju-2023-13-pyongyang-tumangang": [SUNCHON],
    "kju-2023-24-tumangang-pyongyang": [SUNCHON],
}

# Notes this script wrote into earlier versions of the file; removed, as track_source says it now.
OLD_NOTE = re.compile(r"\s*Route data lacks [^:]*: [^.]*\.")


def haversine_km(a: Node, b: Node) -> float:
    """Great-circle distance between two (lon, lat) points, as the app measures rail kilometres."""
    lon1, lat1 = map(math.radians, a)
    lon2, lat2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def path_km(path: list[Node]) -> float:
    return sum(haversine_km(a, b) for a, b in itertools.pairwise(path))


# A flight's drawn path: the great circle between its airfields, a point every 25 km or so.
FLIGHT_STEP_KM = 25.0
FLIGHT_SOURCE = "great circle between the airfields (the flight path is not published)"


def great_circle(a: Node, b: Node) -> list[Node]:
    """Points along the great circle from a to b: how a flight is drawn, a curve no railway follows."""
    total = haversine_km(a, b)
    steps = max(1, math.ceil(total / FLIGHT_STEP_KM))
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    p1 = (math.cos(lat1) * math.cos(lon1), math.cos(lat1) * math.sin(lon1), math.sin(lat1))
    p2 = (math.cos(lat2) * math.cos(lon2), math.cos(lat2) * math.sin(lon2), math.sin(lat2))
    angle = total / EARTH_RADIUS_KM
    points = []
    for step in range(steps + 1):
        f = step / steps
        if angle == 0:
            x, y, z = p1
        else:
            w1, w2 = math.sin((1 - f) * angle) / math.sin(angle), math.sin(f * angle) / math.sin(angle)
            x, y, z = (w1 * c1 + w2 * c2 for c1, c2 in zip(p1, p2, strict=True))
        points.append((math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))))
    return points


@dataclass(frozen=True)
class Snap:
    """Where a point meets the track: the node made there, its distance and the network it is on."""

    node: Node
    km: float
    source: str


class RailGraph:
    """Undirected graph of track vertices; each edge knows its length and which source drew it."""

    def __init__(self) -> None:
        self.adj: dict[Node, dict[Node, float]] = defaultdict(dict)
        self.source: dict[frozenset[Node], str] = {}
        self.link_name: dict[frozenset[Node], str] = {}
        self._cells: dict[tuple[int, int], set[frozenset[Node]]] = defaultdict(set)

    # -- building ------------------------------------------------------------------------------------------
    def add_line(self, line: list[Node], source: str) -> None:
        for a, b in itertools.pairwise(line):
            if a != b:
                self.link(a, b, source)

    def link(self, a: Node, b: Node, source: str, name: str = "") -> None:
        km = haversine_km(a, b)
        self.adj[a][b] = self.adj[b][a] = km
        edge = frozenset((a, b))
        self.source[edge] = source
        if name:
            self.link_name[edge] = name
        for cell in self._cells_of(a, b):
            self._cells[cell].add(edge)

    def unlink(self, a: Node, b: Node) -> tuple[str, str]:
        edge = frozenset((a, b))
        del self.adj[a][b], self.adj[b][a]
        for cell in self._cells_of(a, b):
            self._cells[cell].discard(edge)
        return self.source.pop(edge), self.link_name.pop(edge, "")

    @staticmethod
    def _cells_of(a: Node, b: Node) -> list[tuple[int, int]]:
        """The 0.05-degree grid cells a segment's bounding box touches."""
        x0, x1 = sorted((math.floor(a[0] * 20), math.floor(b[0] * 20)))
        y0, y1 = sorted((math.floor(a[1] * 20), math.floor(b[1] * 20)))
        return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

    # -- finding -------------------------------------------------------------------------------------------
    def nearest_on(
        self, point: Node, source: str, reach_km: float = 30.0, skip: frozenset[Node] = frozenset()
    ) -> tuple[float, frozenset[Node], float]:
        """The nearest segment of one source to a point, touching no node in ``skip``: (km, segment, fraction)."""
        coslat = math.cos(math.radians(point[1]))
        ring = max(1, math.ceil(reach_km / 5.5))  # a cell is about 5.5 km north-south
        cx, cy = math.floor(point[0] * 20), math.floor(point[1] * 20)
        seen: set[frozenset[Node]] = set()
        best: tuple[float, tuple[Node, ...], float] | None = None
        for dx in range(-ring, ring + 1):
            for dy in range(-ring, ring + 1):
                for edge in self._cells.get((cx + dx, cy + dy), ()):
                    if edge in seen or self.source[edge] != source or edge & skip:
                        continue
                    seen.add(edge)
                    a, b = sorted(edge)
                    ax, ay = (a[0] - point[0]) * coslat, a[1] - point[1]
                    bx, by = (b[0] - point[0]) * coslat, b[1] - point[1]
                    ex, ey = bx - ax, by - ay
                    seg = ex * ex + ey * ey
                    t = 0.0 if seg == 0 else min(1.0, max(0.0, -(ax * ex + ay * ey) / seg))
                    d2 = (ax + t * ex) ** 2 + (ay + t * ey) ** 2
                    if best is None or (d2, (a, b)) < (best[0], best[1]):
                        best = (d2, (a, b), t)
        if best is None:
            return math.inf, frozenset(), 0.0
        _, (a, b), t = best
        spot = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        return haversine_km(point, spot), frozenset((a, b)), t

    def split_at(self, edge: frozenset[Node], t: float) -> Node:
        """Make a node at fraction t along a segment (from its lesser end) and return it."""
        a, b = sorted(edge)
        spot = (round(a[0] + t * (b[0] - a[0]), 7), round(a[1] + t * (b[1] - a[1]), 7))
        if spot in (a, b):
            return spot
        source, name = self.unlink(a, b)
        self.link(a, spot, source, name)
        self.link(spot, b, source, name)
        return spot

    def snap(self, point: Node, source: str) -> Snap:
        """Join a point to the nearest track of one source, at the nearest spot of its nearest segment."""
        km, edge, t = self.nearest_on(point, source)
        if not edge:
            raise SystemExit(f"no {source} track within reach of {point}")
        return Snap(self.split_at(edge, t), km, source)

    def shortest_path(self, start: Node, goal: Node) -> list[Node]:
        """Dijkstra, Natural Earth edges weighted NE_WEIGHT; ties broken by coordinates, so runs agree."""
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
                weight = km * (NE_WEIGHT if self.source[frozenset((node, nxt))] == NE else 1.0)
                nd = d + weight
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

    def describe(self, edge: frozenset[Node]) -> str:
        source = self.source[edge]
        name = self.link_name.get(edge)
        return f"{source} ({name})" if name else source


def read_traced(rail_dir: Path) -> list[list[Node]]:
    """Every traced line as a list of (lon, lat); elevation dropped."""
    lines = []
    for name in TRACED_FILES:
        data = json.loads((rail_dir / name).read_text(encoding="utf-8"))
        for feature in data["features"]:
            geometry = feature["geometry"]
            parts = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]
            lines.extend([(round(c[0], 7), round(c[1], 7)) for c in part] for part in parts)
    return lines


def read_natural_earth(path: Path = NATURAL_EARTH) -> list[list[Node]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [[(c[0], c[1]) for c in f["geometry"]["coordinates"]] for f in data["features"]]


def join_tile_edges(graph: RailGraph, source: str, within_km: float) -> None:
    """Link each dead end of one source to the nearest other node of it within reach (tile cuts, not gaps)."""
    nodes = sorted(n for n in graph.adj if any(graph.source[frozenset((n, m))] == source for m in graph.adj[n]))
    buckets: dict[tuple[int, int], list[Node]] = defaultdict(list)
    for node in nodes:
        buckets[(int(node[0] * 100), int(node[1] * 100))].append(node)
    for end in [n for n in nodes if len(graph.adj[n]) == 1]:
        bx, by = int(end[0] * 100), int(end[1] * 100)
        near = sorted(
            (haversine_km(end, other), other)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in buckets[(bx + dx, by + dy)]
            if other != end and other not in graph.adj[end]
        )
        if near and near[0][0] <= within_km:
            graph.link(end, near[0][1], source)


def join_junctions(graph: RailGraph, lines: list[list[Node]]) -> float:
    """Join each traced line's ends to the nearest other line within JUNCTION_KM; return the longest join."""
    longest = 0.0
    for line in lines:
        own = frozenset(line)
        for end in (line[0], line[-1]):
            km, edge, t = graph.nearest_on(end, OSM, reach_km=JUNCTION_KM * 2, skip=own)
            if km > JUNCTION_KM:
                continue
            graph.link(end, graph.split_at(edge, t), OSM)
            longest = max(longest, km)
    return longest


def link_end(graph: RailGraph, end: End, places: dict[str, Node]) -> Node:
    """The node a link starts or ends at: the place itself, or the nearest node of a source to a point."""
    if isinstance(end, str):
        return places[end]
    source, point = end
    return graph.snap(point, source).node


def build_graph(rail_dir: Path, places: dict[str, Node]) -> RailGraph:
    graph = RailGraph()
    traced = read_traced(rail_dir)
    for line in traced:
        graph.add_line(line, OSM)
    join_junctions(graph, traced)
    for line in read_natural_earth():
        graph.add_line(line, NE)
    join_tile_edges(graph, NE, 0.25)
    for name, (first, second) in sorted(LINKS.items()):
        graph.link(link_end(graph, first, places), link_end(graph, second, places), STRAIGHT, name)
    return graph


def read_places(path: Path) -> tuple[dict[str, Node], dict[str, str]]:
    """place_id -> (lon, lat), and place_id -> country, from places.csv."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return (
        {row["place_id"]: (float(row["lon"]), float(row["lat"])) for row in rows},
        {row["place_id"]: row["country"] for row in rows},
    )


def place_snap(graph: RailGraph, place_id: str, point: Node, country: str) -> Snap:
    """A place joined to its track: Russian places to the traced lines, Korean ones and UNTRACED to Natural
    Earth's, link ends as they are. Farther than STATION_KM stops the build: the builder never moves a place."""
    if point in graph.adj:  # the end of a link
        return Snap(point, 0.0, STRAIGHT)
    source = OSM if country == "RU" and place_id not in UNTRACED else NE
    snap = graph.snap(point, source)
    if place_id not in SPURS and snap.km > STATION_KM:
        track = "traced railway" if source == OSM else "Natural Earth railway"
        raise SystemExit(
            f"{place_id} is {snap.km * 1000:.0f} m from the {track} (at most {STATION_KM * 1000:.0f} m): "
            "correct its coordinates in data/places.csv"
        )
    return snap


def via_node(graph: RailGraph, point: Node) -> Node:
    """A point a leg must pass, on the traced track if any runs within reach, else on Natural Earth's."""
    km, _, _ = graph.nearest_on(point, OSM)
    return graph.snap(point, OSM if km < math.inf else NE).node


def leg_path(
    graph: RailGraph, places: dict[str, Node], countries: dict[str, str], props: dict[str, Any]
) -> list[tuple[Node, str]]:
    """The leg as (point, source of the stretch ending at that point); the first point's source is ''."""
    first_id, last_id = props["from_place"], props["to_place"]
    ends = [place_snap(graph, place_id, places[place_id], countries[place_id]).node for place_id in (first_id, last_id)]
    passes = [places[point] if isinstance(point, str) else point for point in VIA.get(props["leg_id"], [])]
    stops = [ends[0], *(via_node(graph, point) for point in passes), ends[1]]
    path: list[Node] = [stops[0]]
    for a, b in itertools.pairwise(stops):
        path.extend(graph.shortest_path(a, b)[1:])
    out = [(path[0], "")] + [(b, graph.describe(frozenset((a, b)))) for a, b in itertools.pairwise(path)]
    if first_id in SPURS:
        out = [(places[first_id], ""), (out[0][0], f"{STRAIGHT} ({SPURS[first_id]})"), *out[1:]]
    if last_id in SPURS:
        out.append((places[last_id], f"{STRAIGHT} ({SPURS[last_id]})"))
    return out


def simplified(points: list[tuple[Node, str]]) -> list[tuple[Node, str]]:
    """Douglas-Peucker within TOLERANCE_M, stretch by stretch, so every change of source stays a vertex."""
    out = [points[0]]
    for source, group in itertools.groupby(points[1:], key=lambda point: point[1]):
        run = [out[-1][0], *(node for node, _ in group)]
        out.extend((node, source) for node in simplify_run(run)[1:])
    return out


def simplify_run(run: list[Node]) -> list[Node]:
    """The vertices of a polyline that Douglas-Peucker keeps at TOLERANCE_M, measured in local metres."""
    if len(run) <= 2:
        return run
    lat0 = math.radians(sum(lat for _, lat in run) / len(run))
    scale = EARTH_RADIUS_KM * 1000 * math.pi / 180
    metres = [(lon * scale * math.cos(lat0), lat * scale) for lon, lat in run]
    kept = shapely.get_coordinates(shapely.simplify(shapely.LineString(metres), TOLERANCE_M, preserve_topology=False))
    index = {xy: i for i, xy in enumerate(metres)}
    return [run[index[(x, y)]] for x, y in kept.tolist()]


def stretches(points: list[tuple[Node, str]]) -> list[tuple[str, float, float]]:
    """(source, km from, km to) of each run of one source along the leg."""
    runs: list[tuple[str, float, float]] = []
    walked = 0.0
    for (a, _), (b, source) in itertools.pairwise(points):
        step = haversine_km(a, b)
        if runs and runs[-1][0] == source:
            runs[-1] = (source, runs[-1][1], walked + step)
        else:
            runs.append((source, walked, walked + step))
        walked += step
    return runs


def track_source(runs: list[tuple[str, float, float]]) -> str:
    if len({source for source, _, _ in runs}) == 1:
        return runs[0][0]
    return "; ".join(f"{source} {start:.1f}–{end:.1f} km" for source, start, end in runs)


def rounded(points: list[tuple[Node, str]]) -> list[list[float]]:
    """Round to the output grid and drop points that collapse onto their predecessor."""
    out: list[list[float]] = []
    for (lon, lat), _ in points:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def to_geojson(features: list[dict[str, Any]]) -> str:
    """One compact feature per line, properties in file order."""

    def dump(obj: object) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(dump(f) for f in features) + "\n]}\n"


def rail_dir_default() -> Path:
    return Path(os.environ.get(RAIL_DIR_VARIABLE) or DEFAULT_RAIL_DIR)


def missing_inputs(rail_dir: Path) -> list[str]:
    """The traced files absent from rail_dir (empty when the build can run)."""
    return [name for name in TRACED_FILES if not (rail_dir / name).is_file()]


def build(rail_dir: Path | None = None, routes: Path = ROUTES, places_csv: Path = PLACES) -> str:
    """Return the new routes.geojson text; rail legs re-cut from the track, everything else untouched."""
    rail_dir = rail_dir or rail_dir_default()
    if missing := missing_inputs(rail_dir):
        raise SystemExit(
            f"traced railway files missing under {rail_dir}: {', '.join(missing)} (see this script's docstring)"
        )
    places, countries = read_places(places_csv)
    graph = build_graph(rail_dir, places)
    data = json.loads(routes.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("mode") == "rail":
            points = simplified(leg_path(graph, places, countries, props))
            runs = stretches(points)
            note = OLD_NOTE.sub("", props.get("note", "")).strip()
            props = {k: v for k, v in props.items() if k not in ("track_source", "track_km")}
            props = {**props, "note": note, "track_source": track_source(runs), "track_km": round(runs[-1][2], 1)}
            feature = {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "LineString", "coordinates": rounded(points)},
            }
        elif props.get("mode") == "air":
            flown = great_circle(places[props["from_place"]], places[props["to_place"]])
            props = {**props, "track_source": FLIGHT_SOURCE, "track_km": round(path_km(flown), 1)}
            feature = {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "LineString", "coordinates": rounded([(point, "") for point in flown])},
            }
        features.append(feature)
    return to_geojson(features)


def main(argv: list[str] | None = None) -> None:
    """Write data/routes.geojson, or with --check only compare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is not up to date")
    parser.add_argument(
        "--rail-dir",
        type=Path,
        default=None,
        help=f"folder holding russian-railways/ (default ${RAIL_DIR_VARIABLE} or ../shared/rail)",
    )
    args = parser.parse_args(argv)
    text = build(args.rail_dir)
    if args.check:
        if ROUTES.read_text(encoding="utf-8") != text:
            sys.exit(f"{ROUTES} is not what scripts/build_routes.py builds; re-run it")
        print(f"{ROUTES} is up to date")
        return
    ROUTES.write_text(text, encoding="utf-8")
    print(f"wrote {ROUTES}: {text.count(chr(10)) - 2} legs, {len(text.encode()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
