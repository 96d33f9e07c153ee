"""The page under streamlit.testing.v1.AppTest: widgets drive the lists and figures; a simulated map click
fills the details panel. The map itself is an unknown element here; real clicks are proved in tests/browser."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.generate import generate
from components import keys
from components.dataset import load_dataset, query
from components.panels import ABOUT_MAX_TRIPS, DAY_PANEL_MAX_EVENTS, DAY_PANEL_MAX_SECTIONS, md
from tests.conftest import EVENTS, REPO, DatasetFactory

APP = str(REPO / "app.py")


def _app(monkeypatch: pytest.MonkeyPatch, data_dir: Path | None = None, **params: str) -> AppTest:
    if data_dir is not None:
        monkeypatch.setenv("SUMMIT_MAP_DATA", str(data_dir))
    else:
        monkeypatch.delenv("SUMMIT_MAP_DATA", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def _markdown(at: AppTest) -> str:
    return "\n".join(str(element.value) for element in at.markdown)


def _click(at: AppTest, place_id: str, count: int) -> AppTest:
    """What the map sends when a marker is clicked: streamlit-folium's tooltip and click counter, and the
    place's id that summit_map.js adds."""
    at.session_state[keys.MAP] = {
        "last_object_clicked_tooltip": "Some name<br>In Russian<br>2 events",
        "last_object_clicked_count": count,
        "place": place_id,
    }
    return at.run()


def test_page_renders_without_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Summit Map"
    assert list(_metrics(at)) == ["Days", "Places", "Events", "Rail km travelled"]
    assert not at.error


def test_a_first_visit_opens_on_the_latest_summit_meeting(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch)
    ds = load_dataset(REPO / "data")
    opening = query.event_row(ds, query.opening_event(ds))
    assert opening is not None
    assert opening["category"] == "summit"
    assert opening["trip_id"] == ds.trips["trip_id"].iloc[-1]
    assert at.pills(key=keys.YEARS).value == [int(opening["year"])]
    assert at.select_slider(key=keys.DAY).value == int(opening["slider_day"])
    assert at.selectbox(key=keys.PLACE).value == opening["place_id"]
    assert at.session_state[keys.EVENT] == opening["event_id"]
    opened = [e for e in at.expander if e.proto.expanded]
    assert any(str(opening["title"])[:30].replace("-", "\\-") in e.label for e in opened), [e.label for e in opened]
    # The address says so: a shared link opens the same view.
    assert at.query_params["event"] == opening["event_id"]


def test_a_link_with_every_year_shows_every_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2002,2019,2023")
    assert at.pills(key=keys.YEARS).value == [2002, 2019, 2023]
    assert at.selectbox(key=keys.PLACE).value is None


def test_every_summit_year_can_be_chosen_alone_and_all_together(monkeypatch: pytest.MonkeyPatch) -> None:
    ds = load_dataset(REPO / "data")
    years = sorted(int(year) for year in ds.trips["year"].unique())
    assert len(years) >= 8, "every leader meeting since 2000"
    at = _app(monkeypatch, years=str(years[-1]))
    assert [int(option) for option in at.pills(key=keys.YEARS).options] == years
    for year in years:
        at.pills(key=keys.YEARS).set_value([year]).run()
        assert not at.exception, year
        assert not at.error, year
        table = at.dataframe[-1].value
        assert set(table["year"]) == {year}, year
        trip = ds.trips.loc[ds.trips["year"] == year].iloc[0]
        # One trip: the slider runs over its dates; its last day counts all its events.
        assert at.select_slider(key=keys.DAY).label == "Date", year
        last_day = int(ds.events.loc[ds.events["trip_id"] == trip["trip_id"], "slider_day"].max())
        at.select_slider(key=keys.DAY).set_value(last_day).run()
        assert int(_metrics(at)["Events"]) == int((ds.events["trip_id"] == trip["trip_id"]).sum()), year
    at.pills(key=keys.YEARS).set_value(years).run()
    assert not at.exception
    assert at.slider(key=keys.DAY).label.startswith("Day of trip")
    assert set(at.dataframe[-1].value["year"]) == set(years)


