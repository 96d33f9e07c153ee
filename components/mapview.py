"""The only caller of ``st_folium``, and the translation of its raw return value into a place click."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from streamlit_folium import st_folium

from components.layers import place_id_from_tooltip
from components.state import LAST_CLICK_KEY, MAP_KEY

# Only clicks rerun the app; panning and zooming stay in the browser (streamlit-folium docs,
# "returned_objects"). The count changes on every click, so the same marker twice still registers.
RETURNED_OBJECTS = ["last_object_clicked_tooltip", "last_object_clicked_count"]


@dataclass(frozen=True)
class MapClick:
    """A click on the map as st_folium reports it."""

    tooltip: str | None
    count: int | None

    @property
    def place_id(self) -> str | None:
        return place_id_from_tooltip(self.tooltip)


def click_from_value(value: Mapping[str, Any] | None) -> MapClick | None:
    """Read st_folium's dict; None when nothing has been clicked yet or the value is not a dict."""
    if not isinstance(value, Mapping):
        return None
    tooltip = value.get("last_object_clicked_tooltip")
    count = value.get("last_object_clicked_count")
    if tooltip is None and not count:
        return None
    return MapClick(tooltip if isinstance(tooltip, str) else None, count if isinstance(count, int) else None)


def take_new_click(session: MutableMapping[str, Any]) -> MapClick | None:
    """The click st_folium stored before this rerun, once: a click already handled returns None.

    st_folium copies its value into session_state[MAP_KEY] in its on_change callback, so reading it
    here, before the map is drawn, lets the clicked marker be highlighted in the same rerun.
    """
    click = click_from_value(session.get(MAP_KEY))
    if click is None:
        return None
    marker = (click.count, click.tooltip)
    if session.get(LAST_CLICK_KEY) == marker:
        return None
    session[LAST_CLICK_KEY] = marker
    return click


def show_map(base_map: folium.Map, layers: Sequence[folium.FeatureGroup], height: int = 580) -> dict[str, Any] | None:
    """Draw the map. The base map's code never changes, so the same key keeps it mounted; the
    changing layers go in as feature_group_to_add (streamlit-folium #91, #244: no blink), and an empty
    group rather than None clears a layer (#163). No centre or zoom is passed: the browser code fits
    the view only when the selection would fall off-screen, so the reader's view holds."""
    return st_folium(
        base_map,
        key=MAP_KEY,
        height=height,
        use_container_width=True,
        returned_objects=RETURNED_OBJECTS,
        feature_group_to_add=list(layers),
        layer_control=folium.LayerControl(collapsed=True, position="topright"),
    )
