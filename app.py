"""Summit Map: the page. It reads the widgets, asks components/ for data and map layers, lays them out."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from components import layers, mapview, panels, state
from components.client import page_code, reveal_place_code
from components.dataset import Dataset, DatasetError, load_dataset, query, resolve_data_dir
from components.dataset.schema import DATA_FILES
from components.offline import ensure_static_assets

HERE = Path(__file__).resolve().parent
FAVICON = HERE / "static" / "favicon.png"
LOG = logging.getLogger("summit_map")
MAP_HEIGHT = 600
TABLE_KEY = "events_table"
TABLE_EVENTS_KEY = "_table_event_ids"
LAST_TABLE_ROWS_KEY = "_table_rows_seen"
REVEAL_KEY = "_reveal_place"


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the dataset files: an edit invalidates the cache."""
    found = []
    for name in DATA_FILES:
        path = folder / name
        stat = path.stat() if path.is_file() else None
        found.append((name, stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1))
    return tuple(found)


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _dataset(folder: str, signature: tuple[tuple[str, int, int], ...]) -> Dataset:
    del signature  # part of the cache key only
    return load_dataset(folder)


@st.cache_resource
def _vendor_assets() -> bool:
    """Copy Leaflet and jQuery into static/ once per server; False if that folder cannot be written."""
    try:
        ensure_static_assets()
    except OSError:
        LOG.exception("Could not copy the map's scripts into static/vendor")
        return False
    return True


@st.cache_resource(max_entries=4)
def _base_view(folder: str, signature: tuple[tuple[str, int, int], ...]) -> layers.View:
    """The base map's own view covers every trip; it never changes, so the map stays mounted."""
    ds = _dataset(folder, signature)
    return layers.view_for(ds, ds.trips["trip_id"].tolist())


def _day_widget(ds: Dataset, trip_ids: list[str]) -> int:
    first, last = query.day_range(ds, trip_ids)
    st.session_state[state.DAY_KEY] = state.clamp_day(st.session_state.get(state.DAY_KEY), first, last)
    if first == last:
        return first
    if len(trip_ids) == 1:
        return st.select_slider(
            "Date",
            options=list(range(first, last + 1)),
            format_func=lambda day: query.day_label(ds, trip_ids, day),
            key=state.DAY_KEY,
            help="The map shows the route travelled and the events up to this day.",
        )
    return st.slider(
        "Day of trip (day 0 = the train enters Russia)",
        min_value=first,
        max_value=last,
        key=state.DAY_KEY,
        help="With several trips selected, days are counted from each train's entry into Russia.",
    )


def _select_place(place_id: str, event_id: str | None = None) -> None:
    """Callback of every place chooser outside the map (day list, table): one selection everywhere."""
    st.session_state[state.PLACE_KEY] = place_id
    st.session_state[state.EVENT_KEY] = event_id


def _take_table_choice(ds: Dataset) -> None:
    """A row picked in the events table selects its event's place (once per new pick)."""
    table = st.session_state.get(TABLE_KEY)
    rows = tuple(getattr(getattr(table, "selection", None), "rows", ()) or ())
    if not rows or rows == st.session_state.get(LAST_TABLE_ROWS_KEY):
        st.session_state[LAST_TABLE_ROWS_KEY] = rows
        return
    st.session_state[LAST_TABLE_ROWS_KEY] = rows
    event_id = st.session_state.get(TABLE_EVENTS_KEY, [None] * (rows[0] + 1))[rows[0]]
    found = ds.events.loc[ds.events["event_id"] == event_id, "place_id"]
    if not found.empty:
        _select_place(str(found.iloc[0]), event_id)


