"""The map's changing layers, listed once: a name in the layer control, the summit_map.js function that
draws it, and a pure function from the scene (dataset and view) to the plain data that function reads.

A new layer (flights, border crossings) is one module with a ``data`` function, one JS function and one
line in ``LAYERS``. Pure: dataset + view in, folium feature groups of plain data out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from components.dataset import query
from components.dataset.model import Dataset
from components.map import viewport
from components.map.layers import places, routes, trains
from components.view import View, trip_ids


@dataclass(frozen=True)
class Scene:
    """What every layer reads, worked out once per view."""

    ds: Dataset
    view: View
    trip_ids: list[str]
    events: pd.DataFrame
    progress: list[query.RouteProgress]
    routes_url: str | None


@dataclass(frozen=True)
class Layer:
    name: str
    draw: str
    data: Callable[[Scene], Any]


# In drawing order: routes under the trains under the places.
LAYERS = (
    Layer("Routes", "routes", routes.data),
    Layer("Train", "trains", trains.data),
    Layer("Places", "places", places.data),
)
LAYER_NAMES = tuple(layer.name for layer in LAYERS)


class BrowserCall(MacroElement):
    """``SummitMap.<function>(<parent>, data)``: a layer drawn by summit_map.js from plain data in one
    call, not a compiled folium template per marker or line."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        SummitMap.{{ this.function }}({{ this.target }}, {{ this.data|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, function: str, data: Any, on_map: bool = False) -> None:
        super().__init__()
        self._name = "BrowserCall"
        self.function = function
        self.data = data
        self.on_map = on_map

    @property
    def target(self) -> str:
        parent = self._parent
        return parent._parent.get_name() if self.on_map else parent.get_name()  # type: ignore[union-attr]


def scene(ds: Dataset, view: View, routes_url: str | None = None) -> Scene:
    chosen = trip_ids(ds, view)
    progress = [query.route_progress(ds, trip_id, view.day) for trip_id in chosen]
    return Scene(ds, view, chosen, query.events_until(ds, chosen, view.day), progress, routes_url)


def layers(ds: Dataset, view: View, routes_url: str | None = None) -> list[folium.FeatureGroup]:
    """Every changing layer for a view, in drawing order, then the call that keeps the reader's view: layer
    choices kept, re-fit only when the selection would fall off-screen, the chosen place shown."""
    seen = scene(ds, view, routes_url)
    groups = []
    for layer in LAYERS:
        group = folium.FeatureGroup(name=layer.name)
        group.add_child(BrowserCall(layer.draw, layer.data(seen)))
        groups.append(group)
    sync = {
        "selectionKey": ",".join(seen.trip_ids),
        "bounds": viewport.bounds(ds, seen.trip_ids),
        "place": view.place_id,
    }
    groups[-1].add_child(BrowserCall("sync", sync, on_map=True))
    return groups


def route_geometry(ds: Dataset, chosen: Sequence[str]) -> dict[str, list[list[list[float]]]]:
    """The routes' fixed part, fetched once by the browser (see ``routes``)."""
    return routes.geometry(ds, chosen)
