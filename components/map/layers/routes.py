"""Each selected trip's rail route: solid where travelled, dashed ahead, earlier trips wider and underneath.

One path to the browser: the routes' fixed geometry (``geometry``) is a file it fetches once per selection,
or, where the app cannot write that file, the same JSON inline; a day sends only the cut that
``query.route_progress`` made (legs done, the leg under way in two halves) and the lines' styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from components.dataset import query
from components.dataset.model import Dataset

if TYPE_CHECKING:
    from components.map.registry import Scene

# Line widths of the selected trips, earliest widest: a few trips stay apart, a hundred stay lines.
WIDTH_MIN, WIDTH_STEP, WIDTH_MAX = 4, 2, 12


def width(rank: int, selected: int) -> int:
    """The width of the ``rank``-th selected trip (chronological): earlier trips are drawn wider and
    underneath, so routes sharing a railway stay visible; capped, so many trips never make a band."""
    return min(WIDTH_MAX, WIDTH_MIN + WIDTH_STEP * (selected - 1 - rank))


def styles(ds: Dataset, chosen: Sequence[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Each selected trip's Leaflet options for its travelled and its ahead lines; the tooltip escaped."""
    trips = ds.trips_by_id
    order = {trip_id: index for index, trip_id in enumerate(ds.trips["trip_id"])}
    ranked = sorted(chosen, key=order.__getitem__)
    found = {}
    for rank, trip_id in enumerate(ranked):
        color = str(trips.at[trip_id, "color"])
        weight = width(rank, len(ranked))
        label = escape(f"{trips.at[trip_id, 'year']} · {trips.at[trip_id, 'title']}")
        done = {"color": color, "weight": weight, "opacity": 0.95, "dashArray": None, "tooltip": label,
                "className": f"route-done trip-{trip_id}"}  # fmt: skip
        ahead = {"color": color, "weight": max(2, weight - 1), "opacity": 0.45, "dashArray": "6 8",
                 "tooltip": f"{label} (ahead)", "className": f"route-ahead trip-{trip_id}"}  # fmt: skip
        found[trip_id] = {"done": done, "ahead": ahead}
    return found


def rounded(points: Sequence[Sequence[float]]) -> list[list[float]]:
    """[lat, lon] to about a metre."""
    return [[round(float(lat), 5), round(float(lon), 5)] for lat, lon in points]


def geometry(ds: Dataset, chosen: Sequence[str]) -> dict[str, list[list[list[float]]]]:
    """The selected trips' legs in travel order: the part of the routes no day changes (only the
    selection's, so a large dataset's file stays small)."""
    return {str(trip_id): [rounded(points) for points in query.trip_legs(ds, trip_id)["points"]] for trip_id in chosen}


def data(scene: Scene) -> dict[str, Any]:
    """Where the geometry is (a URL, or inline), and per trip, earliest first, the day's cut and styles."""
    found = styles(scene.ds, scene.trip_ids)
    by_trip = {p.trip_id: p for p in scene.progress}
    trips = [
        {
            "id": trip_id,
            "done": by_trip[trip_id].legs_done,
            "underWay": None
            if by_trip[trip_id].under_way is None
            else {"done": rounded(by_trip[trip_id].under_way[0]), "ahead": rounded(by_trip[trip_id].under_way[1])},
            "styles": style,
            # Legs flown, by position: drawn dotted and thin, visibly not a railway.
            "flights": query.flight_legs(scene.ds, trip_id),
        }
        for trip_id, style in found.items()
    ]
    inline = None if scene.routes_url else geometry(scene.ds, scene.trip_ids)
    return {"url": scene.routes_url, "geometry": inline, "trips": trips}
