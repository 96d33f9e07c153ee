"""The interface in the reader's language, from one catalog file per language in ``locales/``.

A catalog is JSON a translator can edit without reading Python: ``labels`` maps each English text to its
translation (a missing one falls back to English), ``plurals`` gives a count's forms by the language's
plural rule, ``dates`` its month and weekday names and date patterns. Adding a language is adding a
catalog (and, for place names, a ``name_<lang>`` column in places.csv). Event titles, descriptions and
quotes stay as the dataset has them. Pure: no Streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from components.dataset.model import Dataset


@cache
def _catalogs() -> dict[str, dict[str, Any]]:
    folder = resources.files(__package__).joinpath("locales")
    found = [json.loads(item.read_text(encoding="utf-8")) for item in folder.iterdir() if item.name.endswith(".json")]
    return {catalog["language"]: catalog for catalog in sorted(found, key=lambda c: c["order"])}


LANGUAGES: tuple[str, ...] = tuple(_catalogs())
LANGUAGE_NAMES: dict[str, str] = {lang: catalog["name"] for lang, catalog in _catalogs().items()}


def _plural_en(n: int) -> str:
    return "one" if n == 1 else "other"


def _plural_ru(n: int) -> str:
    """CLDR's rule for Russian integers: 1, 21, 31 … one; 2–4, 22–24 … few; the rest many."""
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def _plural_none(n: int) -> str:
    return "other"


PLURAL_RULES: dict[str, Callable[[int], str]] = {"en": _plural_en, "ru": _plural_ru, "ko": _plural_none}


def _catalog(lang: str) -> dict[str, Any]:
    return _catalogs().get(lang) or _catalogs()["en"]


def t(text: str, lang: str = "en", **fields: object) -> str:
    """The label in the chosen language (English when there is no translation), fields filled in."""
    chosen = _catalog(lang)["labels"].get(text, text) if lang != "en" else _catalogs()["en"]["labels"].get(text, text)
    return chosen.format(**fields) if fields else chosen


def count(n: int, noun: str, lang: str = "en") -> str:
    """'1 event', '3 events'; '21 событие', '3 события'; '사건 3건': the noun's form for the count."""
    catalog = _catalog(lang)
    forms = catalog["plurals"].get(noun) or _catalogs()["en"]["plurals"][noun]
    form = PLURAL_RULES.get(catalog["plural"], _plural_en)(n)
    return str(forms.get(form) or forms.get("other") or next(iter(forms.values()))).format(n=f"{n:,}")


def known_labels(lang: str) -> set[str]:
    """Every English label the catalog of a language translates (for tests)."""
    return set(_catalog(lang)["labels"])


def day_label(when: date, lang: str = "en", weekday: bool = True) -> str:
    """A date as readers of the language write it: 'Thu 25 Apr 2019', 'чт 25 апр 2019', '2019년 4월 25일 (목)'."""
    dates = _catalog(lang)["dates"]
    text = dates["date"].format(day=when.day, month=dates["months"][when.month - 1], year=when.year)
    if not weekday:
        return str(text)
    return str(dates["with_weekday"].format(weekday=dates["weekdays"][when.weekday()], date=text))


def name_column(lang: str) -> str:
    """The places.csv column that holds place names in a language (English: ``name``)."""
    return "name" if lang == "en" else f"name_{lang}"


def other_name_columns(lang: str) -> list[str]:
    """The name columns of the other languages than the reader's, in catalog order ('name' for English)."""
    return [name_column(other) if other != "en" else "name_en" for other in LANGUAGES if other != lang]


def country(code: str, lang: str = "en") -> str:
    """A country's name from its ISO code ('RU' -> 'Russia', 'Россия', '러시아')."""
    return t(f"country:{code}", lang) if f"country:{code}" in _catalog(lang)["labels"] else code


def localize(ds: Dataset, lang: str) -> Dataset:
    """The dataset with place names and leaders in the language (English where none is recorded); every
    language's place name stays in its own column, English in ``name_en``."""
    if lang == "en":
        return ds
    places = ds.places.copy()
    places["name_en"] = places["name"]
    column = name_column(lang)
    if lang != "en" and column in places:
        places["name"] = places[column].where(places[column].fillna("").str.strip() != "", places["name"])
    # The leaders, as the language writes them (the catalogs hold each leader the dataset names).
    trips = ds.trips.assign(leader=ds.trips["leader"].map(lambda name: t(str(name), lang)))
    return replace(ds, places=places, trips=trips)
