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


def events_table(ds: Dataset, events: pd.DataFrame, key: str, lang: str = "en") -> None:
    """Sortable, searchable table of the selection, its headers and its categories, certainties and parts
    of the day in the reader's language; a picked row is read by ``state.take_table_choice``."""
    frame = events_frame(ds, events)
    for column in ("category", "certainty"):
        frame[column] = frame[column].map(lambda value: t(value, lang))
    parts = events["part_of_day"] if "part_of_day" in events else pd.Series("", index=events.index)
    frame["time"] = frame["time"].where(frame["time"] != "", parts.map(lambda part: t(part, lang) if part else ""))
    text = st.column_config.TextColumn
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "date": st.column_config.DateColumn(t("Date", lang), format="YYYY-MM-DD"),
            "time": text(t("Time", lang)),
            "year": st.column_config.NumberColumn(t("Trip", lang), format="%d"),
            "place": text(t("Place", lang)),
            "category": text(t("Category", lang)),
            "title": text(t("Event", lang), width="large"),
            "certainty": text(t("Certainty", lang)),
            "people": text(t("People", lang)),
            "sources": text(t("Sources", lang)),
            "evidence": text(t("Quote", lang), width="large"),
            "event_id": text(t("Event id", lang)),
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
        ("Events (GeoJSON)", lambda: export.events_geojson(ds, events),
         export.export_filename("events", years, day, "geojson"), "application/geo+json", ":material/location_on:"),
        ("Route (GeoJSON)", lambda: export.route_geojson(ds, trip_ids, day),
         export.export_filename("route", years, day, "geojson"), "application/geo+json", ":material/route:"),
        ("Map (HTML, opens offline)", lambda: export.standalone_html(ds, trip_ids, day, place_id, lang).encode(),
         export.export_filename("map", years, day, "html"), "text/html", ":material/public:"),
        ("Whole dataset (zip)", lambda: export.dataset_zip(ds.data_dir),
         "summit-map-data.zip", "application/zip", ":material/folder_zip:"),
    ]  # fmt: skip
    for column, (label, build, name, mime, icon) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(t(label, lang), build, file_name=name, mime=mime, on_click="ignore", icon=icon)
