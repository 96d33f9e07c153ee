"""The dashboard in Debian's Chromium with no internet, used as a reader would: every place reached from
the map, the train out of the way, one selection everywhere, a view that holds, a phone, a keyboard."""

from __future__ import annotations

import re
from functools import cache

import pytest

from benchmarks.load_config import WHERE  # where a place is on the map: marker, group, off-screen
from components.dataset import Dataset, load_dataset, query
from components.view import clamp_day
from tests.browser.conftest import ARTIFACTS, OfflinePage

# A bare address opens on the latest summit; these tests start from every trip at once.
EVERY_YEAR = "?years=2002,2019,2023"

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[src*="streamlit_folium"]'
VIEW = "[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"


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


def _frame(offline: OfflinePage) -> object:
    return next(f for f in offline.page.frames if "streamlit_folium" in f.url)  # type: ignore[attr-defined]


def _idle(offline: OfflinePage) -> None:
    """Wait until the app has finished its rerun (Streamlit marks its root element)."""
    _expect()(offline.page.locator('[data-testid="stApp"]')).to_have_attribute(  # type: ignore[attr-defined]
        "data-test-script-state", "notRunning"
    )


def _open(offline: OfflinePage, app_url: str, query_string: str = "") -> object:
    page = offline.page
    page.goto(f"{app_url}/{query_string}")  # type: ignore[attr-defined]
    frame = page.frame_locator(MAP_FRAME)  # type: ignore[attr-defined]
    _expect()(frame.locator(".summit-place, .summit-cluster").first).to_be_visible()
    # The map comes first; the rerun its first value asks for draws the rest of the page.
    _expect()(page.locator(".st-key-downloads")).to_be_attached()  # type: ignore[attr-defined]
    _idle(offline)
    return frame


def _leaflet(offline: OfflinePage, script: str, arg: object = None) -> object:
    return _frame(offline).evaluate(script, arg)  # type: ignore[attr-defined]


def _map_places(offline: OfflinePage) -> set[str]:
    return set(_leaflet(offline, "Object.keys(SummitMap.state.markers)"))  # type: ignore[arg-type]


def _wait_for_places(offline: OfflinePage, expected: set[str]) -> None:
    """Wait (no sleeping) until the map holds exactly these places."""
    _frame(offline).wait_for_function(  # type: ignore[attr-defined]
        "ids => JSON.stringify(Object.keys(SummitMap.state.markers).sort()) === JSON.stringify(ids)",
        arg=sorted(expected),
    )


def _heading(offline: OfflinePage, place_id: str) -> object:
    name = dataset().places_by_id.at[place_id, "name"]
    return offline.page.get_by_role("heading", name=name, exact=True)  # type: ignore[attr-defined]


def _open_from_map(offline: OfflinePage, frame: object, place_id: str) -> int:
    """Open a place with real clicks on the map, as a reader would; return how many clicks it took."""
    where = _leaflet(offline, WHERE, place_id)
    marker = frame.locator(f".summit-place.place-{place_id}")  # type: ignore[attr-defined]
    if where == "marker":
        marker.click()
        clicks = 1
    elif where == "cluster":
        frame.locator(f'[data-probe="{place_id}"]').click()  # type: ignore[attr-defined]
        marker.click()
        clicks = 2
    elif where == "offscreen":
        chooser = frame.locator(".summit-offscreen")  # type: ignore[attr-defined]
        if chooser.get_attribute("open") is None:
            chooser.locator("summary").click()
        frame.locator(f'.summit-offscreen button[data-place="{place_id}"]').click()  # type: ignore[attr-defined]
        clicks = 2
    else:
        pytest.fail(f"{place_id} cannot be reached on the map: {where}")
    _expect()(_heading(offline, place_id)).to_be_visible()
    return clicks


def test_offline_map_shows_every_place_and_route(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, EVERY_YEAR)
    expected = expected_places([2002, 2019, 2023])
    assert _map_places(offline_page) == expected
    counts = frame.locator(".summit-cluster .summit-cluster-count").all_inner_texts()  # type: ignore[attr-defined]
    singles = frame.locator(".summit-place").count()  # type: ignore[attr-defined]
    outside = _leaflet(
        offline_page,
        "Object.values(SummitMap.state.markers).filter(m => !map.getBounds().contains(m.getLatLng())).length",
    )
    assert sum(map(int, counts)) + singles + outside == len(expected), "every place is a marker or in a cluster"
    shown = query.trip_ids_for_years(dataset(), [2002, 2019, 2023])
    _expect()(frame.locator("path.route-done")).to_have_count(int(dataset().legs["trip_id"].isin(shown).sum()))
    _expect()(frame.locator(".summit-legend")).to_contain_text("2023 · Kim Jong Un")
    assert _leaflet(offline_page, "L.Icon.Default.imagePath") == "/app/static/vendor/leaflet/images/"
    labels = [label.strip() for label in frame.locator(".leaflet-control-layers label").all_inner_texts()]  # type: ignore[attr-defined]
    assert labels[-3:] == ["Routes", "Train", "Places"]
    assert offline_page.external == [], f"requests left loopback: {offline_page.external[:5]}"
    offline_page.page.screenshot(path=str(ARTIFACTS / "summit-map-offline.png"), full_page=True)  # type: ignore[attr-defined]


