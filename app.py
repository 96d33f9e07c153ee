"""Summit Map: the page. It reads the widgets, asks components/ for data and map layers, lays them out."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from components import controls, i18n, layers, mapview, panels, state, timeline
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
TIMELINE_KEY = "timeline"
MAX_COMPARED = 3  # trips side by side; more would not fit the table
LAST_PICK_KEY = "_timeline_pick_seen"


# Cache keys: the dataset files' names, sizes and times; and the filters as plain tuples.
Signature = tuple[tuple[str, int, int], ...]
FiltersKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]


def _signature(folder: Path) -> Signature:
    """Names, sizes and modification times of the dataset files: an edit invalidates the cache."""
    found = []
    for name in DATA_FILES:
        path = folder / name
        stat = path.stat() if path.is_file() else None
        found.append((name, stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1))
    return tuple(found)


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _dataset(folder: str, signature: Signature) -> Dataset:
    del signature  # part of the cache key only
    loaded = load_dataset(folder)
    # The dataset lives as long as the server: out of the cycle collector's sight, a full collection
    # no longer walks its million objects (about 200 ms at 100,000 events) in the middle of a rerun.
    gc.freeze()
    return loaded


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
def _base_view(folder: str, signature: Signature) -> layers.View:
    """The base map's own view covers every trip; it never changes, so the map stays mounted."""
    ds = _dataset(folder, signature)
    return layers.view_for(ds, ds.trips["trip_id"].tolist())


@st.cache_resource(max_entries=12)
def _localized(folder: str, signature: Signature, lang: str) -> Dataset:
    """The dataset with place names in the chosen language, built once per language."""
    return i18n.localize(_dataset(folder, signature), lang)


def _filters_key(filters: query.Filters) -> FiltersKey:
    return (filters.categories, filters.people, filters.certainties, filters.text)


@st.cache_resource(max_entries=32)
def _shown(
    folder: str,
    signature: Signature,
    lang: str,
    filters: FiltersKey,
) -> Dataset:
    """The localized dataset narrowed by the filters, built once per combination."""
    return query.filtered(_localized(folder, signature, lang), query.Filters(*filters))


@st.cache_resource(max_entries=32)
def _timeline(
    folder: str,
    signature: Signature,
    lang: str,
    filters: FiltersKey,
    trip_ids: tuple[str, ...],
) -> timeline.TimelineSpec:
    """The timeline's spec for a selection: built and validated once, not on every day or click."""
    shown = _shown(folder, signature, lang, filters)
    return timeline.timeline_spec(shown, shown.events, trip_ids, lang)


@st.cache_resource(max_entries=32)
def _comparison(
    folder: str,
    signature: Signature,
    lang: str,
    filters: FiltersKey,
    trip_ids: tuple[str, ...],
) -> tuple[list[query.TripSummary], pd.DataFrame]:
    """The trips compared day by day: the same for every day, so computed once."""
    return query.compare_trips(_shown(folder, signature, lang, filters), trip_ids)


@st.cache_resource(max_entries=8)
def _base_frame(folder: str, signature: Signature, lang: str, local_assets: bool, basemap: bool) -> mapview.BaseFrame:
    """The base map rendered once per language: reruns send the same code and only the layers change."""
    ds = _localized(folder, signature, lang)
    base = layers.build_base_map(ds, basemap, _base_view(folder, signature), local_assets, lang)
    return mapview.render_base(base, layers.DYNAMIC_LAYER_NAMES)


@st.cache_resource(max_entries=256)
def _map_layers(
    folder: str,
    signature: Signature,
    lang: str,
    filters: FiltersKey,
    trip_ids: tuple[str, ...],
    day: int,
    place_id: str | None,
) -> str:
    """The map's changing layers as code, built once per view: moving back to a day costs nothing."""
    shown = _shown(folder, signature, lang, filters)
    routes = _routes_url(folder, signature, trip_ids)
    return mapview.layers_script(layers.dynamic_layers(shown, trip_ids, day, place_id, routes))


@st.cache_resource(max_entries=64)
def _routes_url(folder: str, signature: Signature, trip_ids: tuple[str, ...]) -> str | None:
    """The selection's route geometry as a file the browser fetches once per selection (None: static/
    is not writable, and the routes go inline)."""
    return mapview.publish_routes(layers.route_geometry(_dataset(folder, signature), trip_ids))


