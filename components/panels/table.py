"""The events so far as a table, and the downloads that take the selection away."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from components import export
from components.dataset.model import Dataset
from components.i18n import t


def events_frame(ds: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """The events table as shown and downloaded: readable columns, publishers instead of ids."""
    places = ds.places_by_id["name"]
    publishers = events["event_id"].map(ds.publishers_by_event)
    return pd.DataFrame(
        {
            "date": events["date"].dt.date,
            "time": events["time"],
            "year": events["year"],
            "place": events["place_id"].map(places),
            "category": events["category"],
            "title": events["title"],
            "certainty": events["certainty"],
            "people": events["people"],
            "sources": publishers.fillna(""),
            "evidence": events["evidence"],
            "event_id": events["event_id"],
        }
    )


def events_table(ds: Dataset, events: pd.DataFrame, key: str) -> None:
    """Sortable, searchable table of the selection; a picked row is read by ``state.take_table_choice``."""
    frame = events_frame(ds, events)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "year": st.column_config.NumberColumn("Trip", format="%d"),
            "title": st.column_config.TextColumn("Event", width="large"),
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
        },
    )


def downloads(
    ds: Dataset,
    events: pd.DataFrame,
    trip_ids: Sequence[str],
    years: Sequence[int],
    day: int,
    place_id: str | None,
    lang: str = "en",
) -> None:
    """The selection as CSV, GeoJSON and an offline map, and the whole dataset; each file is built only
    when its button is pressed."""
    st.markdown(f"### {t('Take the data away', lang)}")
    files: list[tuple[str, Callable[[], bytes], str, str, str]] = [
        ("Events (CSV)", lambda: export.events_csv(ds, events),
         export.export_filename("events", years, day, "csv"), "text/csv", ":material/table:"),
        ("Events and route (GeoJSON)", lambda: export.selection_geojson(ds, events, trip_ids, day),
         export.export_filename("events-and-route", years, day, "geojson"), "application/geo+json", ":material/map:"),
        ("Map (HTML, opens offline)", lambda: export.standalone_html(ds, trip_ids, day, place_id, lang).encode(),
         export.export_filename("map", years, day, "html"), "text/html", ":material/public:"),
        ("Whole dataset (zip)", lambda: export.dataset_zip(ds.data_dir),
         "summit-map-data.zip", "application/zip", ":material/folder_zip:"),
    ]  # fmt: skip
    for column, (label, build, name, mime, icon) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(t(label, lang), build, file_name=name, mime=mime, on_click="ignore", icon=icon)
