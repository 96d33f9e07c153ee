"""The exported map, opened from disk in Chromium: it draws its places, routes, trains, land and labels
with every request beyond the file itself refused and counted. No server, no sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from components import export
from components.dataset import Dataset, load_dataset, query
from tests.conftest import REPO

# What a file opened from disk may read besides itself: what is inlined in it. Any other file counts
# too: a leftover "/app/static/…" would resolve to file:///app/static/… from disk.
INLINE_SCHEMES = ("data:", "blob:", "about:")
HOSTILE_NAME = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(REPO / "data")


@dataclass
class DiskPage:
    """A page that may read only the exported file: any other request is refused and remembered."""

    page: object
    path: Path
    refused: list[str] = field(default_factory=list)  # by the route handler
    requested: list[str] = field(default_factory=list)  # every request beyond the file, routed or not
    errors: list[str] = field(default_factory=list)

    def allowed(self, url: str) -> bool:
        return url.startswith(INLINE_SCHEMES) or url == self.path.as_uri()


@pytest.fixture
def disk_page(browser: object, tmp_path: Path) -> Iterator[DiskPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    result = DiskPage(context.new_page(), tmp_path / "summit-map.html")

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if result.allowed(url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            result.refused.append(url)
            route.abort()  # type: ignore[attr-defined]

    def seen(request: object) -> None:
        # Also what never reaches a route handler (a route is not offered every scheme).
        url = request.url  # type: ignore[attr-defined]
        if not result.allowed(url):
            result.requested.append(url)

    context.route("**/*", guard)
    context.set_default_timeout(30_000)
    result.page.on("request", seen)  # type: ignore[attr-defined]
    result.page.on("pageerror", lambda error: result.errors.append(str(error)))  # type: ignore[attr-defined]
    yield result
    context.close()


def _expect():  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    return expect


def _open(disk: DiskPage, html: str) -> object:
    disk.path.write_text(html, encoding="utf-8")
    page = disk.page
    page.goto(disk.path.as_uri())  # type: ignore[attr-defined]
    return page


def _default_selection(ds: Dataset) -> tuple[list[str], int]:
    """What the page opens on: every trip, the last day."""
    trip_ids = ds.trips["trip_id"].tolist()
    return trip_ids, query.day_range(ds, trip_ids)[1]


def _lines(progress: list[query.RouteProgress], part: str) -> int:
    return sum(len([line for line in getattr(p, part) if len(line) > 1]) for p in progress)


@pytest.mark.parametrize(
    ("selection", "place_id"),
    [("default", None), ((["kju-2019"], 1), "fefu_russky"), ((["kji-2002", "kju-2023"], 2), None)],
    ids=["default", "2019-day-1-fefu", "2002-2023-day-2"],
)
def test_the_exported_map_renders_offline_from_disk(
    disk_page: DiskPage, ds: Dataset, selection: object, place_id: str | None
) -> None:
    trip_ids, day = _default_selection(ds) if selection == "default" else selection  # type: ignore[misc]
    page = _open(disk_page, export.standalone_html(ds, trip_ids, day, place_id))
    expect = _expect()
    expected_places = set(query.events_until(ds, trip_ids, day)["place_id"])
    progress = [query.route_progress(ds, trip_id, day) for trip_id in trip_ids]

    expect(page.locator(".summit-place, .summit-cluster").first).to_be_visible()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "n => Object.keys(SummitMap.state.markers).length === n", arg=len(expected_places)
    )
    assert set(page.evaluate("Object.keys(SummitMap.state.markers)")) == expected_places  # type: ignore[attr-defined]
    expect(page.locator("path.route-done")).to_have_count(_lines(progress, "travelled"))  # type: ignore[attr-defined]
    expect(page.locator("path.route-ahead")).to_have_count(_lines(progress, "ahead"))  # type: ignore[attr-defined]
    expect(page.locator(".leaflet-summitLand-pane path").first).to_be_attached()  # type: ignore[attr-defined]
    # Names are drawn (those that would sit under a place wait for another view, so not necessarily the first).
    expect(page.locator(".leaflet-summitLabels-pane .summit-label >> visible=true").first).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator(".leaflet-control-layers")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator(".leaflet-control-layers-base input")).to_have_count(2)  # type: ignore[attr-defined]
    expect(page.locator(".leaflet-control-layers-overlays input")).to_have_count(3)  # type: ignore[attr-defined]
    if place_id:
        expect(page.locator(f".place-{place_id}.is-selected, .summit-cluster.is-selected").first).to_be_attached()  # type: ignore[attr-defined]
    assert disk_page.refused == []
    assert disk_page.requested == []
    assert disk_page.errors == []


def test_the_exported_map_keeps_hostile_names_as_text(disk_page: DiskPage, ds: Dataset) -> None:
    places = ds.places.copy()
    places.loc[places["place_id"] == "khasan_station", "name"] = HOSTILE_NAME
    hostile = replace(ds, places=places)
    page = _open(disk_page, export.standalone_html(hostile, ["kju-2019"], 0, "khasan_station"))
    expect = _expect()
    marker = page.locator(".place-khasan_station .summit-sr")  # type: ignore[attr-defined]
    expect(marker).to_contain_text(HOSTILE_NAME)
    assert page.evaluate("typeof window.__pwned") == "undefined"  # type: ignore[attr-defined]
    assert disk_page.refused == []
    assert disk_page.requested == []
    assert disk_page.errors == []


def test_the_exported_map_carries_the_story(disk_page: DiskPage, ds: Dataset) -> None:
    """Title, a legend of what it holds, and every place opening onto its events, quotes and sources."""
    page = _open(disk_page, export.standalone_html(ds, ["kju-2019"], 1, None))
    expect = _expect()
    expect(page.locator(".summit-title")).to_contain_text("Summit Map: 2019 · Kim Jong Un")  # type: ignore[attr-defined]
    expect(page.locator(".summit-title")).to_contain_text("Thu 25 Apr 2019")  # type: ignore[attr-defined]
    legend = page.locator(".summit-legend")  # type: ignore[attr-defined]
    expect(legend).to_contain_text("2019 · Kim Jong Un")
    expect(legend).not_to_contain_text("2002")
    page.evaluate(  # type: ignore[attr-defined]
        "id => { const m = SummitMap.state.markers[id]; SummitMap.state.cluster._map.setView(m.getLatLng(), 16); }",
        "fefu_russky",
    )
    page.locator(".summit-place.place-fefu_russky").click()  # type: ignore[attr-defined]
    popup = page.locator(".leaflet-popup-content")  # type: ignore[attr-defined]
    talks = query.event_row(ds, "2019-04-25-putin-greets-kim-at-fefu-one-on-one-talk")
    expect(popup).to_contain_text(str(talks["title"]))
    expect(popup).to_contain_text(str(talks["evidence"])[:40])
    first = query.sources_for(ds, talks["source_ids"]).iloc[0]
    expect(popup.locator(f'a[href="{first["url"]}"]').first).to_be_attached()
    assert disk_page.refused == []
    assert disk_page.errors == []
