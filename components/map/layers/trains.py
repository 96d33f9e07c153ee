"""Where each selected trip's train was at the end of the chosen day, only on the trip's own dates; drawn
by ``SummitMap.trains`` under the places and deaf to the pointer, so it never takes a place's click."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from components.dataset import query

if TYPE_CHECKING:
    from components.map.registry import Scene


def on_the_move(scene: Scene) -> list[query.RouteProgress]:
    """The trains shown on the day: trips whose own dates include it."""
    if scene.view.day is None:
        return []
    trips = scene.ds.trips_by_id
    day = scene.view.day
    return [
        trip
        for trip in scene.progress
        if trip.position is not None
        and trips.at[trip.trip_id, "start_day"] <= day <= trips.at[trip.trip_id, "end_day"]
        and query.by_rail(scene.ds, trip.trip_id)  # a visit by air has no train
    ]


def data(scene: Scene) -> list[dict[str, Any]]:
    return [
        {"trip": trip.trip_id, "lat": round(trip.position[0], 6), "lon": round(trip.position[1], 6)}
        for trip in on_the_move(scene)
        if trip.position is not None
    ]
