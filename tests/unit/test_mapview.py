"""The cached map frame sends st_folium's component exactly what st_folium itself would send."""

from __future__ import annotations

import re
from typing import Any

import pytest
import streamlit_folium

from components import layers, mapview
from components.dataset import Dataset, load_dataset
from tests.conftest import REPO


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(REPO / "data")


def _capture(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs))
    return calls


def _normal(value: Any) -> Any:
    """Folium names elements with random hex ids; compare the code with the ids taken out."""
    if isinstance(value, str):
        return re.sub(r"_[0-9a-f]{32}", "_ID", value)
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def test_cached_frame_matches_st_folium(ds: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _capture(monkeypatch)
    trips = ["kju-2019"]
    mapview.show_map(layers.build_base_map(ds), layers.dynamic_layers(ds, trips, 1, "fefu_russky"), height=600)
    frame = mapview.render_base(layers.build_base_map(ds), layers.DYNAMIC_LAYER_NAMES)
    mapview.show_frame(frame, layers.dynamic_layers(ds, trips, 1, "fefu_russky"), height=600)
    direct, cached = calls
    for name in ("script", "header", "html", "feature_group", "layer_control", "css_links", "js_links", "key",
                 "default", "returned_objects", "height", "zoom", "center"):  # fmt: skip
        assert _normal(cached[name]) == _normal(direct[name]), name


def test_layer_names_match_the_layers(ds: Dataset) -> None:
    names = tuple(group.layer_name for group in layers.dynamic_layers(ds, ["kju-2019"], 1, None))
    assert names == layers.DYNAMIC_LAYER_NAMES