def test_year_filter_changes_events_and_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2002,2019,2023")
    everything = _metrics(at)
    rows_all = len(at.dataframe[-1].value)
    at.pills(key=keys.YEARS).set_value([2019]).run()
    only_2019 = _metrics(at)
    assert int(only_2019["Events"]) < int(everything["Events"])
    assert len(at.dataframe[-1].value) == int(only_2019["Events"]) < rows_all
    assert set(at.dataframe[-1].value["year"]) == {2019}
    assert at.select_slider(key=keys.DAY).label == "Date", "one trip: the slider shows dates"
    at.pills(key=keys.YEARS).set_value([2019, 2023]).run()
    assert at.slider(key=keys.DAY).label.startswith("Day of trip")


def test_date_slider_changes_events_and_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2023")
    slider = at.select_slider(key=keys.DAY)
    slider.set_value(1).run()
    day1 = _metrics(at)
    assert "## Wed 13 Sep 2023" in _markdown(at)
    assert "Putin greets Kim" in _markdown(at)
    at.select_slider(key=keys.DAY).set_value(4).run()
    day4 = _metrics(at)
    assert "## Sat 16 Sep 2023" in _markdown(at)
    assert "Shoigu" in _markdown(at)
    assert int(day4["Events"]) > int(day1["Events"])
    assert float(day4["Rail km travelled"].replace(",", "")) > float(day1["Rail km travelled"].replace(",", ""))
    assert len(at.dataframe[-1].value) == int(day4["Events"])


def test_simulated_click_fills_details_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019")
    assert at.selectbox(key=keys.PLACE).value is None
    _click(at, "khasan_station", 1)
    assert at.selectbox(key=keys.PLACE).value == "khasan_station"
    text = _markdown(at)
    assert "## Khasan station" in text
    assert "Хасан" in text
    assert "하산역" in text
    labels = [expander.label for expander in at.expander]
    assert any("Welcome at Khasan station" in label for label in labels), labels
    expected = query.events_at_place(load_dataset(), "khasan_station", ["kju-2019"], day=3)
    place_events = [
        label
        for label in labels
        if not label.startswith(("Before the", "After the", "About this", "Filters", "Where it is"))
    ]
    assert len(place_events) == len(expected) >= 3
    # The story first: the place's coordinates and their source fold up after its events.
    where = labels.index("Where it is: coordinates and source")
    assert where > max(labels.index(label) for label in place_events)
    place = load_dataset().places_by_id.loc["khasan_station"]
    assert f"{place['lat']:.4f}, {place['lon']:.4f}" in str(at.expander[where].caption[0].value)
    assert "Korea JoongAng Daily" in text, "sources are listed with their publishers"
    assert "> “" in text, "the evidence quote is shown"


def test_same_marker_twice_still_selects(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019")
    _click(at, "khasan_station", 1)
    at.selectbox(key=keys.PLACE).set_value("fefu_russky").run()
    assert "## Far Eastern Federal University" in _markdown(at)
    at.run()  # an unrelated rerun must not bring the old click back
    assert at.selectbox(key=keys.PLACE).value == "fefu_russky"
    _click(at, "khasan_station", 2)
    assert at.selectbox(key=keys.PLACE).value == "khasan_station"


def test_click_on_route_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019")
    at.session_state[keys.MAP] = {
        "last_object_clicked_tooltip": "2019 · Vladivostok summit",
        "last_object_clicked_count": 1,
    }
    at.run()
    assert at.selectbox(key=keys.PLACE).value is None
    assert not at.exception


def test_url_selects_years_day_and_place(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2023", day="1", place="vostochny_cosmodrome")
    assert at.pills(key=keys.YEARS).value == [2023]
    assert at.select_slider(key=keys.DAY).value == 1
    assert "## Vostochny Cosmodrome" in _markdown(at)
    assert at.query_params["years"] == "2023"
    assert at.query_params["place"] == "vostochny_cosmodrome"


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"years": "1999,abc"}, "Ignored year '1999'"),
        ({"day": "tomorrow"}, "Ignored day 'tomorrow'"),
        ({"years": "2019", "day": "99"}, "Day 99 in the link is outside"),
        ({"place": "<script>alert(1)</script>"}, "Ignored place '<script>alert(1)</script>'"),
    ],
)
def test_bad_url_parameters_warn_and_fall_back(
    monkeypatch: pytest.MonkeyPatch, params: dict[str, str], warning: str
) -> None:
    at = _app(monkeypatch, **params)
    assert not at.exception
    assert any(warning in w.value for w in at.warning), [w.value for w in at.warning]
    assert len(at.metric) == 4, "the page still draws with defaults"