@st.fragment(key=mapview.MAP_FRAGMENT)
def _map_panel(folder: str, signature: Signature, lang: str, filters: FiltersKey, local_assets: bool) -> None:
    """The map and where the trains are. A day or year change reruns this fragment alone, with the
    arguments of the last full run, so the day and the years are read from their widgets' state."""
    ds = _localized(folder, signature, lang)
    trip_ids = query.trip_ids_for_years(ds, st.session_state.get(state.YEARS_KEY) or [])
    first, last = query.day_range(ds, trip_ids)
    day = state.clamp_day(st.session_state.get(state.DAY_KEY), first, last)
    frame = _base_frame(folder, signature, lang, local_assets, layers.basemap_available())
    code = _map_layers(folder, signature, lang, filters, tuple(trip_ids), day, st.session_state.get(state.PLACE_KEY))
    mapview.show_frame(frame, code + mapview.catch_up_code(st.session_state), height=MAP_HEIGHT)
    st.session_state[mapview.MAP_DRAWN_KEY] = True
    progress = _progress(ds, trip_ids, day)
    for line in layers.train_positions(ds, progress, day):
        st.caption(f":material/train: {panels.md(line)}")


def _map_first() -> None:
    mapview.request_map_first(st.session_state)


def _progress(ds: Dataset, trip_ids: list[str], day: int) -> list[query.RouteProgress]:
    """Where each train has been by the day (route_progress keeps its answers on the dataset)."""
    return [query.route_progress(ds, trip_id, day) for trip_id in trip_ids]


def _day_widget(ds: Dataset, trip_ids: list[str], lang: str) -> int:
    first, last = query.day_range(ds, trip_ids)
    st.session_state[state.DAY_KEY] = state.clamp_day(st.session_state.get(state.DAY_KEY), first, last)
    if first == last:
        return first
    if len(trip_ids) == 1:
        return st.select_slider(
            i18n.t("Date", lang),
            options=list(range(first, last + 1)),
            format_func=lambda day: i18n.day_label(query.trip_date(ds, trip_ids[0], day), lang),
            key=state.DAY_KEY,
            on_change=_map_first,
            help=i18n.t("The map shows the route travelled and the events up to this day.", lang),
        )
    return st.slider(
        i18n.t("Day of trip (day 0 = the train enters Russia)", lang),
        min_value=first,
        max_value=last,
        key=state.DAY_KEY,
        on_change=_map_first,
        help=i18n.t("With several trips selected, days are counted from each train's entry into Russia.", lang),
    )


def _select_place(place_id: str, event_id: str | None = None) -> None:
    """Callback of every place chooser outside the map (day list, table): one selection everywhere."""
    st.session_state[state.PLACE_KEY] = place_id
    st.session_state[state.EVENT_KEY] = event_id


def _select_event(ds: Dataset, event_id: str) -> None:
    """Open one event: its day, its place, its details (run before the widgets are drawn)."""
    event = query.event_row(ds, event_id)
    if event is None:
        return
    years = set(st.session_state.get(state.YEARS_KEY) or [])
    st.session_state[state.YEARS_KEY] = sorted(years | {int(event["year"])})
    st.session_state[state.DAY_KEY] = int(event["slider_day"])
    _select_place(str(event["place_id"]), str(event["event_id"]))
    st.session_state[controls.PLAYING_KEY] = False


def _take_timeline_choice(ds: Dataset) -> None:
    """A mark clicked on the timeline opens its event (once per new click)."""
    picked = timeline.picked_event(st.session_state.get(TIMELINE_KEY))
    if picked == st.session_state.get(LAST_PICK_KEY):
        return
    st.session_state[LAST_PICK_KEY] = picked
    if picked:
        _select_event(ds, picked)


