"""Take the data away: the selection as CSV and GeoJSON, the map as one offline HTML file, the dataset as a zip.

Pure: dataset + selection in, bytes out; no Streamlit. The properties of every export are documented
in data/README.md ("Exports").
"""

from __future__ import annotations

import base64
import html
import io
import json
import mimetypes
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
import pandas as pd

from components.dataset import query
from components.dataset.model import Dataset
from components.dataset.schema import DATA_FILES
from components.i18n import day_label, t
from components.map import base, registry, viewport
from components.offline import ASSETS, LEAFLET_IMAGE_PATH, Asset, _package_dir
from components.view import View

EVENT_COLUMNS = (
    "event_id",
    "trip_id",
    "date",
    "time",
    "part_of_day",
    "time_note",
    "place_id",
    "category",
    "title",
    "description",
    "people",
    "source_ids",
    "evidence",
    "certainty",
    "certainty_note",
)
# The routes in Russia are cut from OpenStreetMap track, whose licence asks for this credit wherever they go.
ROUTE_CREDIT = (
    "Rail routes: © OpenStreetMap contributors (ODbL 1.0) in Russia; Natural Earth (public domain) in North Korea; "
    "straight links where neither has the track (see data/README.md)"
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so the same dataset gives the same bytes
ZIP_FOLDER = "summit-map-data"
GEOJSON = "application/geo+json"
# The extension each selection export gets when the caller names none.
EXTENSIONS = {"events": "csv", "route": "geojson", "map": "html"}


def _spreadsheet_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def events_table(ds: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """The events as data/events.csv has them, plus place name, coordinates and source URLs."""
    places = ds.places_by_id
    urls = ds.sources_by_id["url"]
    return pd.DataFrame(
        {
            **{column: events[column] for column in EVENT_COLUMNS if column not in ("date", "source_ids")},
            "date": events["date"].dt.strftime("%Y-%m-%d"),
            "source_ids": events["source_ids"].map(";".join),
            "place_name": events["place_id"].map(places["name"]),
            "lat": events["place_id"].map(places["lat"]),
            "lon": events["place_id"].map(places["lon"]),
            "source_urls": events["source_ids"].map(lambda ids: ";".join(u for u in urls.reindex(ids) if u)),
        }
    )[[*EVENT_COLUMNS, "place_name", "lat", "lon", "source_urls"]]


def events_csv(ds: Dataset, events: pd.DataFrame) -> bytes:
    """UTF-8 CSV of the events. Cells that a spreadsheet would run as a formula get a leading ' (the
    only change to the verbatim quotes)."""
    frame = events_table(ds, events).map(_spreadsheet_safe)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _sources(ds: Dataset, source_ids: Sequence[str]) -> list[dict[str, str]]:
    return [
        {
            "publisher": source["publisher"],
            "title": source["title"],
            "date": source["published"].strftime("%Y-%m-%d") if pd.notna(source["published"]) else "",
            "url": source["url"],
        }
        for source in query.sources_for(ds, source_ids).to_dict("records")
    ]


def _event_description(event: dict[str, Any], place_name: str) -> str:
    """One line a map tool can show as a feature's label: when, what, where, and what happened."""
    when = event["date"].strftime("%Y-%m-%d") + (
        f" {event['time']}" if event["time"] else (f", {event['part_of_day']}" if event.get("part_of_day") else "")
    )
    text = f"{when} · {event['title']} ({place_name})"
    return f"{text}: {event['description']}" if event.get("description") else text


def _collection(features: list[dict[str, Any]]) -> bytes:
    # A foreign member (RFC 7946 §6.1): the credit travels with the file.
    collection = {"type": "FeatureCollection", "attribution": ROUTE_CREDIT, "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def events_geojson(ds: Dataset, events: pd.DataFrame) -> bytes:
    """RFC 7946 GeoJSON of the events: one Point per event, at its place, described in one line."""
    places = ds.places_by_id
    features: list[dict[str, Any]] = []
    for event in events.to_dict("records"):
        place = places.loc[event["place_id"]]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(place["lon"]), float(place["lat"])]},
                "properties": {
                    "kind": "event",
                    "event_id": event["event_id"],
                    "trip_id": event["trip_id"],
                    "date": event["date"].strftime("%Y-%m-%d"),
                    "time": event["time"],
                    "part_of_day": event["part_of_day"],
                    "place_id": event["place_id"],
                    "place_name": place["name"],
                    "category": event["category"],
                    "title": event["title"],
                    "description": _event_description(event, str(place["name"])),
                    "people": event["people"],
                    "certainty": event["certainty"],
                    "evidence": event["evidence"],
                    "sources": _sources(ds, event["source_ids"]),
                },
            }
        )
    return _collection(features)