def page() -> None:
    folder = resolve_data_dir()
    try:
        ds = _dataset(str(folder), _signature(folder))
    except DatasetError as error:
        panels.dataset_error(str(folder), error.problems)
        return
    local_assets = _vendor_assets()
    st.html(page_code(), unsafe_allow_javascript=True)
    if not local_assets:
        st.warning("The map's scripts could not be prepared for offline use; it will load them from the web.")

    if state.sync_from_url(st.session_state, st.query_params.to_dict(), ds):
        st.session_state[state.EVENT_KEY] = None
    click = mapview.take_new_click(st.session_state)
    if click is not None and click.place_id in ds.places_by_id.index:
        _select_place(click.place_id)
        st.session_state[REVEAL_KEY] = click.count or 0
    _take_table_choice(ds)

    st.title("Summit Map")
    st.caption(
        "Kim Jong Il and Kim Jong Un's armoured-train trips to the Russian Far East, day by day, every event sourced."
    )
    all_years = [int(y) for y in ds.trips["year"].drop_duplicates()]
    filter_col, slider_col = st.columns([2, 3], vertical_alignment="bottom")
    with filter_col:
        years = st.pills("Summit year", all_years, selection_mode="multi", key=state.YEARS_KEY, format_func=str)
    years = sorted(years or [])
    if not years:
        st.info("Pick at least one summit year to see its trip.")
        st.session_state[state.LAST_URL_KEY] = {state.YEARS_KEY: ""}
        st.query_params.from_dict({state.YEARS_KEY: ""})
        return
    trip_ids = query.trip_ids_for_years(ds, years)
    with slider_col:
        day = _day_widget(ds, trip_ids)
    _, last_day = query.day_range(ds, trip_ids)

    place_ids = ds.places.sort_values("name")["place_id"].tolist()
    if st.session_state.get(state.PLACE_KEY) not in set(place_ids):
        st.session_state[state.PLACE_KEY] = None
    selected_place = st.session_state.get(state.PLACE_KEY)
    selection = state.Selection(tuple(years), day, selected_place)
    panels.warnings(state.pending_warnings(st.session_state, selection))

    map_col, day_col, place_col = st.columns([5, 3, 3], gap="medium")
    with map_col:
        base = layers.build_base_map(
            ds, layers.basemap_available(), _base_view(str(folder), _signature(folder)), local_assets
        )
        dynamic = layers.dynamic_layers(ds, trip_ids, day, selected_place)
        mapview.show_map(base, dynamic, height=MAP_HEIGHT)
        progress = [query.route_progress(ds, trip_id, day) for trip_id in trip_ids]
        for line in layers.train_positions(ds, progress, day):
            st.caption(f":material/train: {panels.md(line)}")
    with day_col, st.container(key="day-events"):
        panels.day_panel(ds, query.day_sections(ds, trip_ids, day), len(trip_ids) > 1, _select_place)
    with place_col:
        st.html('<div id="place-details"></div>')
        names = ds.places_by_id["name"]
        chosen = st.selectbox(
            "Place",
            place_ids,
            index=None,
            key=state.PLACE_KEY,
            format_func=lambda pid: names[pid],
            placeholder="Click a marker, or choose a place",
        )
        if chosen:
            panels.place_details(
                ds, chosen, query.events_at_place(ds, chosen, trip_ids, day), st.session_state.get(state.EVENT_KEY)
            )
        else:
            st.caption("Click a marker on the map (a numbered circle opens into its places) to see a place's events.")
        if st.session_state.get(REVEAL_KEY):
            st.html(reveal_place_code(st.session_state.pop(REVEAL_KEY)), unsafe_allow_javascript=True)

    panels.figures(query.headline(ds, trip_ids, day))
    st.markdown("## Events so far")
    so_far = query.events_until(ds, trip_ids, day)
    st.session_state[TABLE_EVENTS_KEY] = so_far["event_id"].tolist()
    panels.events_table(ds, so_far, key=TABLE_KEY)
    panels.about(ds)

    state.write_url(st.session_state, st.query_params, state.Selection(tuple(years), day, chosen), all_years, last_day)


def main() -> None:
    st.set_page_config(page_title="Summit Map", page_icon=str(FAVICON), layout="wide")
    try:
        page()
    except Exception:
        LOG.exception("Summit Map failed to draw the page")
        st.error(
            "Something went wrong while drawing the page. The details are in the server log.", icon=":material/error:"
        )


main()
