"""The dashboard in Debian's Chromium with no internet: markers, routes, clicks, slider, filter."""

from __future__ import annotations

from functools import cache

import pytest

from components.dataset import Dataset, load_dataset, query
from components.state import clamp_day
from tests.browser.conftest import ARTIFACTS, OfflinePage

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@cache
def dataset() -> Dataset:
    return load_dataset()


def expected_places(years: list[int], day: int | None = None) -> set[str]:
    """Places the map must show for a selection; the default day is the last one."""
    ds = dataset()
    trip_ids = query.trip_ids_for_years(ds, years)
    first, last = query.day_range(ds, trip_ids)
    events = query.events_until(ds, trip_ids, clamp_day(day, first, last))
    return set(query.places_of(ds, events)["place_id"])


def expected_route_pieces(trip_id: str, day: int) -> tuple[int, int]:
    """How many solid and dashed route lines the map must draw for a trip on a day (one-point cuts are not drawn)."""
    progress = query.route_progress(dataset(), trip_id, day)
    return (
        sum(len(points) > 1 for points in progress.travelled),
        sum(len(points) > 1 for points in progress.ahead),
    )


def _expect():  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    return expect


def _open(offline: OfflinePage, app_url: str, query_string: str = "") -> object:
    page = offline.page
    page.goto(f"{app_url}/{query_string}")  # type: ignore[attr-defined]
    frame = page.frame_locator(MAP_FRAME)  # type: ignore[attr-defined]
    _expect()(frame.locator("path.summit-place").first).to_be_attached()
    return frame


def _marker_ids(offline: OfflinePage) -> set[str]:
    frame = next(f for f in offline.page.frames if "streamlit_folium" in f.url)  # type: ignore[attr-defined]
    classes = frame.eval_on_selector_all("path.summit-place", "els => els.map(e => e.getAttribute('class'))")
    return {next(c.removeprefix("place-") for c in cls.split() if c.startswith("place-")) for cls in classes}


def _leaflet(offline: OfflinePage, script: str) -> object:
    frame = next(f for f in offline.page.frames if "streamlit_folium" in f.url)  # type: ignore[attr-defined]
    return frame.evaluate(script)


def test_offline_map_shows_every_marker_and_route(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url)
    expected = expected_places([2002, 2019, 2023])
    _expect()(frame.locator("path.summit-place")).to_have_count(len(expected))
    assert _marker_ids(offline_page) == expected
    legs = len(dataset().legs)
    _expect()(frame.locator("path.route-done")).to_have_count(legs)
    _expect()(frame.locator("path.place-vladivostok_station")).to_be_visible()
    _expect()(frame.locator("path.route-done.trip-kju-2023").nth(3)).to_be_visible()
    _expect()(frame.locator(".summit-legend")).to_contain_text("2023 · Kim Jong Un")
    # The basemap's land is drawn: Natural Earth polygons, no tiles.
    assert frame.locator("path[fill='#f3efe6']").count() >= 6
    assert _leaflet(offline_page, "L.Icon.Default.imagePath") == "/app/static/vendor/leaflet/images/"
    labels = [label.strip() for label in frame.locator(".leaflet-control-layers label").all_inner_texts()]
    assert labels == ["Natural Earth (offline)", "OpenStreetMap (online)", "Routes", "Places", "Train"]
    assert frame.locator(".leaflet-control-layers-base input").first.is_checked(), "offline basemap by default"
    assert offline_page.external == [], f"requests left loopback: {offline_page.external[:5]}"
    offline_page.page.screenshot(path=str(ARTIFACTS / "summit-map-offline.png"), full_page=True)  # type: ignore[attr-defined]


def _click_place(offline: OfflinePage, frame: object, place_id: str) -> None:
    """Zoom onto the place (neighbours within metres overlap at region scale), then really click it."""
    place = dataset().places_by_id.loc[place_id]
    _leaflet(offline, f"window.map.setView([{place['lat']}, {place['lon']}], 16, {{animate: false}})")
    frame.locator(f"path.place-{place_id}").click()  # type: ignore[attr-defined]


