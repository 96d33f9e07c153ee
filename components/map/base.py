"""The part of the map no widget changes: basemap, tiles, controls, legend, and the browser code's labels.

Its code stays the same from rerun to rerun, so the map stays mounted; the legend, the fullscreen button,
the groups' names and the off-screen list are drawn by ``client/summit_map.js`` from the labels passed in
here, in the reader's language. Pure: dataset in, folium map out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from components.client import PLUGIN_CDN_CSS, PLUGIN_CDN_JS, ClientCode
from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import t
from components.map.viewport import DEFAULT_CENTER, DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM, Camera
from components.offline import CLIENT_CSS, CLIENT_JS, use_local_assets

LAND_COLOR = "#f3efe6"
BORDER_COLOR = "#8c8c8c"
# The sea is the map's background (summit_map.css); lakes and rivers take its colour.
WATER_COLOR = "#c9dff0"
BASEMAP_NAME = "Natural Earth (offline)"
BASEMAP_DIR = Path(__file__).resolve().parents[2] / "static" / "basemap"
BASEMAP_URL = "/app/static/basemap"
BASEMAP_FILES = ("land.geojson", "labels.geojson")
TILES_NAME = "OpenStreetMap (online)"
# Leaflet's options: tiles chosen in the layer control, a scale bar, SVG (markers take focus), zoom limits.
MAP_OPTIONS: dict[str, Any] = {
    "tiles": None,
    "control_scale": True,
    "prefer_canvas": False,
    "min_zoom": MIN_ZOOM,
    "max_zoom": MAX_ZOOM,
}
ATTRIBUTION = "Natural Earth · GSHHG · GeoNames · rail © OpenStreetMap contributors"
MAP_FRAME_TITLE = "Map of the trips: routes, places and trains"
MAP_LABEL = (
    "Map. Arrow keys pan, plus and minus zoom. Tab reaches the places; Enter opens a place or a group of places."
)


def basemap_available(folder: Path = BASEMAP_DIR) -> bool:
    """True when the offline basemap's static files are there to be fetched (else tiles take over)."""
    return all((folder / name).is_file() for name in BASEMAP_FILES)


class _OfflineBasemap(MacroElement):
    """Land and city labels fetched by the browser from static files: a rerun never re-sends them."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        SummitMap.basemap({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self._name = "OfflineBasemap"
        self.options = {
            "land": f"{BASEMAP_URL}/land.geojson",
            "labels": f"{BASEMAP_URL}/labels.geojson",
            # City names in the reader's language: a label without one is left out (scripts/build_labels.py).
            "labelName": "name" if lang == "en" else f"name_{lang}",
            "landColor": LAND_COLOR,
            "borderColor": BORDER_COLOR,
            "waterColor": WATER_COLOR,
            "attribution": ATTRIBUTION,
        }


def basemap_layer(available: bool, lang: str = "en") -> folium.FeatureGroup | None:
    """The offline base layer (Natural Earth land with GSHHG coasts, GeoNames labels), or None without its files."""
    if not available:
        return None
    group = folium.FeatureGroup(name=BASEMAP_NAME, overlay=False, control=True)
    group.add_child(_OfflineBasemap(lang))
    return group


def legend(ds: Dataset, lang: str, trip_ids: Sequence[str] | None = None) -> dict[str, Any]:
    """The legend as data: the trips' colours (only ``trip_ids`` when given), then what dashed, the train
    and a place mean."""
    trips = ds.trips if trip_ids is None else ds.trips[ds.trips["trip_id"].isin(trip_ids)]
    return {
        "title": t("Legend", lang),
        "trips": [
            {"color": str(color), "label": f"{year} · {leader}"}
            for year, leader, color in trips[["year", "leader", "color"]].itertuples(index=False)
        ],
        "ahead": t("route still ahead", lang),
        # Only a legend whose trips fly somewhere says what a flight looks like.
        "flight": t("flight (not a railway)", lang)
        if any(query.flight_legs(ds, trip_id) for trip_id in trips["trip_id"])
        else None,
        "train": t("train at the end of the chosen day", lang),
        "place": t("place (size: events; dark: several trips)", lang),
    }


def client_labels(lang: str) -> dict[str, str]:
    """Every word the browser code writes on the map, in the reader's language."""
    return {
        "frameTitle": t(MAP_FRAME_TITLE, lang),
        "mapLabel": t(MAP_LABEL, lang),
        "outsideOne": t("1 place outside this view", lang),
        "outsideMany": t("{n} places outside this view", lang),
        "group": t("{n} places: {names}", lang),
        "groupMore": t("{names} and {n} more", lang),
        "groupOpen": t("Click to show each place", lang),
        "groupEnter": t("Press Enter to show them.", lang),
        "fullscreen": t("Full screen", lang),
    }


def build_base_map(
    ds: Dataset,
    basemap: bool = True,
    camera: Camera | None = None,
    local_assets: bool = True,
    lang: str = "en",
    legend_trips: Sequence[str] | None = None,
) -> folium.Map:
    """The base map: Leaflet with its limits, the browser code and its labels, basemap, tiles. The legend
    lists every trip, or ``legend_trips`` (a map file holds only the trips it was made of)."""
    camera = camera or Camera(DEFAULT_CENTER, DEFAULT_ZOOM)
    fmap = folium.Map(location=list(camera.center), zoom_start=camera.zoom, **MAP_OPTIONS)
    # On the map itself, not only its tiles: clustering needs the map's own zoom limits.
    fmap.options["max_zoom"] = MAX_ZOOM
    fmap.options["min_zoom"] = MIN_ZOOM
    if local_assets:
        use_local_assets(fmap)
    else:
        fmap.default_js = [*fmap.default_js, *PLUGIN_CDN_JS]
        fmap.default_css = [*fmap.default_css, *PLUGIN_CDN_CSS]
    options = {**client_labels(lang), "legend": legend(ds, lang, legend_trips)}
    fmap.add_child(ClientCode(options, (CLIENT_JS.url, CLIENT_CSS.url) if local_assets else None))
    land = basemap_layer(basemap, lang)
    if land is not None:
        land.add_to(fmap)
    folium.TileLayer("OpenStreetMap", name=TILES_NAME, overlay=False, control=True, show=land is None).add_to(fmap)
    return fmap


def walk(element: Any) -> list[Any]:
    """An element and all its descendants, in document order."""
    found = [element]
    for child in getattr(element, "_children", {}).values():
        found += walk(child)
    return found


def render_html(fmap: folium.Map, layers: list[folium.FeatureGroup] | tuple[()] = ()) -> str:
    """A standalone HTML page of the map with the given layers, for tests and for download."""
    for layer in layers:
        layer.add_to(fmap)
    return fmap.get_root().render()
