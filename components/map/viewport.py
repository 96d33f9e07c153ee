"""Where the map looks: the bounds of a selection and the centre and zoom that fit them. Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from components.dataset import query
from components.dataset.model import Dataset
from components.regions import regions

_DEFAULT = regions()["default_view"]
DEFAULT_CENTER: tuple[float, float] = (float(_DEFAULT["center"][0]), float(_DEFAULT["center"][1]))
DEFAULT_ZOOM = int(_DEFAULT["zoom"])
MIN_ZOOM = int(_DEFAULT["min_zoom"])
MAX_ZOOM = int(_DEFAULT["max_zoom"])


@dataclass(frozen=True)
class Camera:
    """A centre and a zoom level."""

    center: tuple[float, float]
    zoom: int


def bounds(ds: Dataset, trip_ids: Sequence[str]) -> list[list[float]]:
    """South-west and north-east corners of the selected trips' routes (or their places, for trips without
    routes); empty when there is nothing to show. Places far from the railway (the Kremlin, where
    announcements come from) do not pull the view out."""
    points = [p for pts in ds.legs.loc[ds.legs["trip_id"].isin(trip_ids), "points"] for p in pts]
    if not points:
        places = query.places_of(ds, query.events_until(ds, trip_ids))
        points = list(zip(places["lat"], places["lon"], strict=True))
    if not points:
        return []
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def view_for(ds: Dataset, trip_ids: Sequence[str], width_px: int = 700, height_px: int = 580) -> Camera:
    """A centre and zoom that fit the selected trips' bounds in a map of that size."""
    corners = bounds(ds, trip_ids)
    if not corners:
        return Camera(DEFAULT_CENTER, DEFAULT_ZOOM)
    (south, west), (north, east) = corners
    lon_span = max(east - west, 0.05) / 360
    lat_span = max(_mercator_y(north) - _mercator_y(south), 0.001) / (2 * math.pi)
    # 256 px per world at zoom 0; keep a margin so markers at the edge stay visible.
    zoom = math.floor(min(math.log2(width_px * 0.85 / 256 / lon_span), math.log2(height_px * 0.85 / 256 / lat_span)))
    center_lat = math.degrees(math.atan(math.sinh((_mercator_y(north) + _mercator_y(south)) / 2)))
    return Camera((round(center_lat, 4), round((east + west) / 2, 4)), max(MIN_ZOOM, min(zoom, 14)))
