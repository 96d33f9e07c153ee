"""Pure map builders: dataset + selection in, folium objects out. No Streamlit here.

The base map (basemap, controls, legend) depends only on the dataset, so its code stays the same
from rerun to rerun and ``st_folium`` keeps it mounted; everything that follows the widgets
(places, routes, train positions) is built as FeatureGroups passed as ``feature_group_to_add``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from components.client import PLUGIN_CDN_CSS, PLUGIN_CDN_JS, ClientCode
from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import t
from components.offline import CLIENT_CSS, CLIENT_JS, use_local_assets

# A place's id rides at the end of its tooltip text so a click can be traced back to it.
PLACE_TOKEN = re.compile(r"\[([a-z0-9][a-z0-9_\-]*)\]\s*$")
MULTI_TRIP_COLOR = "#333333"
SEA_COLOR = "#c9dff0"
LAND_COLOR = "#f3efe6"
BORDER_COLOR = "#8c8c8c"
DEFAULT_CENTER = (45.0, 131.0)
DEFAULT_ZOOM = 5
MIN_ZOOM = 3
MAX_ZOOM = 17
# A locomotive drawn in SVG: emoji fonts are often missing on air-gapped Linux machines.
TRAIN_ICON = (
    '<svg class="summit-train" viewBox="0 0 24 24" width="24" height="24" aria-label="train" role="img">'
    '<circle cx="12" cy="12" r="11" fill="#111" stroke="#fff" stroke-width="2"/>'
    '<rect x="7" y="5.5" width="10" height="10" rx="2" fill="#fff"/>'
    '<rect x="8.5" y="7" width="7" height="3.5" fill="#111"/>'
    '<circle cx="9.5" cy="13" r="1" fill="#111"/><circle cx="14.5" cy="13" r="1" fill="#111"/>'
    '<path d="M8 19l2-3h4l2 3" stroke="#fff" stroke-width="1.5" fill="none"/></svg>'
)
BASEMAP_NAME = "Natural Earth (offline)"
BASEMAP_DIR = Path(__file__).resolve().parents[1] / "static" / "basemap"
BASEMAP_URL = "/app/static/basemap"
BASEMAP_FILES = ("land.geojson", "labels.geojson")
MAP_FRAME_TITLE = "Map of the trips: routes, places and trains"
MAP_LABEL = (
    "Map. Arrow keys pan, plus and minus zoom. Tab reaches the places; Enter opens a place or a group of places."
)
TRAIN_PANE = "summitTrain"
TILES_NAME = "OpenStreetMap (online)"
# The layers that follow the widgets, in drawing order, by the names the layer control shows.
DYNAMIC_LAYER_NAMES = ("Routes", "Train", "Places")


@dataclass(frozen=True)
class View:
    """Where the map looks: a centre and a zoom level."""

    center: tuple[float, float]
    zoom: int


def place_tooltip_text(name: str, name_ru: str | None, name_ko: str | None, count: int, place_id: str) -> str:
    """Plain text of a place's tooltip: names, event count and the [id] the click handler reads."""
    other_names = " · ".join(n for n in (name_ru, name_ko) if n)
    lines = [name, *([other_names] if other_names else []), f"{count} event{'s' if count != 1 else ''} [{place_id}]"]
    return "\n".join(lines)


def place_id_from_tooltip(tooltip: str | None) -> str | None:
    """The place id at the end of a clicked tooltip, or None for anything else (routes, the train)."""
    if not tooltip:
        return None
    match = PLACE_TOKEN.search(tooltip.strip())
    return match.group(1) if match else None


def _tooltip_html(text: str) -> str:
    """Escape every line for HTML: folium puts tooltip text into the page raw."""
    lines = [escape(line) for line in text.split("\n")]
    head, rest = lines[0], lines[1:]
    body = "".join(f"<br>{line}" for line in rest)
    return f"<b>{head}</b>{body}"


