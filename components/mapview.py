"""The only caller of ``st_folium``, and the translation of its raw return value into a place click."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import streamlit as st
import streamlit_folium as _sf
from streamlit_folium import st_folium

from components.layers import place_id_from_tooltip
from components.offline import STATIC_DIR
from components.state import LAST_CLICK_KEY, MAP_KEY, YEARS_KEY

# Only clicks rerun the app; panning and zooming stay in the browser (streamlit-folium docs,
# "returned_objects"). The count changes on every click, so the same marker twice still registers.
RETURNED_OBJECTS = ["last_object_clicked_tooltip", "last_object_clicked_count"]
# The map's code in the browser adds this field to every value it sends (summit_map.js): the number of
# the last map-first run it has drawn, so the server knows a browser will ask for the rest of the page.
CATCH_UP_FIELD = "catch_up"
MAP_FRAGMENT = "summit-map"
CATCH_UP_KEY = "_map_first_runs"
MAP_DRAWN_KEY = "_map_drawn"
FIRST_RUN_KEY = "_first_run_done"


# Files the app writes for the browser to fetch once (not committed), served like static/vendor.
GENERATED_DIR = STATIC_DIR / "generated"
GENERATED_URL = "/app/static/generated"


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


@dataclass(frozen=True)
class BaseFrame:
    """The base map rendered once, as st_folium would send it: only the layers change between reruns."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    layer_control: str
    defaults: dict[str, Any]


def render_base(base_map: folium.Map, layer_names: Sequence[str]) -> BaseFrame:
    """Render the base map and its layer control the way st_folium does (streamlit-folium 0.27), once.

    The layer control lists the changing layers by name, so empty stand-ins with the same names and
    positions are added before it is rendered.
    """
    base_map.get_root().render()
    base_map.render()
    html = _sf._get_html(base_map)
    header = _sf._get_header(base_map)
    script = _sf._get_map_string(base_map)
    map_id = _sf.get_full_id(base_map)
    for index, name in enumerate(layer_names):
        _sf._get_feature_group_string(folium.FeatureGroup(name=name), map=base_map, idx=index)
    control = _sf._get_layer_control_string(_layer_control(), base_map)
    css: list[str] = []
    js: list[str] = []
    for element in _walk(base_map):
        css += [href for _, href in getattr(element, "default_css", [])]
        js += [src for _, src in getattr(element, "default_js", [])]
    defaults = {key: None for key in RETURNED_OBJECTS}
    return BaseFrame(
        script,
        header,
        html,
        map_id,
        tuple(dict.fromkeys(css)),
        tuple(dict.fromkeys(js)),
        control,
        defaults,
    )


def _walk(element: Any) -> list[Any]:
    found = [element]
    for child in getattr(element, "_children", {}).values():
        found += _walk(child)
    return found


def _layer_control() -> folium.LayerControl:
    return folium.LayerControl(collapsed=True, position="topright")


def layers_script(layers: Sequence[folium.FeatureGroup]) -> str:
    """The changing layers as st_folium's feature-group code, rendered against a stand-in map
    (the base map is not touched, so its cached frame stays valid)."""
    stand_in = folium.Map(tiles=None)
    return "".join(_sf._get_feature_group_string(layer, map=stand_in, idx=index) for index, layer in enumerate(layers))


def publish_routes(geometry: Mapping[str, Any], folder: Path = GENERATED_DIR) -> str | None:
    """Write the routes' geometry once as a static file named by its content, so a day sends only where
    each train is, never the routes again; its URL, or None when static/ cannot be written."""
    text = json.dumps(geometry, separators=(",", ":"))
    name = f"routes-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
    path = folder / name
    try:
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a browser never fetches half a file, two servers never collide.
            with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".part", delete=False, encoding="utf-8") as part:
                part.write(text)
            os.chmod(part.name, 0o644)
            os.replace(part.name, path)
    except OSError:
        return None
    return f"{GENERATED_URL}/{name}"


def browser_catches_up(session: Mapping[str, Any]) -> bool:
    """True when the map is mounted in a browser that asks for the rest of the page after a map-first
    run; without one (AppTest, a map not drawn in the last run) every change reruns the whole page."""
    value = session.get(MAP_KEY)
    return bool(session.get(MAP_DRAWN_KEY)) and isinstance(value, Mapping) and CATCH_UP_FIELD in value


def request_map_first(session: MutableMapping[str, Any]) -> None:
    """Widget callback for the day and the years: rerun only the map's fragment, so the map answers
    before the rest of the page is rebuilt; the browser then asks for a full rerun (``catch_up_code``).

    In a full rerun the map's delta waits in the browser behind every element drawn with it, and
    Streamlit drops a run's unsent deltas when the next run starts, so the map cannot be drawn
    first and the page rerun from the server in one go.
    """
    if not browser_catches_up(session) or not session.get(YEARS_KEY):
        return  # without a year there is no map to draw: the page says so
    session[CATCH_UP_KEY] = int(session.get(CATCH_UP_KEY, 0)) + 1
    st.rerun(MAP_FRAGMENT)


def map_before_the_rest(session: MutableMapping[str, Any], browser: bool) -> bool:
    """True on the first run of a reader's browser session: the page stops after the map and the panels
    beside it, so the map frame loads while the browser has little else to build. The map's first value
    (summit_map.js sends it once drawn) reruns the page, and that run draws the rest; any later run does.
    Without a browser (AppTest) nothing would rerun, so the page is drawn whole."""
    first = not session.get(FIRST_RUN_KEY)
    session[FIRST_RUN_KEY] = True
    return first and browser


def catch_up_code(session: Mapping[str, Any]) -> str:
    """Appended to the layers' code: the browser, having drawn a map-first run's layers, sends this
    number back, and that rerun brings the rest of the page up to date. A full run sends the same
    number, so its layers' code is the same and is not evaluated again."""
    return f"SummitMap.catchUp({int(session.get(CATCH_UP_KEY, 0))});"


def show_frame(
    frame: BaseFrame, layers: Sequence[folium.FeatureGroup] | str, height: int = 580
) -> dict[str, Any] | None:
    """Draw the map from a cached base frame: what ``show_map`` does, without rendering the base again.

    Same component, same arguments, same key: the map stays mounted and keeps its view.
    """
    hash_key = _sf.generate_js_hash(frame.script, MAP_KEY, False)

    def on_change() -> None:
        # The map sits in a fragment; a click or a catch-up request reruns the whole page.
        st.session_state[MAP_KEY] = st.session_state.get(hash_key, {})
        st.rerun()

    return _sf._component_func(
        script=frame.script,
        header=frame.header,
        html=frame.html,
        id=frame.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=RETURNED_OBJECTS,
        default=frame.defaults,
        zoom=None,
        center=None,
        feature_group=layers if isinstance(layers, str) else layers_script(layers),
        return_on_hover=False,
        layer_control=frame.layer_control,
        pixelated=False,
        css_links=list(frame.css_links),
        js_links=list(frame.js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