def _page_url() -> str:
    """The page's address without its query, for links to events."""
    try:
        url = str(st.context.url or "")
    except (AttributeError, RuntimeError):
        url = ""
    base = url.split("?", 1)[0].split("#", 1)[0]
    if base.count("/") == 2:  # "http://host:port" has no path: links need one before the query
        base += "/"
    return base


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
        source = _dataset(str(folder), _signature(folder))
    except DatasetError as error:
        panels.dataset_error(str(folder), error.problems)
        return
    local_assets = _vendor_assets()
    st.html(page_code(), unsafe_allow_javascript=True)
    if not local_assets:
        st.warning("The map's scripts could not be prepared for offline use; it will load them from the web.")

    state.sync_from_url(st.session_state, st.query_params.to_dict(), source)
    click = mapview.take_new_click(st.session_state)
    if click is not None and click.place_id in source.places_by_id.index:
        _select_place(click.place_id)
        st.session_state[REVEAL_KEY] = click.count or 0
    _take_table_choice(source)
    _take_timeline_choice(source)

    title_col, lang_col = st.columns([5, 1], vertical_alignment="bottom")
    with lang_col:
        lang = controls.language()
    ds = _localized(str(folder), _signature(folder), lang)
    with title_col:
        st.title("Summit Map")
        st.caption(
            i18n.t(
                "Kim Jong Il and Kim Jong Un's armoured-train trips to the Russian Far East, day by day, "
                "every event sourced.",
                lang,
            )
        )
    all_years = [int(y) for y in ds.trips["year"].drop_duplicates()]
    filter_col, slider_col, play_col = st.columns([2, 3, 2], vertical_alignment="bottom")
    with filter_col:
        years = st.pills(
            i18n.t("Summit year", lang),
            all_years,
            selection_mode="multi",
            key=state.YEARS_KEY,
            format_func=str,
            on_change=_map_first,
        )
    years = sorted(years or [])
    if not years:
        st.info(i18n.t("Pick at least one summit year to see its trip.", lang))
        st.session_state[mapview.MAP_DRAWN_KEY] = False
        st.session_state[state.LAST_URL_KEY] = {state.YEARS_KEY: ""}
        st.query_params.from_dict({state.YEARS_KEY: ""})
        return
    trip_ids = query.trip_ids_for_years(ds, years)
    first_day, last_day = query.day_range(ds, trip_ids)
    with slider_col:
        day = _day_widget(ds, trip_ids, lang)
    with play_col:
        playing = controls.player(first_day, last_day, lang)
    filters = controls.filters(ds, lang, state.filters_from(st.session_state).active)
    signature = _signature(folder)
    shown = _shown(str(folder), signature, lang, _filters_key(filters))
    so_far = query.events_until(shown, trip_ids, day)
    # Notes come and go; one container holds them so the map after them keeps its place and stays mounted.
    notes = st.container(key="notes")
    with notes:
        up_to_day = len(query.events_until(ds, trip_ids, day))
        controls.hidden_note(up_to_day - len(so_far), up_to_day, lang)

    place_ids = ds.places.sort_values("name")["place_id"].tolist()
    if st.session_state.get(state.PLACE_KEY) not in set(place_ids):
        st.session_state[state.PLACE_KEY] = None
    selected_place = st.session_state.get(state.PLACE_KEY)
    event_id = st.session_state.get(state.EVENT_KEY)
    event = query.event_row(ds, event_id)
    if event is None or event["place_id"] != selected_place:
        event_id = None
    selection = state.Selection(tuple(years), day, selected_place, event_id, filters, lang)
    with notes:
        panels.warnings(state.pending_warnings(st.session_state, selection))

    map_col, day_col, place_col = st.columns([5, 3, 3], gap="medium")
    with map_col:
        _map_panel(str(folder), signature, lang, _filters_key(filters), local_assets)
    progress = _progress(ds, trip_ids, day)
    with day_col, st.container(key="day-events"):
        panels.day_panel(shown, query.day_sections(shown, trip_ids, day), len(trip_ids) > 1, _select_place, lang)
    with place_col:
        st.html('<div id="place-details"></div>')
        names = ds.place_names
        chosen = st.selectbox(
            i18n.t("Place", lang),
            place_ids,
            index=None,
            key=state.PLACE_KEY,
            format_func=lambda pid: names[pid],
            placeholder=i18n.t("Click a marker, or choose a place", lang),
        )
        if chosen:
            panels.place_details(
                shown,
                chosen,
                query.events_at_place(shown, chosen, trip_ids, day),
                event_id,
                lang,
                _page_url(),
            )
        else:
            st.caption(
                i18n.t(
                    "Click a marker on the map (a numbered circle opens into its places) to see a place's events.",
                    lang,
                )
            )
        if st.session_state.get(REVEAL_KEY):
            st.html(reveal_place_code(st.session_state.pop(REVEAL_KEY)), unsafe_allow_javascript=True)

    if mapview.map_before_the_rest(st.session_state, browser=bool(st.context.headers)):
        return
    with st.container(key="timeline-box"):
        st.markdown(f"## {i18n.t('Timeline', lang)}")
        spec = timeline.with_selection(
            _timeline(str(folder), signature, lang, _filters_key(filters), tuple(trip_ids)), day, event_id
        )
        st.vega_lite_chart(spec, key=TIMELINE_KEY, on_select="rerun", selection_mode=timeline.PICK, width="stretch")
        st.caption(
            i18n.t(
                "Each mark is an event at its day and local time; colour is the category, shape the certainty. "
                "A faint bar behind a mark spans the part of the day a source gives instead of a time. "
                "The shaded band is the chosen day. Click a mark to open the event.",
                lang,
            )
        )

    panels.figures(query.headline(shown, trip_ids, day, progress), lang)
    if 1 < len(trip_ids) <= MAX_COMPARED:
        with st.container(key="compare"):
            panels.compare(
                shown, trip_ids, _comparison(str(folder), signature, lang, _filters_key(filters), tuple(trip_ids)), lang
            )
    st.markdown(f"## {i18n.t('Events so far', lang)}")
    st.session_state[TABLE_EVENTS_KEY] = so_far["event_id"].tolist()
    panels.events_table(ds, so_far, key=TABLE_KEY)
    with st.container(key="downloads"):
        panels.downloads(shown, so_far, trip_ids, years, day, chosen, lang)
    panels.about(ds)

    if not playing:
        final = state.Selection(
            tuple(years), day, chosen, event_id if chosen == selected_place else None, filters, lang
        )
        state.write_url(st.session_state, st.query_params, final, all_years, last_day)


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
