"""Summit Map: the page. Read the view once, ask the pipeline for what to show, lay out the panels."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from components import controls, keys, panels, pipeline, state, timeline
from components.client import page_code, reveal_place_code
from components.dataset import Dataset, DatasetError, query, resolve_data_dir
from components.i18n import t
from components.map import mapview
from components.pipeline import Source
from components.view import View, all_years, trip_ids

FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"
LOG = logging.getLogger("summit_map")
MAX_COMPARED = 3  # trips side by side; more would not fit the table


@st.fragment(key=mapview.FRAGMENT)
def map_panel(src: Source, assets: bool) -> None:
    """The map and where the trains are. A day or year change reruns this fragment alone, so the view is
    read from the widgets again here (not repaired: the widgets are drawn by the full run)."""
    view = state.read_view(st.session_state, pipeline.dataset(src), repair=False)
    if not view.years:
        return
    frame = pipeline.base_frame(src, view.lang, assets)
    code = pipeline.map_layers(src, view.at(view.day, view.place_id))
    mapview.show(frame, code + mapview.catch_up_code(st.session_state))
    st.session_state[keys.MAP_DRAWN] = True
    panels.train_positions(pipeline.shown(src, view), view)


def take_choices(ds: Dataset) -> None:
    """A place clicked on the map, a row picked in the table, a mark clicked on the timeline: each
    chooses its place (and event) before the view is read, so every panel agrees in this run."""
    click = mapview.take_new_click(st.session_state)
    if click is not None and click.place_id in ds.places_by_id.index:
        state.choose_place(st.session_state, click.place_id)
        state.request_reveal(st.session_state)
    if state.take_table_choice(st.session_state, ds):
        state.request_reveal(st.session_state)
    state.take_timeline_choice(st.session_state, ds, timeline.picked_event(st.session_state.get(keys.TIMELINE)))


def page() -> None:
    src = pipeline.source(resolve_data_dir())
    try:
        ds = pipeline.dataset(src)
    except DatasetError as error:
        panels.dataset_error(src.folder, error.problems)
        return
    assets = pipeline.local_assets()
    st.html(page_code(), unsafe_allow_javascript=True)
    if not assets:
        st.warning("The map's scripts could not be prepared for offline use; it will load them from the web.")
    state.sync_from_url(st.session_state, st.query_params.to_dict(), ds)
    take_choices(ds)
    view = state.read_view(st.session_state, ds)
    data = pipeline.localized(src, view.lang)

    with st.container(key="head"):
        title_col, lang_col = st.columns([5, 1], vertical_alignment="bottom")
    with lang_col:
        controls.language()
    with title_col:
        st.title("Summit Map")
        with st.container(key="lede"):
            st.caption(t("The meetings of North Korea's and Russia's leaders since 2000, from Moscow to Pyongyang and Beijing: day by day, every event sourced.", view.lang))  # fmt: skip
    years_col, day_col, play_col = st.columns([2, 3, 2], vertical_alignment="bottom")
    with years_col:
        controls.years(list(all_years(data)), view.lang)
    if not view.years:
        st.info(t("Pick at least one summit year to see its trip.", view.lang))
        st.session_state[keys.MAP_DRAWN] = False
        state.write_no_years(st.session_state, st.query_params)
        return
    chosen = trip_ids(data, view)
    first_day, last_day = query.day_range(data, chosen)
    with day_col:
        controls.day(data, view, chosen)
    with play_col, st.container(key="player"):
        playing = controls.player(first_day, last_day, view.lang)
    controls.filters(data, view)
    sections(src, data, view, chosen, assets)
    if not playing:
        state.write_url(st.session_state, st.query_params, view, list(all_years(data)), last_day)


def sections(src: Source, data: Dataset, view: View, chosen: list[str], assets: bool) -> None:
    """The page below the controls: notes, the map with the day and the place beside it, then the rest."""
    shown = pipeline.shown(src, view)
    so_far = query.events_until(shown, chosen, view.day)
    # Notes come and go; one container holds them so the map after them keeps its place and stays mounted.
    with st.container(key="notes"):
        up_to_day = len(query.events_until(data, chosen, view.day))
        controls.hidden_note(up_to_day - len(so_far), up_to_day, view.lang)
        panels.warnings(state.pending_warnings(st.session_state, view))
    map_col, day_col, place_col = st.columns([6, 3, 3], gap="medium")
    with map_col:
        map_panel(src, assets)
    with day_col, st.container(key="day-events"):
        day = query.day_sections(shown, chosen, view.day)
        every = {trip_id: len(events) for trip_id, _, events in query.day_sections(data, chosen, view.day).on_day}
        hidden = {trip_id: every.get(trip_id, 0) - len(events) for trip_id, _, events in day.on_day}
        panels.day_panel(shown, day, len(chosen) > 1, controls.choose_place, view.lang, hidden, controls.clear_filters)
    with place_col:
        panels.place_panel(data, shown, view, chosen, panels.page_url())
        if st.session_state.get(keys.REVEAL_PLACE):
            st.html(reveal_place_code(st.session_state.pop(keys.REVEAL_PLACE)), unsafe_allow_javascript=True)
    if mapview.map_before_the_rest(st.session_state, browser=bool(st.context.headers)):
        return
    chart = pipeline.timeline_spec(src, view.content())
    spec = timeline.with_selection(chart, view.day or 0, view.event_id)
    panels.timeline(spec, view.lang, chart.categories, chart.certainties)
    progress = [query.route_progress(shown, trip_id, view.day) for trip_id in chosen]
    panels.figures(query.headline(shown, chosen, view.day, progress), view.lang)
    if 1 < len(chosen) <= MAX_COMPARED:
        with st.container(key="compare"):
            panels.compare(shown, chosen, pipeline.comparison(src, view.content()), view.lang)
    st.markdown(f"## {t('Events so far', view.lang)}")
    st.session_state[keys.TABLE_EVENT_IDS] = so_far["event_id"].tolist()
    panels.events_table(data, so_far, key=keys.TABLE, lang=view.lang)
    with st.container(key="downloads"):
        panels.downloads(shown, so_far, chosen, list(view.years), view.day, view.place_id, view.lang)
    panels.about(data, view.lang)


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
