"""The analyst's toolkit under AppTest: a shared link reproduces the view, ?event= opens an event,
filters narrow every part of the page together, play steps and stops, the trips compare, languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import controls, i18n, keys
from components.dataset import load_dataset, query
from tests.app.test_app import _app, _markdown, _metrics
from tests.conftest import REPO

FEFU_TALKS = "2019-04-25-putin-greets-kim-at-fefu-one-on-one-talk"


def _table(at: AppTest) -> list[str]:
    return list(at.dataframe[-1].value["event_id"])


def test_a_shared_link_reproduces_the_view(monkeypatch: pytest.MonkeyPatch) -> None:
    link = {
        "years": "2019",
        "day": "1",
        "place": "fefu_russky",
        "cat": "talks,gift",
        "who": "Vladimir Putin",
        "sure": "confirmed",
        "q": "Putin",
        "lang": "ru",
    }
    at = _app(monkeypatch, **link)
    assert not at.exception
    assert not at.warning
    assert at.pills(key=keys.YEARS).value == [2019]
    assert at.select_slider(key=keys.DAY).value == 1
    assert at.selectbox(key=keys.PLACE).value == "fefu_russky"
    assert at.multiselect(key=keys.CATEGORIES).value == ["talks", "gift"]
    assert at.multiselect(key=keys.PEOPLE).value == ["Vladimir Putin"]
    assert at.pills(key=keys.CERTAINTIES).value == ["confirmed"]
    assert at.text_input(key=keys.TEXT).value == "Putin"
    assert at.selectbox(key=keys.LANG).value == "ru"
    assert {key: at.query_params[key] for key in at.query_params} == link, "the page writes back the same link"
    assert at.selectbox(key=keys.PLACE).label == "Место"
    assert at.dataframe[-1].value["category"].isin([i18n.t("talks", "ru"), i18n.t("gift", "ru")]).all(), (
        "the table's values in the reader's language"
    )


def test_an_event_link_opens_that_event(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, event=FEFU_TALKS)
    event = query.event_row(load_dataset(REPO / "data"), FEFU_TALKS)
    assert not at.exception
    assert not at.warning
    assert at.pills(key=keys.YEARS).value == [2019]
    assert at.select_slider(key=keys.DAY).value == int(event["slider_day"])
    assert at.selectbox(key=keys.PLACE).value == "fefu_russky"
    opened = [e for e in at.expander if event["title"].split(";")[0] in e.label]
    assert opened
    assert opened[0].proto.expanded
    assert at.query_params["event"] == FEFU_TALKS
    link = [c.value for c in at.code if f"?event={FEFU_TALKS}" in c.value]
    assert link, "the event offers a link to itself"
    cite = [c.value for c in at.code if f"event id {FEFU_TALKS}" in c.value]
    assert cite
    assert "TASS" in cite[0]


def test_filters_narrow_table_figures_and_say_what_is_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019")
    before = _metrics(at)
    all_rows = _table(at)
    at.multiselect(key=keys.CATEGORIES).set_value(["gift", "talks"]).run()
    after = _metrics(at)
    rows = _table(at)
    ds = load_dataset(REPO / "data")
    gifts = query.events_until(query.filtered(ds, query.Filters(categories=("gift", "talks"))), ["kju-2019"], 3)
    assert rows == gifts["event_id"].tolist()
    assert 0 < len(rows) < len(all_rows)
    assert int(after["Events"]) == len(rows) < int(before["Events"])
    assert after["Rail km travelled"] == before["Rail km travelled"]
    hidden = len(all_rows) - len(rows)
    assert any(f"{hidden} of {len(all_rows)} events" in c.value for c in at.caption)
    at.text_input(key=keys.TEXT).set_value("shashka").run()
    assert 0 < len(_table(at)) < len(rows)
    at.button[[b.label for b in at.button].index("Clear filters")].click().run()
    assert _table(at) == all_rows
    assert at.multiselect(key=keys.CATEGORIES).value == []


def test_play_steps_a_day_and_stops_on_the_last(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019", day="2")
    at.button(key=keys.PLAY_BUTTON).click().run()
    assert at.session_state[keys.PLAYING] is True
    assert at.button(key=keys.PLAY_BUTTON).label == "Pause"
    assert at.query_params["day"] == "2", "no history entry per played day"
    at.button(key=keys.PLAY_BUTTON).click().run()
    assert at.session_state[keys.PLAYING] is False
    assert at.select_slider(key=keys.DAY).value == 2, "pause keeps the day"


def test_advance_moves_one_day_and_stops_at_the_end() -> None:
    session: dict[str, object] = {keys.DAY: 2, keys.PLAYING: True}
    monkey = pytest.MonkeyPatch()
    monkey.setattr(controls.st, "session_state", session)
    try:
        controls._advance(3)
        assert session[keys.DAY] == 3
        assert session[keys.PLAYING] is False
        controls._advance(3)
        assert session[keys.DAY] == 3
    finally:
        monkey.undo()


def test_two_trips_are_compared_under_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019,2023")
    assert "## Compare the trips day by day" in _markdown(at)
    totals = at.dataframe[0].value
    assert list(totals["Trip"]) == ["2019 · Kim Jong Un", "2023 · Kim Jong Un"]
    at.pills(key=keys.YEARS).set_value([2019]).run()
    assert "## Compare the trips day by day" not in _markdown(at)


def test_korean_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019", place="khasan_station", lang="ko")
    assert not at.exception
    assert "## 하산역" in _markdown(at)
    assert at.selectbox(key=keys.PLACE).label == "장소"
    assert list(_metrics(at))[:3] == ["일수", "장소", "사건"]


def test_downloads_offer_the_selection_and_the_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(monkeypatch, years="2019", day="1")
    buttons = at.get("download_button")
    labels = [button.proto.label for button in buttons]
    assert labels == [
        "Events (CSV)", "Events (GeoJSON)", "Route (GeoJSON)", "Map (HTML, opens offline)", "Whole dataset (zip)",
    ]  # fmt: skip