def test_every_place_opens_from_the_default_view_within_two_clicks(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, EVERY_YEAR)
    zoom, lat, lng = _leaflet(offline_page, VIEW)  # type: ignore[misc]
    expected = sorted(expected_places([2002, 2019, 2023]))
    clicks = {}
    for place_id in expected:
        # Each place from the default view: the view the page opened with, every group closed.
        _leaflet(
            offline_page,
            f"SummitMap.state.cluster.unspiderfy(); void map.setView([{lat}, {lng}], {zoom}, {{animate: false}})",
        )
        clicks[place_id] = _open_from_map(offline_page, frame, place_id)
        _idle(offline_page)
    assert set(clicks) == set(expected)
    assert max(clicks.values()) <= 2, clicks
    assert offline_page.external == []


def test_the_train_never_takes_a_click_meant_for_a_place(offline_page: OfflinePage, app_url: str) -> None:
    """2019, day 0: the train ends the day at Vladivostok station, over the station's marker."""
    frame = _open(offline_page, app_url, "?years=2019&day=0")
    station = dataset().places_by_id.loc["vladivostok_station"]
    train = frame.locator(".summit-train-icon")  # type: ignore[attr-defined]
    _expect()(train).to_have_count(1)
    under_train = """() => { const t = document.querySelector('.summit-train-icon').getBoundingClientRect();
        const el = document.elementFromPoint(t.x + t.width / 2, t.y + t.height / 2);
        return el ? (el.closest('.summit-place, .summit-cluster, .summit-train-icon') || el).className : ''; }"""
    for zoom in range(15, 9, -1):
        # The drawn rail ends within metres of the station: find the zoom at which the two overlap.
        _leaflet(offline_page, f"void map.setView([{station['lat']}, {station['lon']}], {zoom}, {{animate: false}})")
        hit = str(_leaflet(offline_page, under_train))
        assert "summit-train-icon" not in hit, "the train must let clicks through"
        if "place-vladivostok_station" in hit:
            break
    else:
        pytest.fail("the station's marker never lay under the train")
    box = train.bounding_box()
    offline_page.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # type: ignore[attr-defined]
    _expect()(_heading(offline_page, "vladivostok_station")).to_be_visible()


