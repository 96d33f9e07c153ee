"""The page's controls: language, summit years, the day, filters, and play/pause.

Small Streamlit widgets; every value lives in session state under its key in ``keys``, where
``state.read_view`` reads and repairs it before the widgets are drawn.
"""

from __future__ import annotations

import time

import streamlit as st

from components import i18n, keys, state, urls
from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import LANGUAGE_NAMES, t
from components.map import mapview
from components.view import View

# Seconds per trip day: slow enough to read the day's heading, fast enough to watch a trip go by.
SPEEDS = {"Slow": 3.0, "Normal": 1.5, "Fast": 0.75}
PLAY_SHORTCUT = "p"


def language() -> str:
    """The language switch (its label in every language); returns the chosen code."""
    label = " · ".join(i18n.t("Language", lang) for lang in LANGUAGE_NAMES)
    return str(st.selectbox(label, list(LANGUAGE_NAMES), key=keys.LANG, format_func=LANGUAGE_NAMES.__getitem__))


def choose_place(place_id: str, event_id: str | None = None) -> None:
    """Callback of every place chooser outside the map (the day list's place buttons)."""
    state.choose_place(st.session_state, place_id, event_id)


def _map_first() -> None:
    mapview.request_map_first(st.session_state)


def years(all_years: list[int], lang: str) -> list[int]:
    """The summit years, any combination; a change redraws the map first."""
    chosen = st.pills(
        t("Summit year", lang), all_years, selection_mode="multi", key=keys.YEARS, format_func=str, on_change=_map_first
    )
    return sorted(chosen or [])


def day(ds: Dataset, view: View, trip_ids: list[str]) -> int:
    """The day: a date slider for one trip, "day of trip" for several; a change redraws the map first."""
    first, last = query.day_range(ds, trip_ids)
    lang = view.lang
    if first == last:
        return first
    if len(trip_ids) == 1:
        return int(
            st.select_slider(
                t("Date", lang),
                options=list(range(first, last + 1)),
                format_func=lambda value: i18n.day_label(query.trip_date(ds, trip_ids[0], value), lang),
                key=keys.DAY,
                on_change=_map_first,
                help=t("The map shows the route travelled and the events up to this day.", lang),
            )
        )
    countries = {str(code) for code in ds.trips_by_id.loc[trip_ids, "entry_country"] if code}
    label = (
        t(
            "Day of trip (day 0 = the day the leader enters {country})",
            lang,
            country=i18n.country(countries.pop(), lang),
        )
        if len(countries) == 1
        else t("Day of trip (day 0 = the day each leader enters the host country)", lang)
    )
    return int(
        st.slider(
            label,
            min_value=first,
            max_value=last,
            key=keys.DAY,
            on_change=_map_first,
            help=t(
                "With several trips selected, days are counted from each leader's entry into the host country.", lang
            ),
        )
    )


def clear_filters() -> None:
    """Callback of "Clear filters"."""
    for key in (keys.CATEGORIES, keys.PEOPLE, keys.CERTAINTIES):
        st.session_state[key] = []
    st.session_state[keys.TEXT] = ""


def filters(ds: Dataset, view: View) -> None:
    """Category, people, certainty and text filters in one row, folded away until used (their values,
    already repaired by ``state.read_view``, are the view's)."""
    lang = view.lang
    categories = sorted(ds.category_values, key=lambda c: t(c, lang))
    certainties = [c for c in ("confirmed", "reported", "approximate") if c in ds.certainty_values]
    active = view.filters.active
    label = t("Filters", lang) + (" ●" if active else "")
    with st.expander(label, expanded=active, icon=":material/filter_alt:"):
        category_col, people_col, certainty_col, text_col = st.columns([3, 3, 4, 3], vertical_alignment="bottom")
        category_col.multiselect(
            t("Category", lang), categories, key=keys.CATEGORIES, format_func=lambda c: t(c, lang),
            placeholder=t("Any", lang),
        )  # fmt: skip
        people_col.multiselect(
            t("People", lang), query.people_by_frequency(ds), key=keys.PEOPLE, placeholder=t("Any", lang)
        )
        certainty_col.pills(
            t("Certainty", lang), certainties, selection_mode="multi", key=keys.CERTAINTIES,
            format_func=lambda c: t(c, lang),
        )  # fmt: skip
        text_col.text_input(
            t("Search", lang),
            key=keys.TEXT,
            placeholder=t("Words in titles, descriptions and quotes", lang),
            max_chars=urls.MAX_PARAM_CHARS,
            icon=":material/search:",
        )


def hidden_note(hidden: int, total: int, lang: str) -> None:
    """Say how many events the filters hide, with a way back."""
    if not hidden:
        return
    note_col, button_col = st.columns([4, 1], vertical_alignment="center")
    note_col.caption(
        t("{hidden} of {total} events up to this day hidden by the filters.", lang, hidden=hidden, total=total)
    )
    button_col.button(t("Clear filters", lang), on_click=clear_filters, icon=":material/filter_alt_off:")


def _toggle_play(first: int, last: int) -> None:
    playing = not st.session_state.get(keys.PLAYING, False)
    if playing and int(st.session_state.get(keys.DAY, last)) >= last:
        st.session_state[keys.DAY] = first  # play from the start once the end is reached
    st.session_state[keys.PLAYING] = playing
    st.session_state[keys.LAST_TICK] = time.monotonic()


def _advance(last: int) -> None:
    """One step of play: the next day, stopping on the last."""
    day = int(st.session_state.get(keys.DAY, last))
    if day < last:
        st.session_state[keys.DAY] = day + 1
    if day + 1 >= last:
        st.session_state[keys.PLAYING] = False


def player(first: int, last: int, lang: str) -> bool:
    """Play / pause and speed. While playing, a timed fragment moves the day on and reruns the page;
    the button (or the P key) pauses at any moment. Returns whether it is playing."""
    playing = bool(st.session_state.get(keys.PLAYING, False)) and first < last
    button_col, speed_col = st.columns([1, 1], vertical_alignment="bottom")
    button_col.button(
        t("Pause", lang) if playing else t("Play", lang),
        key=keys.PLAY_BUTTON,
        icon=":material/pause:" if playing else ":material/play_arrow:",
        type="primary" if playing else "secondary",
        on_click=_toggle_play,
        args=(first, last),
        shortcut=PLAY_SHORTCUT,
        help=t("Play the trip day by day from the chosen day; press again (or the P key) to pause.", lang),
        disabled=first == last,
    )
    if st.session_state.get(keys.SPEED) not in SPEEDS:
        st.session_state[keys.SPEED] = "Normal"
    speed = speed_col.selectbox(t("Speed", lang), list(SPEEDS), key=keys.SPEED, format_func=lambda s: t(s, lang))
    if playing:
        seconds = SPEEDS[str(speed)]
        _ticker(seconds, last)
    return playing


def _ticker(seconds: float, last: int) -> None:
    @st.fragment(run_every=seconds)
    def tick() -> None:
        now = time.monotonic()
        # The run that draws the page also runs the fragment once: only a timed run moves the day.
        if now - float(st.session_state.get(keys.LAST_TICK, 0.0)) < seconds * 0.9:
            return
        st.session_state[keys.LAST_TICK] = now
        if st.session_state.get(keys.PLAYING):
            _advance(last)
        st.rerun(scope="app")

    tick()
