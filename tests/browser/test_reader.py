"""A reader's first minutes, in Chromium with no internet: an opened group names its places, a row picked in
the table takes the page to its day and its details, the keyboard reaches the places first, an empty day
says when the filters emptied it."""

from __future__ import annotations

import re

import pytest

from components.dataset import query
from tests.browser.conftest import OfflinePage
from tests.browser.test_map import MAP_FRAME, _expect, _frame, _heading, _idle, _leaflet, _open, dataset

pytestmark = pytest.mark.browser
# From the map itself, Tab reaches the places before the controls: route lines take no stop.
MAX_TABS_TO_A_PLACE = 3


def test_an_opened_group_names_its_places_without_hover(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2019&day=2")
    cluster = frame.locator(".summit-cluster").first  # type: ignore[attr-defined]
    size = int(cluster.locator(".summit-cluster-count").inner_text())
    assert size > 1
    offline_page.page.mouse.move(0, 0)  # type: ignore[attr-defined]  # no hover anywhere near the map
    cluster.click()
    labels = frame.locator(".summit-place-name")  # type: ignore[attr-defined]
    _expect()(labels).to_have_count(size)
    names = set(dataset().places_by_id["name"])
    shown = labels.all_inner_texts()
    assert set(shown) <= names, shown
    assert len(set(shown)) == size, "every opened place has its own name"
    offline_page.page.mouse.move(0, 0)  # type: ignore[attr-defined]
    _expect()(labels.first).to_be_visible()
    sizes = _leaflet(
        offline_page, "Array.from(document.querySelectorAll('.summit-place')).map(m => m.getBoundingClientRect().width)"
    )
    assert min(sizes) >= 24, f"every place is a finger's target: {sizes}"  # type: ignore[type-var]


def test_a_row_picked_in_the_table_moves_the_day_and_shows_its_details(offline_page: OfflinePage, app_url: str) -> None:
    _open(offline_page, app_url, "?years=2019&day=1")
    page = offline_page.page
    ds = dataset()
    shown = query.events_until(ds, ["kju-2019"], 1).reset_index(drop=True)
    row = int(shown.index[shown["slider_day"] == 0][0])  # an event listed under the day before
    assert row < 8, "within the grid's first screen of rows"
    event = shown.iloc[row]
    grid = page.locator('[data-testid="stDataFrame"]')  # type: ignore[attr-defined]
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The grid is a canvas: its selection checkboxes sit in the first column, one 35 px row each.
    page.mouse.click(box["x"] + 18, box["y"] + 35 * (row + 1) + 17)  # type: ignore[attr-defined]
    _expect()(page).to_have_url(re.compile(r"day=0(&|$)"))
    _expect()(page).to_have_url(re.compile(rf"event={event['event_id']}"))
    heading = _heading(offline_page, str(event["place_id"]))
    _expect()(heading).to_be_in_viewport()  # type: ignore[attr-defined]


def test_tab_reaches_a_place_in_a_few_presses(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2023&day=1")
    frame.locator(".leaflet-container").focus()  # type: ignore[attr-defined]  # Tab moves into the map from here
    presses = 0
    on_a_place = "() => !!document.activeElement.closest('.summit-place, .summit-cluster')"
    while not _leaflet(offline_page, on_a_place):
        presses += 1
        assert presses <= MAX_TABS_TO_A_PLACE, f"no place after {presses} Tabs"
        offline_page.page.keyboard.press("Tab")  # type: ignore[attr-defined]
    routes = _leaflet(
        offline_page,
        "Array.from(document.querySelectorAll('path.leaflet-interactive')).filter(p => p.tabIndex >= 0).length",
    )
    assert routes == 0, "route lines are out of the tab order"


def test_a_day_emptied_by_the_filters_says_so(offline_page: OfflinePage, app_url: str) -> None:
    # A category with events before the day (so the map has places) and none on it.
    events = query.events_until(dataset(), ["kju-2019"], 1)
    before, on_day = set(events.loc[events["day"] < 1, "category"]), set(events.loc[events["day"] == 1, "category"])
    category = sorted(before - on_day)[0]
    _open(offline_page, app_url, f"?years=2019&day=1&cat={category}")
    page = offline_page.page
    day = page.locator(".st-key-day-events")  # type: ignore[attr-defined]
    _expect()(day.get_by_text("The filters hide this day's", exact=False)).to_be_visible()
    day.get_by_role("button", name="Clear filters").click()
    _idle(offline_page)
    _expect()(page).not_to_have_url(re.compile(r"cat="))
    assert _frame(offline_page) is not None
    assert page.locator(MAP_FRAME).count() == 1  # type: ignore[attr-defined]


def test_a_phone_sees_the_map_on_arrival(phone_page: OfflinePage, app_url: str) -> None:
    _open(phone_page, app_url, "?years=2023")
    page = phone_page.page
    box = page.locator(MAP_FRAME).bounding_box()  # type: ignore[attr-defined]
    height = page.viewport_size["height"]  # type: ignore[attr-defined]
    visible = min(box["y"] + box["height"], height) - box["y"]
    assert box["y"] < height / 2, f"the map starts {box['y']:.0f} px down a {height} px screen"
    assert visible >= 0.4 * height, f"only {visible:.0f} px of the map on the first screen"
    language = page.get_by_role("combobox", name="Language · Язык · 언어")  # type: ignore[attr-defined]
    _expect()(language).to_be_visible()


def test_the_korean_table_speaks_korean(offline_page: OfflinePage, app_url: str) -> None:
    _open(offline_page, app_url, "?years=2019&day=1&lang=ko")
    page = offline_page.page
    grid = page.locator('[data-testid="stDataFrame"]')  # type: ignore[attr-defined]
    grid.scroll_into_view_if_needed()
    # The grid draws the columns in view: the first ones, with their headers and values in Korean.
    for header in ("날짜", "시각", "장소", "분류", "확실성"):
        cells = grid.locator('[role="columnheader"]').filter(has_text=re.compile(f"^{header}$"))
        _expect()(cells.first).to_be_attached()
    first = query.events_until(dataset(), ["kju-2019"], 1).iloc[0]
    certainty = {"confirmed": "확인됨", "reported": "보도됨", "approximate": "추정"}[first["certainty"]]
    values = grid.locator('[role="gridcell"]')
    _expect()(values.filter(has_text=re.compile(f"^{certainty}$")).first).to_be_attached()
    _expect()(values.filter(has_text=re.compile("^(confirmed|reported|approximate)$"))).to_have_count(0)


def test_a_place_opened_from_the_keyboard_keeps_the_focus(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url, "?years=2023&day=1")
    marker = frame.locator(".summit-place").first  # type: ignore[attr-defined]
    place_id = next(c for c in (marker.get_attribute("class") or "").split() if c.startswith("place-"))[6:]
    marker.focus()
    marker.press("Enter")
    _expect()(_heading(offline_page, place_id)).to_be_visible()
    _idle(offline_page)
    _frame(offline_page).wait_for_function(  # type: ignore[attr-defined]
        "id => document.activeElement && document.activeElement.classList.contains('place-' + id)", arg=place_id
    )


def test_city_labels_never_sit_under_a_place_or_each_other(offline_page: OfflinePage, app_url: str) -> None:
    _open(offline_page, app_url)
    _frame(offline_page).wait_for_function(  # type: ignore[attr-defined]
        # The city names (fetched) are on the map and the last pass that places them has run.
        "() => document.querySelectorAll('.summit-label:not(.summit-stop)').length > 5"
        " && window.SummitMap.state.declutterTimer === null"
    )
    clashes = _leaflet(
        offline_page,
        """(() => {
            const boxes = sel => Array.from(document.querySelectorAll(sel))
                .filter(e => getComputedStyle(e.closest('.summit-label') || e).visibility !== 'hidden')
                .map(e => [e.textContent.trim(), e.getBoundingClientRect()]);
            const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            const labels = boxes('.summit-label span');
            const marks = boxes('.summit-place, .summit-cluster');
            const found = [];
            labels.forEach(([name, box], i) => {
                marks.forEach(([mark, other]) => { if (meets(box, other)) found.push(name + ' under ' + mark); });
                labels.slice(i + 1).forEach(([other, b]) => { if (meets(box, b)) found.push(name + ' on ' + other); });
            });
            return found;
        })()""",
    )
    assert clashes == [], clashes


def test_a_first_visit_opens_on_the_latest_summit_meeting(offline_page: OfflinePage, app_url: str) -> None:
    frame = _open(offline_page, app_url)
    page = offline_page.page
    opening = query.event_row(dataset(), query.opening_event(dataset()))
    assert opening is not None
    _expect()(page).to_have_url(re.compile(rf"event={opening['event_id']}"))
    # The meeting's place and the opened meeting are on the first screen, beside the map, with no scrolling;
    # its quote is in the open event, just below.
    _expect()(_heading(offline_page, str(opening["place_id"]))).to_be_in_viewport()  # type: ignore[attr-defined]
    details = page.locator('[data-testid="stExpander"] details[open]').filter(has_text=str(opening["title"])[:30])  # type: ignore[attr-defined]
    _expect()(details.locator("summary")).to_be_in_viewport()
    quote = str(opening["evidence"]).split("\n")[0][:40]
    _expect()(details.get_by_text(quote, exact=False).first).to_be_visible()
    # On the map the meeting's place is marked as chosen, its group opened and named.
    _expect()(frame.locator(f".summit-place.place-{opening['place_id']}.is-selected")).to_be_visible()  # type: ignore[attr-defined]
    _expect()(page.get_by_role("button", name="How to read the map")).to_be_visible()  # type: ignore[attr-defined]


def test_a_phone_can_tap_one_timeline_mark(phone_page: OfflinePage, app_url: str) -> None:
    _open(phone_page, app_url, "?years=2002,2019,2023")
    page = phone_page.page
    box = page.locator(".st-key-timeline-box")  # type: ignore[attr-defined]
    box.scroll_into_view_if_needed()
    # The key is text that wraps inside the screen; the chart keeps its width and scrolls sideways.
    key = box.locator(".summit-key")
    _expect()(key).to_contain_text("approximate")
    assert key.bounding_box()["width"] <= page.viewport_size["width"]  # type: ignore[index]
    chart = box.locator('[data-testid="stVegaLiteChart"]')
    _expect()(chart.locator(".mark-symbol path").first).to_be_attached()
    assert chart.bounding_box()["width"] >= 700, "a mark per finger: the chart is not squeezed to the screen"
    scrolls = box.locator('[data-testid="stFullScreenFrame"]').evaluate("e => e.scrollWidth > e.clientWidth")
    assert scrolls, "the chart scrolls sideways inside the page"


def test_a_russian_map_names_its_cities_in_russian(offline_page: OfflinePage, app_url: str) -> None:
    _open(offline_page, app_url, "?years=2019&lang=ru")
    _frame(offline_page).wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('.summit-label:not(.summit-stop)').length > 3"
        " && window.SummitMap.state.declutterTimer === null"
    )
    names = _leaflet(
        offline_page, "Array.from(document.querySelectorAll('.summit-label span')).map(e => e.textContent)"
    )
    latin = [name for name in names if re.search(r"[A-Za-z]", name)]  # type: ignore[union-attr]
    assert names
    assert not latin, latin


def test_a_visit_by_air_is_drawn_as_a_flight_with_no_train(offline_page: OfflinePage, app_url: str) -> None:
    ds = dataset()
    flown = ds.legs[ds.legs["mode"] == "air"]
    assert len(flown), "the dataset has a flight"
    trip_id = str(flown["trip_id"].iloc[0])
    year = int(ds.trips_by_id.at[trip_id, "year"])
    last = int(ds.trips_by_id.at[trip_id, "end_day"])
    frame = _open(offline_page, app_url, f"?years={year}&day={last}")
    _expect()(frame.locator(f"path.route-flight.trip-{trip_id}")).to_have_count(len(flown))  # type: ignore[attr-defined]
    _expect()(frame.locator(".summit-legend")).to_contain_text("flight (not a railway)")  # type: ignore[attr-defined]
    dash = frame.locator(f"path.route-flight.trip-{trip_id}").first.get_attribute("stroke-dasharray")  # type: ignore[attr-defined]
    assert dash == "1 7", dash
    _expect()(frame.locator(".summit-train-icon")).to_have_count(0)  # type: ignore[attr-defined]
    assert offline_page.external == []


def test_a_group_opens_on_a_short_screen(offline_page: OfflinePage, app_url: str) -> None:
    """A 1280×760 laptop: the map reaches below the window. A press must not scroll the page before the
    release (Leaflet focuses the map on a press), or the click on a group is lost."""
    offline_page.page.set_viewport_size({"width": 1280, "height": 760})  # type: ignore[attr-defined]
    frame = _open(offline_page, app_url, "?years=2019&day=2")
    box = offline_page.page.locator(MAP_FRAME).bounding_box()  # type: ignore[attr-defined]
    assert box["y"] + box["height"] > 760, "the map reaches below the window, or this test proves nothing"
    cluster = frame.locator(".summit-cluster").first  # type: ignore[attr-defined]
    size = int(cluster.locator(".summit-cluster-count").inner_text())
    cluster.click()
    _expect()(frame.locator(".summit-place-name")).to_have_count(size)  # type: ignore[attr-defined]


NAMES_BESIDE_THEIR_PLACES = """() => {
    const opened = Object.values(SummitMap.state.markers).filter(m => m.summitLabel && m._icon);
    if (opened.length < 2) return false;
    const boxes = opened.map(m => [m._icon.getBoundingClientRect(), m.summitLabel.getElement().getBoundingClientRect()]);
    const apart = boxes.every(([, a], i) => boxes.every(([, b], j) => i === j ||
        a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top));
    const beside = boxes.every(([dot, name]) => name.top <= dot.bottom + 24 && name.bottom >= dot.top - 24);
    return apart && beside;
}"""


def test_a_phone_opens_on_a_group_whose_names_sit_beside_their_places(phone_page: OfflinePage, app_url: str) -> None:
    """The opening view on a phone: the chosen meeting's group is open, each name beside its own dot, none over
    another (a name placed while the group was still opening once stayed at its centre, over a neighbour's)."""
    _open(phone_page, app_url)
    _frame(phone_page).wait_for_function(NAMES_BESIDE_THEIR_PLACES)  # type: ignore[attr-defined]
