"""Great-circle distances and line splitting, enough for rail kilometres and a train's position."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_KM = 6371.0088

LatLon = tuple[float, float]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance along the Earth's surface; ample precision for kilometres of railway."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def line_length_km(points: Sequence[LatLon]) -> float:
    """Length of a polyline given as (lat, lon) points."""
    return sum(haversine_km(*a, *b) for a, b in itertools.pairwise(points))


def line_lengths_km(lines: Sequence[Sequence[LatLon]]) -> list[float]:
    """``line_length_km`` of many polylines in one numpy pass: a big dataset has over a million segments."""
    counts = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    if not counts.sum():
        return [0.0] * len(lines)
    flat = itertools.chain.from_iterable(itertools.chain.from_iterable(lines))
    lat, lon = np.radians(np.fromiter(flat, dtype=np.float64, count=2 * int(counts.sum())).reshape(-1, 2)).T
    a = np.sin(np.diff(lat) / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
    steps = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    ends = np.cumsum(counts)
    starts = ends - counts
    walked = np.concatenate(([0.0], np.cumsum(steps)))  # walked[i]: from the first point to point i
    inside = counts > 0
    lengths = np.zeros(len(lines))
    lengths[inside] = walked[ends[inside] - 1] - walked[starts[inside]]
    return lengths.tolist()


def split_line(points: Sequence[LatLon], fraction: float) -> tuple[list[LatLon], list[LatLon]]:
    """Cut a polyline at a fraction of its length; both halves share the cut point."""
    fraction = min(1.0, max(0.0, fraction))
    pts = list(points)
    if fraction <= 0.0:
        return [pts[0]], pts
    if fraction >= 1.0:
        return pts, [pts[-1]]
    target = line_length_km(pts) * fraction
    walked = 0.0
    for index, (a, b) in enumerate(itertools.pairwise(pts)):
        step = haversine_km(*a, *b)
        if walked + step >= target and step > 0:
            t = (target - walked) / step
            cut = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            return [*pts[: index + 1], cut], [cut, *pts[index + 1 :]]
        walked += step
    return pts, [pts[-1]]