def test_broken_dataset_shows_problems_not_traceback(
    monkeypatch: pytest.MonkeyPatch, make_dataset: DatasetFactory
) -> None:
    events = copy.deepcopy(EVENTS)
    events[1]["date"] = "someday"
    at = _app(monkeypatch, make_dataset(events=events))
    assert not at.exception
    assert "did not validate" in at.error[0].value
    assert "events.csv:3: date: 'someday' is not a date in YYYY-MM-DD form" in at.code[0].value
    assert not at.metric


def test_hostile_text_is_shown_literally(monkeypatch: pytest.MonkeyPatch, make_dataset: DatasetFactory) -> None:
    events = copy.deepcopy(EVENTS)
    events[2]["title"] = "<img src=x onerror=alert(1)> [link](javascript:alert(1)) $x$"
    at = _app(monkeypatch, make_dataset(events=events), years="2019", day="0", place="vladivostok_station")
    assert not at.exception
    text = _markdown(at)
    assert r"\<img src\=x onerror\=alert\(1\)\> \[link\]\(javascript\:alert\(1\)\) \$x\$" in text
    assert "<img" not in text.replace(r"\<img", "")


def test_pick_no_year_explains(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch)
    at.pills(key=keys.YEARS).set_value([]).run()
    assert not at.exception
    assert "Pick at least one summit year" in at.info[0].value


def test_busy_place_is_paged(monkeypatch: pytest.MonkeyPatch, make_dataset: DatasetFactory) -> None:
    events = copy.deepcopy(EVENTS)
    template = events[2]
    events += [{**template, "event_id": f"extra-{i:03d}", "title": f"Extra event {i:03d}"} for i in range(40)]
    at = _app(monkeypatch, make_dataset(events=events), years="2019", place="vladivostok_station")
    assert not at.exception
    page_input = at.number_input(key=keys.PLACE_PAGE)
    assert "of 2; 43 events" in page_input.label
    assert len([e for e in at.expander if "Extra event" in e.label]) == 23  # 25 on the page, 2 earlier events
    page_input.set_value(2).run()
    assert len([e for e in at.expander if "Extra event" in e.label]) == 17


def test_unwritable_static_folder_falls_back_to_web_scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    import components.offline

    def refuse() -> None:
        raise PermissionError("static/vendor is read-only")

    monkeypatch.setattr(components.offline, "ensure_static_assets", refuse)
    st.cache_resource.clear()  # the copy is cached per server: start as a fresh one
    try:
        at = _app(monkeypatch)
        assert not at.exception
        assert any("could not be prepared for offline use" in w.value for w in at.warning)
        assert len(at.metric) == 4
    finally:
        st.cache_resource.clear()


def _day_headings(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown if str(m.value).startswith("## ")]


def test_day_lists_only_its_own_date_with_a_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run-up and aftermath never sit under a day's heading: they get their own dated sections."""
    ds = load_dataset()
    at = _app(monkeypatch, years="2019", day="3")
    assert "## Sat 27 Apr 2019" in _day_headings(at)
    on_day = ds.events.loc[(ds.events["trip_id"] == "kju-2019") & (ds.events["date"] == "2019-04-27")]
    captions = [str(c.value) for c in at.caption]
    assert any(c.startswith(f"{len(on_day)} event") for c in captions), captions
    day_buttons = [b for b in at.button if b.key and b.key.startswith("day-event-")]
    after = ds.events.loc[(ds.events["trip_id"] == "kju-2019") & (ds.events["date"] > "2019-04-27")]
    before = ds.events.loc[(ds.events["trip_id"] == "kju-2019") & (ds.events["date"] < "2019-04-24")]
    assert len(day_buttons) == len(on_day) + len(after) + len(before)
    labels = [e.label for e in at.expander]
    assert any(label.startswith(f"After the 2019 trip · {len(after)} events") for label in labels), labels
    assert any(label.startswith(f"Before the 2019 trip · {len(before)} events") for label in labels), labels
    at.select_slider(key=keys.DAY).set_value(0).run()
    labels = [e.label for e in at.expander]
    assert not any(label.startswith("After the 2019 trip") for label in labels), "aftermath only on the last day"