def view_for(ds: Dataset, trip_ids: Sequence[str], width_px: int = 700, height_px: int = 580) -> View:
    """A centre and zoom that fit the selected trips' routes (or their places, for a trip without routes).

    Places far from the railway (the Kremlin, where announcements come from) do not pull the view out.
    """
    points = [p for pts in ds.legs.loc[ds.legs["trip_id"].isin(trip_ids), "points"] for p in pts]
    if not points:
        places = query.places_of(ds, query.events_until(ds, trip_ids))
        points = list(zip(places["lat"], places["lon"], strict=True))
    if not points:
        return View(DEFAULT_CENTER, DEFAULT_ZOOM)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(east - west, 0.05) / 360
    lat_span = max(mercator_y(north) - mercator_y(south), 0.001) / (2 * math.pi)
    # 256 px per world at zoom 0; keep a margin so markers at the edge stay visible.
    zoom = math.floor(min(math.log2(width_px * 0.85 / 256 / lon_span), math.log2(height_px * 0.85 / 256 / lat_span)))
    center_lat = math.degrees(math.atan(math.sinh((mercator_y(north) + mercator_y(south)) / 2)))
    return View((round(center_lat, 4), round((east + west) / 2, 4)), max(MIN_ZOOM, min(zoom, 14)))


class _Legend(MacroElement):
    """A static legend control: trip colours and what solid, dashed and the train mean."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "summit-legend");
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


def legend_html(ds: Dataset, lang: str = "en") -> str:
    """The legend's HTML, every label escaped."""
    rows = [
        f'<div><span class="swatch" style="border-color:{escape(color)}"></span>{escape(str(year))} · '
        f"{escape(leader)}</div>"
        for year, leader, color in ds.trips[["year", "leader", "color"]].itertuples(index=False)
    ]
    rows.append(
        f'<div><span class="swatch" style="border-top:4px dashed #777"></span>{escape(t("route still ahead", lang))}</div>'
    )
    rows.append(
        '<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;background:#111;'
        f'margin:0 6px 0 5px;vertical-align:middle"></span>{escape(t("train at the end of the chosen day", lang))}</div>'
    )
    rows.append(
        '<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;background:#333;'
        'border:2px solid #fff;margin:0 6px 0 5px;vertical-align:middle"></span>'
        f"{escape(t('place (size: events; dark: several trips)', lang))}</div>"
    )
    return f"<details open><summary>{escape(t('Legend', lang))}</summary>{''.join(rows)}</details>"


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

    def __init__(self) -> None:
        super().__init__()
        self._name = "OfflineBasemap"
        self.options = {
            "land": f"{BASEMAP_URL}/land.geojson",
            "labels": f"{BASEMAP_URL}/labels.geojson",
            "landColor": LAND_COLOR,
            "borderColor": BORDER_COLOR,
            "attribution": "Natural Earth · GSHHG · GeoNames · rail © OpenStreetMap contributors",
        }


def basemap_layer(available: bool) -> folium.FeatureGroup | None:
    """The offline base layer (Natural Earth land with GSHHG coasts, GeoNames labels), or None without its files."""
    if not available:
        return None
    group = folium.FeatureGroup(name=BASEMAP_NAME, overlay=False, control=True)
    group.add_child(_OfflineBasemap())
    return group


def build_base_map(
    ds: Dataset, basemap: bool = True, view: View | None = None, local_assets: bool = True, lang: str = "en"
) -> folium.Map:
    """The part of the map that never changes with the widgets: basemap, tiles, controls, legend."""
    view = view or View(DEFAULT_CENTER, DEFAULT_ZOOM)
    fmap = folium.Map(
        location=list(view.center),
        zoom_start=view.zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
    )
    # On the map itself, not only its tiles: clustering needs the map's own zoom limits.
    fmap.options["max_zoom"] = MAX_ZOOM
    fmap.options["min_zoom"] = MIN_ZOOM
    if local_assets:
        use_local_assets(fmap)
    else:
        fmap.default_js = [*fmap.default_js, *PLUGIN_CDN_JS]
        fmap.default_css = [*fmap.default_css, *PLUGIN_CDN_CSS]
    fmap.add_child(
        ClientCode(
            {
                "frameTitle": t(MAP_FRAME_TITLE, lang),
                "mapLabel": t(MAP_LABEL, lang),
                "outsideOne": t("1 place outside this view", lang),
                "outsideMany": t("{n} places outside this view", lang),
            },
            (CLIENT_JS.url, CLIENT_CSS.url) if local_assets else None,
        )
    )
    land = basemap_layer(basemap)
    if land is not None:
        land.add_to(fmap)
    folium.TileLayer(
        "OpenStreetMap",
        name=TILES_NAME,
        overlay=False,
        control=True,
        show=land is None,
    ).add_to(fmap)
    fmap.add_child(_Legend(legend_html(ds, lang)))
    fmap.add_child(_FullscreenButton())
    return fmap