def route_geojson(ds: Dataset, trip_ids: Sequence[str], day: int | None) -> bytes:
    """RFC 7946 GeoJSON of the routes: per trip, one MultiLineString of the route travelled up to the day."""
    trips = ds.trips_by_id
    features: list[dict[str, Any]] = []
    for trip_id in trip_ids:
        progress = query.route_progress(ds, trip_id, day)
        lines = [[[round(lon, 6), round(lat, 6)] for lat, lon in line] for line in progress.travelled if len(line) > 1]
        if not lines:
            continue
        until = "the whole route" if day is None else f"the route travelled up to day {day}"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": lines},
                "properties": {
                    "kind": "route_travelled",
                    "trip_id": trip_id,
                    "up_to_day": day,
                    "rail_km_travelled": round(progress.rail_km_travelled, 1),
                    "description": f"{trips.at[trip_id, 'year']} · {trips.at[trip_id, 'title']}: {until}, "
                    f"{progress.rail_km_travelled:,.0f} km by rail",
                    "track_source": ROUTE_CREDIT,
                },
            }
        )
    return _collection(features)


def _data_uri(path: Path, kind: str | None = None) -> str:
    kind = kind or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _asset_text(asset: Asset) -> str:
    return (_package_dir(asset.package) / asset.source).read_text(encoding="utf-8")


def _inline_script(asset: Asset) -> str:
    """A script's text, safe inside <script>: a closing tag in it would end the element early."""
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", _asset_text(asset), flags=re.IGNORECASE) + "</script>"


def _inline_css(asset: Asset) -> str:
    """A stylesheet with the images it points at inlined, so nothing is fetched."""
    folder = (_package_dir(asset.package) / asset.source).parent

    def inline(match: re.Match[str]) -> str:
        target = folder / match.group(1)
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return re.sub(r"url\(['\"]?(?!data:)([^'\")]+)['\"]?\)", inline, _asset_text(asset))


def place_story(ds: Dataset, events: pd.DataFrame, name: str) -> str:
    """A place's events for a map file's popup: when, what, the quote and whom it is quoted from, every
    source with its link. Every text escaped."""
    parts = [f'<div class="summit-story"><h3>{html.escape(name)}</h3>']
    for event in events.to_dict("records"):
        when = event["date"].strftime("%d %b %Y")
        when += (
            f", {event['time']}" if event["time"] else (f", {event['part_of_day']}" if event.get("part_of_day") else "")
        )
        sources = query.sources_for(ds, event["source_ids"]).to_dict("records")
        links = "".join(
            f"<li>{html.escape(source['publisher'])}: "
            + (
                f'<a href="{html.escape(source["url"])}">{html.escape(source["title"] or source["url"])}</a>'
                if str(source["url"]).startswith(("http://", "https://"))
                else html.escape(source["title"] or "")
            )
            + (f" · {source['published'].strftime('%d %b %Y')}" if pd.notna(source["published"]) else "")
            + "</li>"
            for source in sources
        )
        quoted = f" — {html.escape(sources[0]['publisher'])}" if sources else ""
        parts.append(
            f'<div class="event"><b>{html.escape(when)}</b> · {html.escape(event["title"])} '
            f"<i>({html.escape(event['certainty'])})</i>"
            + (f"<div>{html.escape(event['description'])}</div>" if event.get("description") else "")
            + f"<blockquote>“{html.escape(event['evidence'])}”{quoted}</blockquote><ul>{links}</ul></div>"
        )
    return "".join(parts) + "</div>"


