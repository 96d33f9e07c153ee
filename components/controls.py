"""The page's controls beyond years and day: language, filters, and play/pause.

Small Streamlit panels; every value lives in session state under the keys in ``components.state``
so the URL can carry it.
"""

from __future__ import annotations

import time

import streamlit as st

from components import state
from components.dataset import query
from components.dataset.model import Dataset
from components.i18n import LANGUAGE_NAMES, t

PLAYING_KEY = "_playing"
SPEED_KEY = "speed"
LAST_TICK_KEY = "_last_tick"
# Seconds per trip day: slow enough to read the day's heading, fast enough to watch a trip go by.
SPEEDS = {"Slow": 3.0, "Normal": 1.5, "Fast": 0.75}
PLAY_SHORTCUT = "p"


def language(lang_default: str = "en") -> str:
    """The language switch; returns the chosen code."""
    if st.session_state.get(state.LANG_KEY) not in LANGUAGE_NAMES:
        st.session_state[state.LANG_KEY] = lang_default
    return str(
        st.selectbox(
            "Language · Язык · 언어",
            list(LANGUAGE_NAMES),
            key=state.LANG_KEY,
            format_func=LANGUAGE_NAMES.__getitem__,
        )
    )


def clear_filters() -> None:
    """Callback of "Clear filters"."""
    for key in (state.CATEGORY_KEY, state.PEOPLE_KEY, state.CERTAINTY_KEY):
        st.session_state[key] = []
    st.session_state[state.TEXT_KEY] = ""


def filters(ds: Dataset, lang: str, active: bool) -> query.Filters:
    """Category, people, certainty and text filters in one row, folded away until used; returns what
    they select."""
    categories = sorted(ds.category_values, key=lambda c: t(c, lang))
    certainties = [c for c in ("confirmed", "reported", "approximate") if c in ds.certainty_values]
    people = query.people_by_frequency(ds)
    for key, known in (
        (state.CATEGORY_KEY, categories),
        (state.PEOPLE_KEY, people),
        (state.CERTAINTY_KEY, certainties),
    ):
        chosen = st.session_state.get(key) or []
        allowed = set(known) if chosen else set()
        kept = [value for value in chosen if value in allowed]
        st.session_state[key] = kept
    label = t("Filters", lang) + (" ●" if active else "")
    with st.expander(label, expanded=active, icon=":material/filter_alt:"):
        category_col, people_col, certainty_col, text_col = st.columns([3, 3, 4, 3], vertical_alignment="bottom")
        category_col.multiselect(
            t("Category", lang),
            categories,
            key=state.CATEGORY_KEY,
            format_func=lambda c: t(c, lang),
            placeholder=t("Any", lang),
        )
        people_col.multiselect(t("People", lang), people, key=state.PEOPLE_KEY, placeholder=t("Any", lang))
        certainty_col.pills(
            t("Certainty", lang),
            certainties,
            selection_mode="multi",
            key=state.CERTAINTY_KEY,
            format_func=lambda c: t(c, lang),
        )
        text_col.text_input(
            t("Search", lang),
            key=state.TEXT_KEY,
            placeholder=t("Words in titles, descriptions and quotes", lang),
            max_chars=state.MAX_PARAM_CHARS,
            icon=":material/search:",
        )
    return state.filters_from(st.session_state)


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
    playing = not st.session_state.get(PLAYING_KEY, False)
    if playing and int(st.session_state.get(state.DAY_KEY, last)) >= last:
        st.session_state[state.DAY_KEY] = first  # play from the start once the end is reached
    st.session_state[PLAYING_KEY] = playing
    st.session_state[LAST_TICK_KEY] = time.monotonic()


def _advance(last: int) -> None:
    """One step of play: the next day, stopping on the last."""
    day = int(st.session_state.get(state.DAY_KEY, last))
    if day < last:
        st.session_state[state.DAY_KEY] = day + 1
    if day + 1 >= last:
        st.session_state[PLAYING_KEY] = False


def player(first: int, last: int, lang: str) -> bool:
    """Play / pause and speed. While playing, a timed fragment moves the day on and reruns the page;
    the button (or the P key) pauses at any moment. Returns whether it is playing."""
    playing = bool(st.session_state.get(PLAYING_KEY, False)) and first < last
    button_col, speed_col = st.columns([1, 1], vertical_alignment="bottom")
    button_col.button(
        t("Pause", lang) if playing else t("Play", lang),
        key="play_button",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        type="primary" if playing else "secondary",
        on_click=_toggle_play,
        args=(first, last),
        shortcut=PLAY_SHORTCUT,
        help=t("Play the trip day by day from the chosen day; press again (or the P key) to pause.", lang),
        disabled=first == last,
    )
    if st.session_state.get(SPEED_KEY) not in SPEEDS:
        st.session_state[SPEED_KEY] = "Normal"
    speed = speed_col.selectbox(t("Speed", lang), list(SPEEDS), key=SPEED_KEY, format_func=lambda s: t(s, lang))
    if playing:
        seconds = SPEEDS[str(speed)]
        _ticker(seconds, last)
    return playing


def _ticker(seconds: float, last: int) -> None:
    @st.fragment(run_every=seconds)
    def tick() -> None:
        now = time.monotonic()
        # The run that draws the page also runs the fragment once: only a timed run moves the day.
        if now - float(st.session_state.get(LAST_TICK_KEY, 0.0)) < seconds * 0.9:
            return
        st.session_state[LAST_TICK_KEY] = now
        if st.session_state.get(PLAYING_KEY):
            _advance(last)
        st.rerun(scope="app")

    tick()
