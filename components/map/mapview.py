"""The map on the page: drawn from a base rendered once, clicks read back as place ids, the map-first protocol.

A day or year change reruns only the map's fragment, so the map answers first; the browser then asks for
the rest of the page. A place clicked on the map arrives as its id, sent by ``summit_map.js`` beside
streamlit-folium's own fields.
"""

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

from components import keys
from components.map import base, compat
from components.map.registry import LAYER_NAMES
from components.offline import STATIC_DIR

# Only clicks rerun the app; panning and zooming stay in the browser (streamlit-folium docs,
# "returned_objects"). The count changes on every click, so the same marker twice still registers.
RETURNED_OBJECTS = ("last_object_clicked_tooltip", "last_object_clicked_count")
# Fields summit_map.js adds to every value it sends: the id of the place clicked last (null when the last
# click was on something else), and the number of the last map-first run it has drawn, so the server
# knows this browser will ask for the rest of the page.
PLACE_FIELD = "place"
CATCH_UP_FIELD = "catch_up"
FRAGMENT = "summit-map"
HEIGHT = 600

# Files the app writes for the browser to fetch once (not committed), served like static/vendor.
GENERATED_DIR = STATIC_DIR / "generated"
GENERATED_URL = "/app/static/generated"


@dataclass(frozen=True)
class MapClick:
    """A click on a place of the map: its id, and the click's number (a second click on it is new)."""

    place_id: str | None
    count: int | None


def click_from_value(value: Mapping[str, Any] | None) -> MapClick | None:
    """Read the map's value; None when nothing has been clicked yet or the value is not a dict."""
    if not isinstance(value, Mapping):
        return None
    place = value.get(PLACE_FIELD)
    count = value.get("last_object_clicked_count")
    if place is None and not count:
        return None
    return MapClick(place if isinstance(place, str) else None, count if isinstance(count, int) else None)


def take_new_click(session: MutableMapping[str, Any]) -> MapClick | None:
    """The click stored before this rerun, once: a click already handled returns None.

    The map's value is copied into session state in its on_change callback, so reading it here, before
    the map is drawn, lets the clicked marker be highlighted in the same rerun.
    """
    click = click_from_value(session.get(keys.MAP))
    if click is None:
        return None
    marker = (click.count, click.place_id)
    if session.get(keys.LAST_MAP_CLICK) == marker:
        return None
    session[keys.LAST_MAP_CLICK] = marker
    return click


@dataclass(frozen=True)
class BaseFrame:
    """The base map rendered once, with the files it links: only the layers change between reruns."""

    rendered: compat.Rendered
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(collapsed=True, position="topright")


def render_base(base_map: folium.Map) -> BaseFrame:
    """Render the base map once, with stand-ins for the changing layers, and collect the files it links."""
    rendered = compat.render(base_map, LAYER_NAMES, layer_control())
    css: list[str] = []
    js: list[str] = []
    for element in base.walk(base_map):
        css += [href for _, href in getattr(element, "default_css", [])]
        js += [src for _, src in getattr(element, "default_js", [])]
    return BaseFrame(rendered, tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js)))


def layers_code(groups: Sequence[folium.FeatureGroup]) -> str:
    """The changing layers as the component's feature-group code."""
    return compat.feature_groups_code(groups)


def show(frame: BaseFrame, code: str, height: int = HEIGHT) -> dict[str, Any] | None:
    """Draw the map: same component, same arguments, same key, so it stays mounted and keeps its view."""

    def on_change() -> None:
        # The map sits in a fragment; a click or a catch-up request reruns the whole page.
        st.session_state[keys.MAP] = st.session_state.get(compat.value_key(frame.rendered, keys.MAP), {})
        st.rerun()

    return compat.draw(
        frame.rendered, code, keys.MAP, height, RETURNED_OBJECTS, frame.css_links, frame.js_links, on_change
    )


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
    value = session.get(keys.MAP)
    return bool(session.get(keys.MAP_DRAWN)) and isinstance(value, Mapping) and CATCH_UP_FIELD in value


def request_map_first(session: MutableMapping[str, Any]) -> None:
    """Widget callback for the day and the years: rerun only the map's fragment, so the map answers
    before the rest of the page is rebuilt; the browser then asks for a full rerun (``catch_up_code``).

    In a full rerun the map's delta waits in the browser behind every element drawn with it, and
    Streamlit drops a run's unsent deltas when the next run starts, so the map cannot be drawn
    first and the page rerun from the server in one go.
    """
    if not browser_catches_up(session) or not session.get(keys.YEARS):
        return  # without a year there is no map to draw: the page says so
    session[keys.MAP_FIRST_RUNS] = int(session.get(keys.MAP_FIRST_RUNS, 0)) + 1
    st.rerun(FRAGMENT)


def map_before_the_rest(session: MutableMapping[str, Any], browser: bool) -> bool:
    """True on the first run of a reader's browser session: the page stops after the map and the panels
    beside it, so the map frame loads while the browser has little else to build. The map's first value
    (summit_map.js sends it once drawn) reruns the page, and that run draws the rest; any later run does.
    Without a browser (AppTest) nothing would rerun, so the page is drawn whole."""
    first = not session.get(keys.FIRST_RUN_DONE)
    session[keys.FIRST_RUN_DONE] = True
    return first and browser


def catch_up_code(session: Mapping[str, Any]) -> str:
    """Appended to the layers' code: the browser, having drawn a map-first run's layers, sends this
    number back, and that rerun brings the rest of the page up to date. A full run sends the same
    number, so its layers' code is the same and is not evaluated again."""
    return f"SummitMap.catchUp({int(session.get(keys.MAP_FIRST_RUNS, 0))});"