def map_title(ds: Dataset, trip_ids: Sequence[str], day: int | None, lang: str) -> dict[str, str]:
    """What a map file shows: its trips, and up to which day."""
    trips = ds.trips_by_id.loc[list(trip_ids)]
    shown = "; ".join(f"{trip.year} · {trip.leader} — {trip.title}" for trip in trips.itertuples())
    if day is None:
        upto = t("the whole trips", lang)
    elif len(trip_ids) == 1:
        upto = t("up to {date}", lang, date=day_label(query.trip_date(ds, trip_ids[0], day), lang))
    else:
        upto = t("up to day {day} of the trips", lang, day=day)
    return {"title": f"Summit Map: {shown}", "subtitle": upto}


def standalone_html(
    ds: Dataset, trip_ids: Sequence[str], day: int | None, place_id: str | None = None, lang: str = "en"
) -> str:
    """The map of the selection as one HTML file that opens offline: Leaflet, its plugins, jQuery,
    their styles and images, the land and the labels all inside it; its title says what it shows, its
    legend only the trips it holds, and every place opens onto its events, quotes and sources."""
    camera = viewport.view_for(ds, trip_ids)
    fmap = base.build_base_map(ds, base.basemap_available(), camera, True, lang, legend_trips=trip_ids)
    basemap = base.BASEMAP_DIR
    for child in base.walk(fmap):
        options = getattr(child, "options", None)
        if isinstance(options, dict) and "land" in options and "labels" in options:
            options["land"] = _data_uri(basemap / "land.geojson", GEOJSON)
            options["labels"] = _data_uri(basemap / "labels.geojson", GEOJSON)
    years = tuple(sorted({int(year) for year in ds.trips_by_id.loc[list(trip_ids), "year"]}))
    groups = registry.layers(ds, View(years, day, place_id, lang=lang))
    events = query.events_until(ds, trip_ids, day)
    for call in (child for group in groups for child in base.walk(group)):
        if isinstance(call, registry.BrowserCall) and call.function == "places":
            for marker in call.data:
                marker["popup"] = place_story(ds, events.loc[events["place_id"] == marker["id"]], marker["name"])
    for layer in groups:
        layer.add_to(fmap)
    groups[-1].add_child(registry.BrowserCall("title", map_title(ds, trip_ids, day, lang), on_map=True))
    # The app's map gets its layer control from st_folium; the file needs its own, after the layers it lists.
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    page = base.render_html(fmap)
    for asset in ASSETS:
        if asset.target.endswith(".js"):
            tag = re.compile(r'<script src="' + re.escape(asset.url) + r'"></script>')
            page = tag.sub(lambda _m, a=asset: _inline_script(a), page)
        elif asset.target.endswith(".css"):
            tag = re.compile(r'<link rel="stylesheet" href="' + re.escape(asset.url) + r'"\s*/>')
            page = tag.sub(lambda _m, a=asset: f"<style>{_inline_css(a)}</style>", page)
    images = {
        asset.url: _data_uri(_package_dir(asset.package) / asset.source) for asset in ASSETS if "/images/" in asset.url
    }
    page = page.replace(f'L.Icon.Default.imagePath = "{LEAFLET_IMAGE_PATH}";', "")
    for url, uri in images.items():
        page = page.replace(url, uri)
    return page


def dataset_zip(data_dir: Path) -> bytes:
    """The dataset's files in one zip, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted({*DATA_FILES, "README.md"}):
            path = data_dir / name
            if path.is_file():
                info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def export_filename(kind: str, years: Sequence[int], day: int | None, extension: str | None = None) -> str:
    """summit-map_2019_day-2_events.csv: what the file holds, readable in a downloads folder.

    The extension follows the kind (events: csv, route: geojson, map: html) unless given.
    """
    extension = extension or EXTENSIONS.get(kind, "txt")
    parts = ["summit-map", "-".join(str(y) for y in years) or "all"]
    if day is not None:
        parts.append(f"day-{day}")
    return "_".join([*parts, kind]) + f".{extension}"
