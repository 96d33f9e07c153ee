"""What the reader is looking at, as one typed, hashable value.

A ``View`` is read from the widgets (and the URL) once a run, repaired in one place (``state.read_view``),
written to the URL once, and passed down. It is also the key every cached step of the page hangs on: a new
filter or language changes this type, not the signature of every cached function. Pure: no Streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from components.dataset import query
from components.dataset.model import Dataset

# A link without years shows every year of a small dataset (the summits), the latest of a large one,
# where every trip at once would be an unreadable map.
MAX_DEFAULT_YEARS = 6


@dataclass(frozen=True)
class View:
    """Summit years, a trip day (None: whole trips), a place, an event, the filters and the language."""

    years: tuple[int, ...]
    day: int | None = None
    place_id: str | None = None
    event_id: str | None = None
    filters: query.Filters = field(default_factory=query.Filters)
    lang: str = "en"

    def content(self) -> View:
        """The part of the view that decides what data is shown, not when or where the reader looks:
        the key of the cached steps that do not move with the day or the place (timeline, comparison)."""
        return View(self.years, filters=self.filters, lang=self.lang)

    def at(self, day: int | None = None, place_id: str | None = None) -> View:
        """The view with another day and place (and no event): the key of the map's layers."""
        return replace(self, day=day, place_id=place_id, event_id=None)


def default_years(all_years: Sequence[int]) -> tuple[int, ...]:
    """The years a view without any shows."""
    years = tuple(all_years)
    return years if len(years) <= MAX_DEFAULT_YEARS else years[-1:]


def all_years(ds: Dataset) -> tuple[int, ...]:
    """Every summit year of the dataset, in order."""
    return tuple(int(year) for year in ds.trips["year"].drop_duplicates())


def trip_ids(ds: Dataset, view: View) -> list[str]:
    """The view's trips, in chronological order."""
    return query.trip_ids_for_years(ds, view.years)


def clamp_day(day: int | None, first: int, last: int) -> int:
    """Keep a remembered day inside the selected trips' range (the last day when there is none)."""
    if day is None:
        return last
    return max(first, min(last, day))
