"""The only module that touches streamlit-folium's private functions.

Why: ``st_folium`` renders the whole base map on every rerun; here the base map is rendered once and only
the changing layers are sent (streamlit-folium #91, #244), which needs the pieces ``st_folium`` builds from
inside. They are private, so ``pyproject.toml`` pins streamlit-folium below its next minor release and
``tests/unit/test_map_compat.py`` fails loudly, naming the missing piece, if an upgrade moves them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import streamlit_folium as _sf

# What this module reads from streamlit-folium, checked by the tests against the installed version.
PRIVATE_NAMES = (
    "_get_html",
    "_get_header",
    "_get_map_string",
    "get_full_id",
    "_get_feature_group_string",
    "_get_layer_control_string",
    "generate_js_hash",
    "_component_func",
)


@dataclass(frozen=True)
class Rendered:
    """The base map as st_folium would send it, rendered once."""

    script: str
    header: str
    html: str
    map_id: str
    layer_control: str


def render(base_map: folium.Map, layer_names: Sequence[str], control: folium.LayerControl) -> Rendered:
    """Render the base map and its layer control the way st_folium does (streamlit-folium 0.27).

    The layer control lists the changing layers by name, so empty stand-ins with the same names and
    positions are rendered before it.
    """
    base_map.get_root().render()
    base_map.render()
    html = _sf._get_html(base_map)
    header = _sf._get_header(base_map)
    script = _sf._get_map_string(base_map)
    map_id = _sf.get_full_id(base_map)
    for index, name in enumerate(layer_names):
        _sf._get_feature_group_string(folium.FeatureGroup(name=name), map=base_map, idx=index)
    return Rendered(script, header, html, map_id, _sf._get_layer_control_string(control, base_map))


def feature_groups_code(groups: Sequence[folium.FeatureGroup]) -> str:
    """The changing layers as st_folium's feature-group code, rendered against a stand-in map (the base
    map is not touched, so its cached rendering stays valid)."""
    stand_in = folium.Map(tiles=None)
    return "".join(_sf._get_feature_group_string(group, map=stand_in, idx=index) for index, group in enumerate(groups))


def value_key(rendered: Rendered, key: str) -> str:
    """The session-state key under which streamlit-folium's component keeps the map's value."""
    return str(_sf.generate_js_hash(rendered.script, key, False))


def draw(
    rendered: Rendered,
    layers_code: str,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    css_links: Sequence[str],
    js_links: Sequence[str],
    on_change: Callable[[], None],
) -> dict[str, Any] | None:
    """Mount (or update) the map component: same arguments and key as st_folium, so the map stays mounted
    and keeps its view; no centre or zoom, so the browser code decides when to move the view."""
    return _sf._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=value_key(rendered, key),
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default=dict.fromkeys(returned_objects),
        zoom=None,
        center=None,
        feature_group=layers_code,
        return_on_hover=False,
        layer_control=rendered.layer_control,
        pixelated=False,
        css_links=list(css_links),
        js_links=list(js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
