"""Great-circle distances and line splitting, enough for rail kilometres and a train's position."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

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
