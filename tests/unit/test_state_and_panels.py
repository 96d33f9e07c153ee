"""URL parameters and the text-safety helpers behind the panels (pure functions, no Streamlit run)."""

from __future__ import annotations

import pytest

from components import export, keys, panels, state, urls
from components.dataset import load_dataset, query
from components.dataset.model import Dataset
from components.map.mapview import click_from_value, take_new_click
from components.view import View, clamp_day
from tests.conftest import DatasetFactory


@pytest.fixture
def ds(make_dataset: DatasetFactory) -> Dataset:
    return load_dataset(make_dataset())


def test_parse_query_accepts_good_parameters(ds: Dataset) -> None:
    view, warnings = urls.parse({"years": "2023", "day": "-1", "place": "vostochny"}, ds)
    assert view == View((2023,), -1, "vostochny")
    assert warnings == []


@pytest.mark.parametrize(
    ("params", "expected", "warning"),
    [
        ({"years": "1999"}, View((2019, 2023)), "Ignored year '1999'"),
        ({"years": ["2019", "2023,x"]}, View((2023,)), "Ignored year 'x'"),
        ({"day": "1.5"}, View((2019, 2023)), "Ignored day '1.5'"),
        ({"years": "2019", "day": "12"}, View((2019,)), "Day 12 in the link is outside"),
        ({"place": "x" * 500}, View((2019, 2023)), "Ignored place 'xxxxxxxx"),
    ],
)
def test_parse_query_warns_and_falls_back(ds: Dataset, params: dict, expected: View, warning: str) -> None:
    view, warnings = urls.parse(params, ds)
    assert view == expected
    assert len(warnings) == 1
    assert warnings[0].startswith(warning)
    assert len(warnings[0]) < 200, "a hostile parameter is shortened in the message"


def test_to_query_round_trips(ds: Dataset) -> None:
    view = View((2019,), 2, "khasan_station")
    params = urls.to_params(view, [2019, 2023])
    assert params == {"years": "2019", "day": "2", "place": "khasan_station"}
    assert urls.parse(params, ds) == (view, [])
    # Years are always written: an address without them opens on the latest summit meeting instead.
    assert urls.to_params(View((2019, 2023)), [2019, 2023]) == {"years": "2019,2023"}
    assert urls.parse({}, ds)[0].event_id == query.opening_event(ds)


def test_clamp_day() -> None:
    assert clamp_day(None, -2, 7) == 7
    assert clamp_day(9, 0, 3) == 3
    assert clamp_day(-5, -2, 7) == -2


def test_widget_keys_never_double_as_url_parameters() -> None:
    names = {value for name, value in vars(keys).items() if name.isupper() and isinstance(value, str)}
    parameters = {value for name, value in vars(urls).items() if name.isupper() and isinstance(value, str)}
    assert names & parameters == set()


def test_read_view_repairs_what_the_widgets_hold_in_one_place(ds: Dataset) -> None:
    session: dict = {
        keys.YEARS: [2019, 1999],
        keys.DAY: 40,
        keys.PLACE: "nowhere",
        keys.EVENT: "e-khasan",
        keys.CATEGORIES: ["gift", "nonsense"],
        keys.PEOPLE: ["Nobody"],
        keys.LANG: "fr",
    }
    view = state.read_view(session, ds)
    first, last = (0, 3)  # the 2019 trip of the fixture
    assert view == View(
        (2019,), last, None, None, query.Filters(("gift",) if "gift" in ds.category_values else ()), "en"
    )
    assert (session[keys.DAY], session[keys.PLACE], session[keys.LANG]) == (last, None, "en")
    assert session[keys.PEOPLE] == []
    assert first <= view.day <= last  # type: ignore[operator]
    untouched = {keys.YEARS: [2019], keys.DAY: 40}
    assert state.read_view(untouched, ds, repair=False).day == last
    assert untouched[keys.DAY] == 40, "a fragment's read leaves the widgets alone"