def test_no_train_after_its_trip_ended(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2019,2023,2025&day=7")
    _expect()(frame.locator(".summit-train-icon")).to_have_count(1)  # only 2023 runs to day 7 (2025 ends on day 4)
    trains = offline_page.page.get_by_text("train, end of", exact=False)  # type: ignore[attr-defined]
    _expect()(trains).to_have_count(1)
    _expect()(trains).to_contain_text("2023 train, end of 19 Sep 2023")


def test_keyboard_reaches_and_opens_places(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2023&day=1")
    unnamed = _leaflet(
        offline_page,
        """Array.from(document.querySelectorAll('a[href], button, input, [tabindex]'))
            .filter(el => el.tabIndex >= 0 && el.offsetParent !== null)
            .filter(el => !(el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 80))""",
    )
    assert unnamed == [], f"tab stops without a name: {unnamed}"
    cluster = frame.locator(".summit-cluster").first  # type: ignore[attr-defined]
    if cluster.count():
        cluster.focus()
        cluster.press("Enter")
        _expect()(frame.locator(".summit-place").first).to_be_visible()
    marker = frame.locator(".summit-place.place-vostochny_cosmodrome")  # type: ignore[attr-defined]
    if not marker.is_visible():
        _leaflet(offline_page, WHERE, "vostochny_cosmodrome")
        frame.locator('[data-probe="vostochny_cosmodrome"]').press("Enter")  # type: ignore[attr-defined]
    _expect()(marker).to_have_attribute("role", "button")
    marker.focus()
    outline = _leaflet(offline_page, "getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    marker.press("Enter")
    _expect()(_heading(offline_page, "vostochny_cosmodrome")).to_be_visible()
    assert offline_page.page.locator(MAP_FRAME).get_attribute("title") == "Map of the trips: routes, places and trains"  # type: ignore[attr-defined]


def _select_place_in_list(offline: OfflinePage, place_id: str) -> None:
    page = offline.page
    name = dataset().places_by_id.at[place_id, "name"]
    box = page.get_by_role("combobox", name="Place")  # type: ignore[attr-defined]
    box.click()
    box.fill(name)
    page.get_by_role("option", name=name, exact=True).click()  # type: ignore[attr-defined]


def _in_view_and_highlighted(offline: OfflinePage, frame: object, place_id: str) -> None:
    marker = frame.locator(f".summit-place.place-{place_id}.is-selected")  # type: ignore[attr-defined]
    _expect()(marker).to_be_visible()
    inside = _leaflet(
        offline,
        "id => map.getBounds().contains(SummitMap.state.markers[id].getLatLng())",
        place_id,
    )
    assert inside, f"{place_id} is brought into view"


def test_choosing_in_the_list_shows_the_place_on_the_map(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, EVERY_YEAR)
    _leaflet(offline_page, "void map.setView([51.0, 137.0], 9, {animate: false})")  # far from Khasan
    _select_place_in_list(offline_page, "khasan_station")
    _expect()(_heading(offline_page, "khasan_station")).to_be_visible()
    _in_view_and_highlighted(offline_page, frame, "khasan_station")
    assert "place=khasan_station" in offline_page.page.url  # type: ignore[attr-defined]


def test_a_place_in_the_days_events_opens_it(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2023&day=4")
    page = offline_page.page
    day = page.locator(".st-key-day-events")  # type: ignore[attr-defined]
    button = day.get_by_role("button", name="Knevichi", exact=False).first
    button.click()
    _expect()(page).to_have_url(re.compile(r"place=knevichi"))
    place_id = page.url.split("place=")[1].split("&")[0]  # type: ignore[attr-defined]
    _expect()(_heading(offline_page, place_id)).to_be_visible()
    _in_view_and_highlighted(offline_page, frame, place_id)


def test_a_row_picked_in_the_table_opens_its_place(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2019&day=1")
    page = offline_page.page
    row = 2
    place_id = query.events_until(dataset(), ["kju-2019"], 1).iloc[row]["place_id"]
    grid = page.locator('[data-testid="stDataFrame"]')  # type: ignore[attr-defined]
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The grid is a canvas: its selection checkboxes sit in the first column, one 35 px row each.
    page.mouse.click(box["x"] + 18, box["y"] + 35 * (row + 1) + 17)  # type: ignore[attr-defined]
    _expect()(page).to_have_url(re.compile(rf"place={place_id}(&|$)"))
    _expect()(_heading(offline_page, place_id)).to_be_visible()
    _in_view_and_highlighted(offline_page, frame, place_id)


def test_layer_choice_survives_a_slider_move(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2023&day=1")
    expect = _expect()
    frame.locator(".leaflet-control-layers").hover()  # type: ignore[attr-defined]
    routes = frame.locator(".leaflet-control-layers-overlays label", has_text="Routes").locator("input")  # type: ignore[attr-defined]
    routes.uncheck()
    expect(frame.locator("path.route-done")).to_have_count(0)
    slider = offline_page.page.get_by_role("slider")  # type: ignore[attr-defined]
    slider.focus()
    slider.press("ArrowRight")
    expect(offline_page.page.get_by_role("heading", name="Thu 14 Sep 2023")).to_be_visible()  # type: ignore[attr-defined]
    _idle(offline_page)
    expect(frame.locator("path.route-done")).to_have_count(0)
    expect(routes).not_to_be_checked()
    frame.locator(".leaflet-control-layers").hover()  # type: ignore[attr-defined]
    routes.check()
    expect(frame.locator("path.route-done")).not_to_have_count(0)


def test_back_and_forward_restore_the_day_and_the_place(offline_page: OfflinePage, app_url: str) -> None:
    _open(offline_page, app_url, "?years=2023&day=1")
    page = offline_page.page
    expect = _expect()
    slider = page.get_by_role("slider")  # type: ignore[attr-defined]
    slider.focus()
    slider.press("ArrowRight")
    expect(page.get_by_role("heading", name="Thu 14 Sep 2023")).to_be_visible()  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"day=2"))
    _idle(offline_page)
    _select_place_in_list(offline_page, "khasan_station")
    expect(_heading(offline_page, "khasan_station")).to_be_visible()
    expect(page).to_have_url(re.compile(r"place=khasan_station"))
    _idle(offline_page)
    page.go_back()  # type: ignore[attr-defined]
    expect(_heading(offline_page, "khasan_station")).to_have_count(0)
    expect(page.get_by_role("heading", name="Thu 14 Sep 2023")).to_be_visible()  # type: ignore[attr-defined]
    _idle(offline_page)
    page.go_back()  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Wed 13 Sep 2023")).to_be_visible()  # type: ignore[attr-defined]
    _idle(offline_page)
    page.go_forward()  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Thu 14 Sep 2023")).to_be_visible()  # type: ignore[attr-defined]


def test_slider_moves_the_train_but_not_the_map(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2023")
    page = offline_page.page
    expect = _expect()
    done, ahead = expected_route_pieces("kju-2023", 7)
    expect(frame.locator("path.route-done")).to_have_count(done)
    expect(frame.locator("path.route-ahead")).to_have_count(ahead)
    assert ahead == 0, "last day: the whole route travelled"
    _leaflet(offline_page, "void map.setView([44.5, 132.5], 7, {animate: false})")
    before = _leaflet(offline_page, VIEW)
    slider = page.get_by_role("slider")  # type: ignore[attr-defined]
    slider.focus()
    slider.press("Home")  # 10 September: still in Pyongyang
    expect(page.get_by_role("heading", name="Sun 10 Sep 2023")).to_be_visible()  # type: ignore[attr-defined]
    _idle(offline_page)
    done, ahead = expected_route_pieces("kju-2023", -2)
    expect(frame.locator("path.route-done")).to_have_count(done)
    expect(frame.locator("path.route-ahead")).to_have_count(ahead)
    for heading in ("Mon 11 Sep 2023", "Tue 12 Sep 2023", "Wed 13 Sep 2023"):
        slider.press("ArrowRight")  # one day at a time: each step reruns the page
        expect(page.get_by_role("heading", name=heading)).to_be_visible()  # type: ignore[attr-defined]
        _idle(offline_page)
    expect(page.get_by_text("Putin greets Kim at Vostochny").first).to_be_visible()  # type: ignore[attr-defined]
    done, ahead = expected_route_pieces("kju-2023", 1)
    expect(frame.locator("path.route-done")).to_have_count(done)
    expect(frame.locator("path.route-ahead")).to_have_count(ahead)
    _wait_for_places(offline_page, expected_places([2023], 1))
    after = _leaflet(offline_page, VIEW)
    assert after == pytest.approx(before, abs=1e-6), "moving the slider must not move the map"
    assert offline_page.external == []


def test_year_filter_fits_the_view_to_the_chosen_trips(offline_page: OfflinePage, app_url: str) -> None:
    _open(offline_page, app_url, EVERY_YEAR)
    page = offline_page.page
    before = _leaflet(offline_page, VIEW)
    _year_pill(page, "2023").click()  # type: ignore[attr-defined]
    _wait_for_places(offline_page, expected_places([2002, 2019]))
    _year_pill(page, "2002").click()  # type: ignore[attr-defined]
    _wait_for_places(offline_page, expected_places([2019]))
    _frame(offline_page).wait_for_function("zoom => map.getZoom() > zoom", arg=before[0])  # type: ignore[attr-defined]
    bounds_fit = _leaflet(
        offline_page,
        "(() => { const b = map.getBounds(); return [b.contains([39.0, 125.74]), b.contains([43.11, 131.88])]; })()",
    )
    assert bounds_fit == [True, True], "the 2019 route (Pyongyang to Vladivostok) fills the view, not a corner"
    _expect()(page).to_have_url(re.compile(r"years=2019(&|$)"))
    _leaflet(offline_page, "void map.setView([42.43, 130.64], 12, {animate: false})")  # Khasan, close up
    page.get_by_role("slider").first.press("ArrowLeft")  # type: ignore[attr-defined]
    _idle(offline_page)
    assert _leaflet(offline_page, "map.getZoom()") == 12, "a new day keeps the reader's view"


def _year_pill(page: object, year: str) -> object:
    return page.get_by_test_id("stButtonGroup").get_by_role("button", name=year, exact=True)  # type: ignore[attr-defined]


def _page_scroll(offline: OfflinePage) -> float:
    return offline.page.evaluate(  # type: ignore[attr-defined]
        "(document.querySelector('[data-testid=stMain]') || document.scrollingElement).scrollTop"
    )


def test_phone_one_finger_scrolls_the_page_and_a_tap_shows_its_place(phone_page: OfflinePage, app_url: str) -> None:
    frame = _open(phone_page, app_url, "?years=2019&day=1")
    page = phone_page.page
    iframe = page.locator(MAP_FRAME)  # type: ignore[attr-defined]
    iframe.scroll_into_view_if_needed()
    view_before = _leaflet(phone_page, VIEW)
    scroll_before = _page_scroll(phone_page)
    box = iframe.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7
    cdp = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 25 * step}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function(  # type: ignore[attr-defined]
        f"(document.querySelector('[data-testid=stMain]') || document.scrollingElement).scrollTop > {scroll_before + 50}"
    )
    assert _leaflet(phone_page, VIEW) == pytest.approx(view_before, abs=1e-6), "one finger does not pan the map"
    iframe.scroll_into_view_if_needed()
    where = _leaflet(phone_page, WHERE, "fefu_russky")
    if where == "cluster":
        frame.locator('[data-probe="fefu_russky"]').tap()  # type: ignore[attr-defined]
    frame.locator(".summit-place.place-fefu_russky").tap()  # type: ignore[attr-defined]
    heading = _heading(phone_page, "fefu_russky")
    _expect()(heading).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "summit-map-phone-tapped.png"))  # type: ignore[attr-defined]


def _axe_violations(frame: object, axe_source: str) -> list[str]:
    frame.evaluate(axe_source)  # type: ignore[attr-defined]
    found = frame.evaluate(  # type: ignore[attr-defined]
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ' x' + v.nodes.length + ': ' + v.nodes[0].target.join(' '))"""
    )
    return list(found)


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations(
    offline_page: OfflinePage, app_url: str, axe_source: str, width: int
) -> None:
    offline_page.page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    _open(offline_page, app_url, "?years=2023&day=1&place=vostochny_cosmodrome")
    _expect()(_heading(offline_page, "vostochny_cosmodrome")).to_be_visible()
    # Contrast is judged on the settled page: during a rerun Streamlit fades stale elements on purpose.
    _idle(offline_page)
    _expect()(offline_page.page.locator('[data-stale="true"]')).to_have_count(0)  # type: ignore[attr-defined]
    assert _axe_violations(offline_page.page.main_frame, axe_source) == []  # type: ignore[attr-defined]
    assert _axe_violations(_frame(offline_page), axe_source) == []


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_full_page_screenshot(offline_page: OfflinePage, app_url: str, width: int, name: str) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})  # type: ignore[attr-defined]
    _open(offline_page, app_url, "?years=2019&day=1&place=fefu_russky")
    _expect()(_heading(offline_page, "fefu_russky")).to_be_visible()
    if width > 400:
        # The map, the day and the chosen place are on screen together.
        for locator in (
            page.locator(MAP_FRAME),
            page.get_by_role("heading", name="Thu 25 Apr 2019"),
            _heading(offline_page, "fefu_russky"),
        ):  # type: ignore[attr-defined]
            _expect()(locator).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / f"summit-map-{name}.png"))  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / f"summit-map-{name}-full.png"), full_page=True)  # type: ignore[attr-defined]
    assert (ARTIFACTS / f"summit-map-{name}.png").stat().st_size > 20_000


# The map's own files on a first visit (Leaflet and its plugins, the map's code, basemap, labels, routes,
# streamlit-folium's frame) as sent, compressed: what the whole story, Moscow to Beijing, may cost.
MAP_BYTES_BUDGET = 720 * 1024


def test_a_first_visit_fetches_the_maps_files_within_budget(offline_page: OfflinePage, app_url: str) -> None:
    page = offline_page.page
    cdp = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sent: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda event: urls.__setitem__(event["requestId"], event["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: sent.__setitem__(event["requestId"], event["encodedDataLength"]))
    frame = _open(offline_page, app_url)
    # Every basemap file has arrived once the land is drawn and the city names are placed.
    _frame(offline_page).wait_for_function(  # type: ignore[attr-defined]
        "SummitMap.state.cityLabels && SummitMap.state.cityLabels.length > 0"
    )
    _expect()(frame.locator("path.summit-land, .leaflet-summitLand-pane path").first).to_be_attached()
    own = {
        urls[request]: size
        for request, size in sent.items()
        if request in urls and ("/app/static/" in urls[request] or "/component/streamlit_folium" in urls[request])
    }
    by_file = "\n".join(f"{size / 1024:7.1f} KiB  {url.split('/', 3)[-1]}" for url, size in sorted(own.items()))
    total = sum(own.values())
    (ARTIFACTS / "first-visit-map-bytes.txt").write_text(f"{by_file}\n{total / 1024:7.1f} KiB  in all\n")
    assert any("land.geojson" in url for url in own), by_file
    assert total <= MAP_BYTES_BUDGET, f"{total / 1024:.0f} KiB > {MAP_BYTES_BUDGET / 1024:.0f} KiB:\n{by_file}"