class _FullscreenButton(MacroElement):
    """A fullscreen toggle in plain Leaflet, so no third-party plugin has to be fetched."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
            var control = L.control({position: "topleft"});
            control.onAdd = function () {
                var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control");
                var link = L.DomUtil.create("a", "summit-fullscreen", bar);
                link.href = "#"; link.title = "Full screen"; link.setAttribute("role", "button");
                link.setAttribute("aria-label", "Full screen");
                link.innerHTML = '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">' +
                    '<path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" stroke="#333" stroke-width="2" fill="none"/></svg>';
                L.DomEvent.on(link, "click", function (e) {
                    L.DomEvent.preventDefault(e);
                    var el = map.getContainer();
                    if (document.fullscreenElement) { document.exitFullscreen(); }
                    else if (el.requestFullscreen) { el.requestFullscreen(); }
                });
                L.DomEvent.disableClickPropagation(bar);
                return bar;
            };
            control.addTo(map);
            document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FullscreenButton"


def _trip_colors(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.trips["trip_id"], ds.trips["color"], strict=True))


def marker_size(event_count: int, selected: bool = False) -> int:
    """Marker diameter in pixels: grows with the events held, capped; the chosen place stands out."""
    return int(min(14 + 3 * math.sqrt(event_count), 30)) + (6 if selected else 0)


def place_markers(ds: Dataset, events: pd.DataFrame, selected_place: str | None = None) -> list[dict[str, Any]]:
    """Plain data for the browser's clustered markers, one per place with events; every text escaped."""
    colors = _trip_colors(ds)
    markers = []
    for place in query.places_of(ds, events).itertuples(index=False):
        trip_ids: tuple[str, ...] = place.trip_ids
        count = int(place.event_count)
        selected = place.place_id == selected_place
        text = place_tooltip_text(place.name, place.name_ru, place.name_ko, count, place.place_id)
        markers.append(
            {
                "id": place.place_id,
                "name": str(place.name),
                "label": f"{place.name}, {count} event{'s' if count != 1 else ''}",
                "lat": round(float(place.lat), 6),
                "lon": round(float(place.lon), 6),
                "color": colors[trip_ids[0]] if len(trip_ids) == 1 else MULTI_TRIP_COLOR,
                "size": marker_size(count, selected),
                "selected": selected,
                "tooltip": _tooltip_html(text),
            }
        )
    return markers


class _BrowserCall(MacroElement):
    """A layer drawn by summit_map.js from plain data: ``SummitMap.<function>(group, *data)`` in one
    script call, not a compiled folium template per marker or line."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        SummitMap.{{ this.function }}({{ this._parent.get_name() }}{% for value in this.data %}, {{ value|tojson }}{% endfor %});
        {% endmacro %}"""
    )

    def __init__(self, function: str, *data: Any) -> None:
        super().__init__()
        self._name = "BrowserCall"
        self.function = function
        self.data = data


def places_layer(
    ds: Dataset, events: pd.DataFrame, selected_place: str | None = None, name: str = "Places"
) -> folium.FeatureGroup:
    """One marker per place with events in the selection, coloured by trip, sized by event count;
    places that would overlap are grouped and a click on the group opens them all."""
    group = folium.FeatureGroup(name=name)
    group.add_child(_BrowserCall("places", place_markers(ds, events, selected_place), {}))
    return group