def test_new_click_is_taken_once() -> None:
    session: dict = {}
    assert take_new_click(session) is None
    session[keys.MAP] = {"last_object_clicked_tooltip": "X", "last_object_clicked_count": 1, "place": "khasan_station"}
    click = take_new_click(session)
    assert click is not None
    assert click.place_id == "khasan_station", "the place id comes as data, not out of the tooltip"
    assert take_new_click(session) is None, "the same click is handled once"
    session[keys.MAP] = {"last_object_clicked_tooltip": "X", "last_object_clicked_count": 2, "place": "khasan_station"}
    assert take_new_click(session).place_id == "khasan_station"  # type: ignore[union-attr]
    session[keys.MAP] = {"last_object_clicked_tooltip": "2019 route", "last_object_clicked_count": 3, "place": None}
    assert take_new_click(session).place_id is None, "a click on a route is no place"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "value", [None, "text", [], {"last_object_clicked_tooltip": None, "last_object_clicked_count": 0}]
)
def test_no_click_in_empty_values(value: object) -> None:
    assert click_from_value(value) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>bold</b>", r"\<b\>bold\</b\>"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("costs $5 and $6", r"costs \$5 and \$6"),
        (":red[alarm]", r"\:red\[alarm\]"),
        ("line\nbreak", "line break"),
        (None, ""),
    ],
)
def test_md_escapes_markdown(text: str | None, expected: str) -> None:
    assert panels.md(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a b(c)", "https://example.com/a%20b%28c%29"),
        ("https://ex.com/?q=1&r=(2)", "https://ex.com/?q=1&r=%282%29"),
        ("javascript:alert(1)", ""),
        ("https://ex.com/путь", "https://ex.com/%D0%BF%D1%83%D1%82%D1%8C"),
    ],
)
def test_safe_link(url: str, expected: str) -> None:
    assert panels.safe_link(url) == expected


def test_events_frame_is_readable_and_spreadsheet_safe(ds: Dataset) -> None:
    frame = panels.events_frame(ds, ds.events)
    assert list(frame.columns[:6]) == ["date", "time", "year", "place", "category", "title"]
    assert frame.loc[frame["event_id"] == "e-glove", "sources"].item() == "Unknown; The Moscow Times"
    assert export._spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export._spreadsheet_safe("plain") == "plain"


@pytest.mark.parametrize(
    ("time", "note", "shown"),
    [
        ("10:30", "", "10:30"),
        ("10:00", "about: Hankook Ilbo", "c. 10:00"),
        ("18:00", "planned: due at Khasan about 18:00", "18:00 (planned)"),
        ("15:27", "range 15:27–15:30: two agencies", "15:27–15:30"),
        ("", "about", ""),
    ],
)
def test_event_time_says_how_sure_it_is(time: str, note: str, shown: str) -> None:
    import pandas as pd

    assert panels._event_time(pd.Series({"time": time, "time_note": note})) == shown


@pytest.mark.parametrize(("lang", "shown"), [("en", "early morning"), ("ru", "рано утром"), ("ko", "새벽")])
def test_a_part_of_the_day_is_said_in_words(lang: str, shown: str) -> None:
    import pandas as pd

    event = pd.Series({"time": "", "part_of_day": "early morning", "time_note": "KCNA: 'early on Monday'"})
    assert panels._event_time(event, lang) == shown


def test_a_row_picked_in_the_table_opens_its_event(ds: Dataset) -> None:
    class Table:
        class selection:  # noqa: N801  (the shape st.dataframe's value has)
            rows = (1,)

    session: dict = {keys.TABLE: Table(), keys.TABLE_EVENT_IDS: ["e-announce", "e-summit"], keys.YEARS: [2023]}
    assert state.take_table_choice(session, ds) is True
    event = query.event_row(ds, "e-summit")
    assert session[keys.DAY] == int(event["slider_day"]), "the day moves to the event"
    assert (session[keys.PLACE], session[keys.EVENT]) == (event["place_id"], "e-summit")
    assert 2019 in session[keys.YEARS]
    assert state.take_table_choice(session, ds) is False, "the same pick is taken once"
