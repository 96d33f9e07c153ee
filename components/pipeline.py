"""What the page shows for a view, each step cached once per server and keyed on (source, view).

``Source`` names the dataset folder and its files' sizes and times, read once a run: an edit to a file
invalidates every step. Each step takes the part of the view it depends on (``View.content()`` for what
does not move with the day or the place), so moving the day reuses the timeline, and a new filter or
language reaches every step through the one ``View`` type.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components import i18n, offline, timeline
from components.dataset import Dataset, load_dataset, query
from components.dataset.schema import DATA_FILES
from components.map import base, mapview, registry, viewport
from components.view import View, trip_ids

LOG = logging.getLogger("summit_map")


@dataclass(frozen=True)
class Source:
    """A dataset folder and the names, sizes and modification times of its files."""

    folder: str
    signature: tuple[tuple[str, int, int], ...]


def source(folder: Path) -> Source:
    """The folder as it is now: an edit to a file makes a new source, and every cached step follows."""
    found = []
    for name in DATA_FILES:
        path = folder / name
        stat = path.stat() if path.is_file() else None
        found.append((name, stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1))
    return Source(str(folder), tuple(found))


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def dataset(src: Source) -> Dataset:
    loaded = load_dataset(src.folder)
    # The dataset lives as long as the server: out of the cycle collector's sight, a full collection
    # no longer walks its million objects (about 200 ms at 100,000 events) in the middle of a rerun.
    gc.freeze()
    return loaded


@st.cache_resource
def local_assets() -> bool:
    """Copy Leaflet and jQuery into static/ once per server; False if that folder cannot be written."""
    try:
        offline.ensure_static_assets()
    except OSError:
        LOG.exception("Could not copy the map's scripts into static/vendor")
        return False
    return True


@st.cache_resource(max_entries=12)
def localized(src: Source, lang: str) -> Dataset:
    """The dataset with place names in the chosen language, built once per language."""
    return i18n.localize(dataset(src), lang)


@st.cache_resource(max_entries=32)
def shown(src: Source, view: View) -> Dataset:
    """The localized dataset narrowed by the view's filters, built once per language and filters."""
    return query.filtered(localized(src, view.lang), view.filters)


def _shown_for(src: Source, view: View) -> Dataset:
    return shown(src, View((), filters=view.filters, lang=view.lang))


@st.cache_resource(max_entries=32)
def timeline_spec(src: Source, content: View) -> timeline.TimelineSpec:
    """The timeline's spec for a view's content: built and validated once, not on every day or click."""
    data = _shown_for(src, content)
    return timeline.timeline_spec(data, data.events, trip_ids(data, content), content.lang)


@st.cache_resource(max_entries=32)
def comparison(src: Source, content: View) -> tuple[list[query.TripSummary], pd.DataFrame]:
    """The trips compared day by day: the same for every day, so computed once."""
    data = _shown_for(src, content)
    return query.compare_trips(data, trip_ids(data, content))


@st.cache_resource(max_entries=8)
def base_frame(src: Source, lang: str, assets: bool) -> mapview.BaseFrame:
    """The base map rendered once per language: reruns send the same code and only the layers change."""
    data = localized(src, lang)
    whole = viewport.view_for(data, data.trips["trip_id"].tolist())
    return mapview.render_base(base.build_base_map(data, base.basemap_available(), whole, assets, lang))


@st.cache_resource(max_entries=64)
def routes_url(src: Source, years: tuple[int, ...]) -> str | None:
    """The selection's route geometry as a file the browser fetches once per selection (None: static/
    is not writable, and the routes go inline)."""
    data = dataset(src)
    return mapview.publish_routes(registry.route_geometry(data, query.trip_ids_for_years(data, years)))


@st.cache_resource(max_entries=256)
def map_layers(src: Source, view: View) -> str:
    """The map's changing layers as code, built once per view: moving back to a day costs nothing."""
    data = _shown_for(src, view)
    return mapview.layers_code(registry.layers(data, view, routes_url(src, view.years)))
