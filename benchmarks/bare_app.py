"""The baseline the app's reruns are measured against: the same markers and route lines drawn by one
``st_folium`` call, a year filter and a day slider, nothing else and nothing cached but the data.

    streamlit run benchmarks/bare_app.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components import keys
from components.dataset import load_dataset, query, resolve_data_dir
from components.map import base, registry, viewport
from components.offline import ensure_static_assets
from components.view import View


@st.cache_resource
def _dataset(folder: str):  # type: ignore[no-untyped-def]
    ensure_static_assets()
    return load_dataset(folder)


ds = _dataset(str(resolve_data_dir()))
all_years = [int(y) for y in ds.trips["year"].drop_duplicates()]
years = st.pills("Summit year", all_years, selection_mode="multi", default=all_years, key=keys.YEARS) or all_years
trip_ids = query.trip_ids_for_years(ds, years)
first, last = query.day_range(ds, trip_ids)
day = st.slider("Day", first, last, last, key=keys.DAY) if first < last else first
base_map = base.build_base_map(ds, base.basemap_available(), viewport.view_for(ds, ds.trips["trip_id"].tolist()))
st_folium(
    base_map,
    key="bare_map",
    height=600,
    use_container_width=True,
    returned_objects=["last_object_clicked_tooltip", "last_object_clicked_count"],
    feature_group_to_add=registry.layers(ds, View(tuple(sorted(years)), day)),
)
