"""Places with events up to the day: one marker each, coloured by trip, sized by events; drawn clustered by
``SummitMap.places``, a group opening into its places on one click."""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING, Any

from components import i18n
from components.dataset import query

if TYPE_CHECKING:
    from components.map.registry import Scene

MULTI_TRIP_COLOR = "#333333"
STOP_KINDS = ("station", "border_crossing", "cosmodrome")


def marker_size(event_count: int, selected: bool = False) -> int:
    """Marker diameter in pixels: at least 24, a finger's target; grows with the events held, capped; the
    chosen place stands out."""
    return int(min(max(24, 14 + 3 * math.sqrt(event_count)), 30)) + (6 if selected else 0)


def tooltip_html(name: str, other_names: list[str], events: str) -> str:
    """The tooltip's HTML, every line escaped (folium and Leaflet put tooltip text into the page raw)."""
    lines = [escape(line) for line in [" · ".join(n for n in other_names if n), events] if line]
    return f"<b>{escape(name)}</b>" + "".join(f"<br>{line}" for line in lines)


def data(scene: Scene) -> list[dict[str, Any]]:
    """Plain data for the browser's markers, one per place with events; every text escaped or plain."""
    ds, lang = scene.ds, scene.view.lang
    colors = dict(zip(ds.trips["trip_id"], ds.trips["color"], strict=True))
    markers = []
    for place in query.places_of(ds, scene.events).itertuples(index=False):
        trips: tuple[str, ...] = place.trip_ids
        count = int(place.event_count)
        selected = place.place_id == scene.view.place_id
        events = i18n.count(count, "event", lang)
        others = [str(getattr(place, column, "") or "") for column in i18n.other_name_columns(lang)]
        markers.append(
            {
                "id": place.place_id,
                "name": str(place.name),
                "label": f"{place.name}, {events}",
                "lat": round(float(place.lat), 6),
                "lon": round(float(place.lon), 6),
                "color": colors[trips[0]] if len(trips) == 1 else MULTI_TRIP_COLOR,
                "size": marker_size(count, selected),
                "selected": selected,
                # The trip's own stops are named on the map before distant cities (summit_map.js).
                "stop": str(place.kind) in STOP_KINDS,
                "tooltip": tooltip_html(str(place.name), others, events),
            }
        )
    return markers