def test_clicking_markers_fills_details_panel(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url)
    page = offline_page.page
    expect = _expect()
    for place_id, name, event_title, publisher in [
        ("khasan_station", "Khasan station", "Welcome at Khasan station", "Korea JoongAng Daily"),
        ("vostochny_cosmodrome", "Vostochny Cosmodrome", "Putin greets Kim at Vostochny", "JFeed"),
        ("khasan_station", "Khasan station", "Welcome at Khasan station", "Korea JoongAng Daily"),
    ]:
        _click_place(offline_page, frame, place_id)
        heading = page.get_by_role("heading", name=name, exact=False)  # type: ignore[attr-defined]
        expect(heading).to_be_visible()
        entry = page.locator('[data-testid="stExpander"]', has_text=event_title).first  # type: ignore[attr-defined]
        expect(entry).to_be_visible()
        if not entry.locator("details").get_attribute("open"):
            entry.locator("summary").click()  # open the event to show its sources
        expect(entry.get_by_text(publisher, exact=False).first).to_be_visible()
        expect(entry.locator("blockquote")).to_be_visible()  # the evidence quote
        assert f"place={place_id}" in page.url  # type: ignore[attr-defined]
    assert offline_page.external == []


def test_slider_moves_the_train_but_not_the_map(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2023")
    page = offline_page.page
    expect = _expect()
    done, ahead = expected_route_pieces("kju-2023", 7)
    expect(frame.locator("path.route-done")).to_have_count(done)
    expect(frame.locator("path.route-ahead")).to_have_count(ahead)
    assert ahead == 0, "last day: the whole route travelled"
    _leaflet(offline_page, "window.map.setView([44.5, 132.5], 7, {animate: false})")
    before = _leaflet(offline_page, "[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    slider = page.get_by_role("slider")  # type: ignore[attr-defined]
    slider.focus()
    slider.press("Home")  # 10 September: still in Pyongyang
    expect(page.get_by_text("On Sun 10 Sep 2023")).to_be_visible()  # type: ignore[attr-defined]
    done, ahead = expected_route_pieces("kju-2023", -2)
    assert (done, ahead) == (1, len(dataset().legs.query("trip_id == 'kju-2023'"))), "a third of the way to the border"
    expect(frame.locator("path.route-done")).to_have_count(done)
    expect(frame.locator("path.route-ahead")).to_have_count(ahead)
    for heading in ("On Mon 11 Sep 2023", "On Tue 12 Sep 2023", "On Wed 13 Sep 2023"):
        slider.press("ArrowRight")  # one day at a time: each step reruns the page
        expect(page.get_by_text(heading)).to_be_visible()  # type: ignore[attr-defined]
    expect(page.get_by_text("Putin greets Kim at Vostochny").first).to_be_visible()  # type: ignore[attr-defined]
    done, ahead = expected_route_pieces("kju-2023", 1)
    expect(frame.locator("path.route-done")).to_have_count(done)
    expect(frame.locator("path.route-ahead")).to_have_count(ahead)
    expect(frame.locator("path.summit-place")).to_have_count(len(expected_places([2023], 1)))
    after = _leaflet(offline_page, "[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    assert after == pytest.approx(before, abs=1e-6), "moving the slider must not move the map"
    assert offline_page.external == []


def test_year_filter_changes_markers(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url)
    page = offline_page.page
    expect = _expect()
    expect(frame.locator("path.summit-place")).to_have_count(len(expected_places([2002, 2019, 2023])))
    page.get_by_role("button", name="2002").click()  # type: ignore[attr-defined]
    expect(frame.locator("path.summit-place")).to_have_count(len(expected_places([2019, 2023])))
    page.get_by_role("button", name="2023").click()  # type: ignore[attr-defined]
    only_2019 = expected_places([2019])
    expect(frame.locator("path.summit-place")).to_have_count(len(only_2019))
    assert _marker_ids(offline_page) == only_2019
    assert "years=2019" in page.url  # type: ignore[attr-defined]


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_full_page_screenshot(offline_page: OfflinePage, app_url: str, width: int, name: str) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    frame = _open(offline_page, app_url, "?years=2019&day=1&place=fefu_russky")
    _expect()(frame.locator("path.summit-place")).to_have_count(len(expected_places([2019], 1)))
    _expect()(page.get_by_role("heading", name="Far Eastern Federal University", exact=False)).to_be_visible()  # type: ignore[attr-defined]
    path = ARTIFACTS / f"summit-map-{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    assert path.stat().st_size > 20_000
