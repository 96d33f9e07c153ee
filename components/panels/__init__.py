"""The page's sections, small and fed plain values: the day, the place, the table, the overview, the notes.

Dataset text is never trusted as Markdown: every value goes through ``md`` so that a bracket, an
asterisk, a dollar sign or an HTML tag in a description shows as typed.
"""

from __future__ import annotations

from components.panels.day import DAY_PANEL_MAX_EVENTS, DAY_PANEL_MAX_SECTIONS, _event_time, day_panel
from components.panels.notes import dataset_error, warnings
from components.panels.overview import (
    ABOUT_MAX_TRIPS,
    RAIL_KM_HELP,
    about,
    compare,
    figures,
    timeline,
    train_lines,
    train_positions,
)
from components.panels.place import page_url, place_details, place_panel, sources_block
from components.panels.table import downloads, events_frame, events_table
from components.panels.text import badge, md, safe_link

__all__ = [
    "ABOUT_MAX_TRIPS",
    "DAY_PANEL_MAX_EVENTS",
    "DAY_PANEL_MAX_SECTIONS",
    "RAIL_KM_HELP",
    "_event_time",
    "about",
    "badge",
    "compare",
    "dataset_error",
    "day_panel",
    "downloads",
    "events_frame",
    "events_table",
    "figures",
    "md",
    "page_url",
    "place_details",
    "place_panel",
    "safe_link",
    "sources_block",
    "timeline",
    "train_lines",
    "train_positions",
    "warnings",
]
