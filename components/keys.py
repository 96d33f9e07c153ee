"""Every session-state key of the page, named once.

Widgets keep their values in session state under these keys; the page's own bookkeeping lives under the
keys that start with an underscore. URL parameter names are another thing and live in ``urls``: a widget
key never doubles as a parameter name, so either can change without the other.
"""

from __future__ import annotations

# Widgets: Streamlit binds each to the session-state slot of its key.
YEARS = "years_pills"
DAY = "day_slider"
PLACE = "place_select"
LANG = "lang_select"
CATEGORIES = "category_filter"
PEOPLE = "people_filter"
CERTAINTIES = "certainty_filter"
TEXT = "text_filter"
SPEED = "speed_select"
PLAY_BUTTON = "play_button"
PLACE_PAGE = "place_page"
TABLE = "events_table"
TIMELINE = "timeline"
MAP = "summit_map"

# The page's bookkeeping.
EVENT = "_event"  # the event opened in the place panel (no widget: chosen by links, the table, the timeline)
PLAYING = "_playing"
LAST_TICK = "_last_tick"
URL_LOADED = "_url_loaded"
URL_LAST = "_url_last"
URL_WARNINGS = "_url_warnings"
LAST_MAP_CLICK = "_last_map_click"
LAST_TABLE_ROWS = "_table_rows_seen"
TABLE_EVENT_IDS = "_table_event_ids"
LAST_TIMELINE_PICK = "_timeline_pick_seen"
REVEAL_PLACE = "_reveal_place"  # a number, new for every request, while the page has one to make
REVEALS = "_reveals"
MAP_FIRST_RUNS = "_map_first_runs"
MAP_DRAWN = "_map_drawn"
FIRST_RUN_DONE = "_first_run_done"

FILTERS = (CATEGORIES, PEOPLE, CERTAINTIES, TEXT)