# Line widths of the selected trips, earliest widest: a few trips stay apart, a hundred stay lines.
ROUTE_WIDTH_MIN, ROUTE_WIDTH_STEP, ROUTE_WIDTH_MAX = 4, 2, 12


def route_width(rank: int, selected: int) -> int:
    """The width of the ``rank``-th selected trip (chronological): earlier trips are drawn wider and
    underneath, so routes sharing a railway stay visible; capped, so many trips never make a band."""
    return min(ROUTE_WIDTH_MAX, ROUTE_WIDTH_MIN + ROUTE_WIDTH_STEP * (selected - 1 - rank))


def route_styles(
    ds: Dataset, progress: Sequence[query.RouteProgress]
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each selected trip (earliest first) with the Leaflet options of its travelled and its ahead
    lines: solid where travelled, dashed and faint ahead, earlier trips wider and underneath so routes
    sharing a railway stay visible; the tooltip escaped."""
    trips = ds.trips_by_id
    order = {trip_id: index for index, trip_id in enumerate(ds.trips["trip_id"])}
    chosen = sorted((p.trip_id for p in progress), key=order.__getitem__)
    styles = []
    for rank, trip_id in enumerate(chosen):
        color = str(trips.at[trip_id, "color"])
        width = route_width(rank, len(chosen))
        label = escape(f"{trips.at[trip_id, 'year']} · {trips.at[trip_id, 'title']}")
        done = {"color": color, "weight": width, "opacity": 0.95, "dashArray": None, "tooltip": label,
                "className": f"route-done trip-{trip_id}"}  # fmt: skip
        ahead = {"color": color, "weight": max(2, width - 1), "opacity": 0.45, "dashArray": "6 8",
                 "tooltip": f"{label} (ahead)", "className": f"route-ahead trip-{trip_id}"}  # fmt: skip
        styles.append((trip_id, done, ahead))
    return styles


def route_lines(ds: Dataset, progress: Sequence[query.RouteProgress]) -> list[dict[str, Any]]:
    """Each trip's rail route as plain data for the browser, its lines styled by ``route_styles``."""
    by_trip = {p.trip_id: p for p in progress}
    lines: list[dict[str, Any]] = []
    for trip_id, done, ahead in route_styles(ds, progress):
        for style, parts in ((done, by_trip[trip_id].travelled), (ahead, by_trip[trip_id].ahead)):
            lines += [{"points": _rounded(points), **style} for points in parts if len(points) > 1]
    return lines


def routes_layer(ds: Dataset, progress: Sequence[query.RouteProgress], name: str = "Routes") -> folium.FeatureGroup:
    """Each trip's rail route (see ``route_lines``) in one layer the reader can hide."""
    group = folium.FeatureGroup(name=name)
    group.add_child(_BrowserCall("routeLines", route_lines(ds, progress)))
    return group


def route_geometry(ds: Dataset, trip_ids: Sequence[str]) -> dict[str, list[list[list[float]]]]:
    """The selected trips' legs, in travel order, as [lat, lon] points rounded to about a metre: the
    part of the routes no day changes (only the selection's, so a large dataset's file stays small)."""
    return {
        str(trip_id): [_rounded(points) for points in query.trip_legs(ds, trip_id)["points"]] for trip_id in trip_ids
    }


def _rounded(points: Sequence[Sequence[float]]) -> list[list[float]]:
    return [[round(float(lat), 5), round(float(lon), 5)] for lat, lon in points]


def routes_from_file(
    ds: Dataset, progress: Sequence[query.RouteProgress], url: str, name: str = "Routes"
) -> folium.FeatureGroup:
    """The routes as ``routes_layer`` draws them, but the geometry comes from ``url`` (``route_geometry``,
    fetched once by the browser): a day sends only how many legs each train has done and the leg under
    way, cut here as ``route_progress`` cuts it, with the lines' styles."""
    group = folium.FeatureGroup(name=name)
    by_trip = {p.trip_id: p for p in progress}
    drawn = []
    for trip_id, done, ahead in route_styles(ds, progress):
        trip = by_trip[trip_id]
        # route_progress lists whole legs, plus both halves of the leg under way when there is one.
        under_way = len(trip.travelled) + len(trip.ahead) == len(query.trip_legs(ds, trip_id)) + 1
        drawn.append(
            {
                "id": trip_id,
                "done": len(trip.travelled) - (1 if under_way else 0),
                "underWay": {"done": _rounded(trip.travelled[-1]), "ahead": _rounded(trip.ahead[0])}
                if under_way
                else None,
                "styles": {"done": done, "ahead": ahead},
            }
        )
    group.add_child(_BrowserCall("routes", {"url": url, "trips": drawn}))
    return group


def trains_layer(
    ds: Dataset, progress: Sequence[query.RouteProgress], day: int | None, name: str = "Train"
) -> folium.FeatureGroup:
    """Where each selected trip's train was at the end of the chosen day: only on the trip's own dates.

    Drawn under the place markers and deaf to the pointer, so it never takes a click meant for a place.
    """
    group = folium.FeatureGroup(name=name)
    if day is None:
        return group
    trips = ds.trips_by_id
    for trip in progress:
        if trip.position is None or not trips.at[trip.trip_id, "start_day"] <= day <= trips.at[trip.trip_id, "end_day"]:
            continue
        folium.Marker(
            location=trip.position,
            icon=folium.DivIcon(
                html=TRAIN_ICON,
                icon_size=(24, 24),
                icon_anchor=(12, 12),
                class_name="summit-train-icon",
            ),
            interactive=False,
            keyboard=False,
            pane=TRAIN_PANE,
        ).add_to(group)
    return group


def train_positions(ds: Dataset, progress: Sequence[query.RouteProgress], day: int | None) -> list[str]:
    """Where each train was at the end of the day, in words, for the page (the map's train has no tooltip)."""
    if day is None:
        return []
    trips = ds.trips_by_id
    lines = []
    for trip in progress:
        if trip.position is None or not trips.at[trip.trip_id, "start_day"] <= day <= trips.at[trip.trip_id, "end_day"]:
            continue
        when = query.trip_date(ds, trip.trip_id, day).strftime("%d %b %Y")
        lines.append(f"{trips.at[trip.trip_id, 'year']} train, end of {when}: {trip.position_label}")
    return lines


def selection_bounds(ds: Dataset, trip_ids: Sequence[str]) -> list[list[float]]:
    """South-west and north-east corners of the selected trips' routes (or places, without routes)."""
    points = [p for pts in ds.legs.loc[ds.legs["trip_id"].isin(trip_ids), "points"] for p in pts]
    if not points:
        places = query.places_of(ds, query.events_until(ds, trip_ids))
        points = list(zip(places["lat"], places["lon"], strict=True))
    if not points:
        return []
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


class _ViewSync(MacroElement):
    """After a rerun's layers are in: keep layer choices, re-fit only when needed, show the chosen place."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        SummitMap.sync({{ this._parent._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "ViewSync"
        self.options = options


def dynamic_layers(
    ds: Dataset, trip_ids: Sequence[str], day: int | None, selected_place: str | None, routes_url: str | None = None
) -> list[folium.FeatureGroup]:
    """Everything that follows the widgets, in drawing order (routes under trains under places); with
    ``routes_url`` the routes' geometry comes from that file instead of with every day."""
    events = query.events_until(ds, trip_ids, day)
    progress = [query.route_progress(ds, trip_id, day) for trip_id in trip_ids]
    places = places_layer(ds, events, selected_place)
    sync = {"selectionKey": ",".join(trip_ids), "bounds": selection_bounds(ds, trip_ids), "place": selected_place}
    places.add_child(_ViewSync(sync))
    routes = routes_layer(ds, progress) if routes_url is None else routes_from_file(ds, progress, routes_url)
    return [routes, trains_layer(ds, progress, day), places]


def render_html(fmap: folium.Map, layers: Sequence[folium.FeatureGroup] = ()) -> str:
    """A standalone HTML page of the map with the given layers, for tests and for download."""
    for layer in layers:
        layer.add_to(fmap)
    return fmap.get_root().render()