def test_day_event_place_button_selects_the_place(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2023", day="1")
    button = next(b for b in at.button if b.key and b.key.startswith("day-event-2023-09-13") and "talks" in b.key)
    button.click().run()
    place = at.selectbox(key=keys.PLACE).value
    assert place is not None
    assert at.query_params["place"] == place
    assert f"## {md(load_dataset().places_by_id.at[place, 'name'])}" in _markdown(at)


def test_no_phantom_place_after_clearing_the_years(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2002,2019,2023")
    at.pills(key=keys.YEARS).set_value([]).run()
    at.pills(key=keys.YEARS).set_value([2019]).run()
    assert not at.exception
    assert at.selectbox(key=keys.PLACE).value is None
    assert not at.info, "no 'No events here' for a place the reader never chose"


def test_link_warning_stays_until_the_reader_acts(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, day="tomorrow")
    at.run()
    at.run()
    assert any("Ignored day 'tomorrow'" in w.value for w in at.warning), "reruns do not drop the warning"
    at.pills(key=keys.YEARS).set_value([2019]).run()
    assert not any("Ignored day" in w.value for w in at.warning)


def test_changed_address_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Back and Forward rerun the page with an older address: the page follows it."""
    at = _app(monkeypatch, years="2019", day="1")
    at.select_slider(key=keys.DAY).set_value(2).run()
    assert at.query_params["day"] == "2"
    at.query_params["day"] = "1"
    at.query_params["place"] = "khasan_station"
    at.run()
    assert at.select_slider(key=keys.DAY).value == 1
    assert at.selectbox(key=keys.PLACE).value == "khasan_station"


def test_a_crowded_day_draws_one_budget_of_events_and_the_about_box_stays_short(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """5,000 generated events: on day 1 one year's trips hold more events and run-up sections than fit;
    the day column draws at most one budget of them in all and says the table has the rest."""
    generate(tmp_path, 5000)
    ds = load_dataset(tmp_path)

    # The year whose trips crowd day 1 with the most run-up sections, among those with more events on the day
    # than fit (the generator copies every shipped trip, long and short).
    def crowd(year: int) -> tuple[bool, int]:
        sections = query.day_sections(ds, query.trip_ids_for_years(ds, [year]), 1)
        on_day = sum(len(events) for _, _, events in sections.on_day)
        return on_day > DAY_PANEL_MAX_EVENTS, len(sections.run_up)

    latest = max((int(year) for year in set(ds.trips["year"])), key=crowd)
    trip_ids = query.trip_ids_for_years(ds, [latest])
    sections = query.day_sections(ds, trip_ids, 1)
    on_day = sum(len(events) for _, _, events in sections.on_day)
    assert on_day > DAY_PANEL_MAX_EVENTS, "the day must hold more than fits, or this test proves nothing"
    assert len(sections.run_up) > DAY_PANEL_MAX_SECTIONS

    at = _app(monkeypatch, tmp_path, years=str(latest), day="1")
    assert not at.exception
    drawn = [button for button in at.button if str(button.key or "").startswith("day-event-")]
    assert len(drawn) == DAY_PANEL_MAX_EVENTS
    captions = [str(caption.value) for caption in at.caption]
    assert any(text.startswith("More on this day than fits here") for text in captions)
    run_up = [box for box in at.expander if str(box.label).startswith(f"Before the {latest} trip")]
    assert len(run_up) == DAY_PANEL_MAX_SECTIONS
    summaries = [text for text in _markdown(at).splitlines() if re.match(r"^\*\*\d{4} · .+ — ", text)]
    assert len(summaries) == ABOUT_MAX_TRIPS, "the About box's trip summaries"
    assert f"…and {len(ds.trips) - ABOUT_MAX_TRIPS:,} more trips" in _markdown(at)
