"""The analyst's toolkit, pure parts, on the shipped data: filters, links, citations, the timeline,
the comparison and the languages."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from components import i18n, timeline, urls
from components.dataset import Dataset, load_dataset, query
from components.dataset.schema import PART_OF_DAY_HOURS
from components.map import base, registry
from components.map.layers import places
from components.view import View
from tests.conftest import REPO

FEFU_TALKS = "2019-04-25-putin-greets-kim-at-fefu-one-on-one-talk"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(REPO / "data")


def test_each_filter_narrows_and_they_combine(ds: Dataset) -> None:
    everything = len(ds.events)
    gifts = query.filter_events(ds.events, query.Filters(categories=("gift",)))
    assert 0 < len(gifts) < everything
    assert set(gifts["category"]) == {"gift"}
    shoigu = query.filter_events(ds.events, query.Filters(people=("Sergei Shoigu",)))
    assert len(shoigu) == ds.events["people"].str.contains("Sergei Shoigu").sum() > 0
    reported = query.filter_events(ds.events, query.Filters(certainties=("reported",)))
    assert set(reported["certainty"]) == {"reported"}
    text = query.filter_events(ds.events, query.Filters(text="SHASHKA"))
    haystack = (ds.events["title"] + ds.events["description"] + ds.events["evidence"]).str.lower()
    assert len(text) == haystack.str.contains("shashka").sum() > 0
    both = query.filter_events(ds.events, query.Filters(categories=("gift",), text="shashka"))
    assert set(both.index) == set(gifts.index) & set(text.index)
    assert query.filter_events(ds.events, query.Filters()) is ds.events
    assert query.filtered(ds, query.Filters()) is ds


def test_filters_narrow_the_map_and_the_figures_together(ds: Dataset) -> None:
    trips = ["kju-2019"]
    shown = query.filtered(ds, query.Filters(categories=("gift",)))
    all_places = places.data(registry.scene(ds, View((2019,), 3)))
    gift_places = places.data(registry.scene(shown, View((2019,), 3)))
    assert 0 < len(gift_places) < len(all_places)
    figures = query.headline(shown, trips, 3)
    assert figures.events == len(query.events_until(shown, trips, 3))
    assert figures.rail_km == query.headline(ds, trips, 3).rail_km, "filters hide events, not the route"


def test_people_are_listed_by_how_often_they_appear(ds: Dataset) -> None:
    people = query.people_by_frequency(ds)
    assert set(people[:3]) == {"Kim Jong Un", "Kim Jong Il", "Vladimir Putin"}
    counts = [query.filter_events(ds.events, query.Filters(people=(name,))).shape[0] for name in people[:5]]
    assert counts == sorted(counts, reverse=True), "most often first"
    assert len(people) == len(set(people))
    assert all("," not in name for name in people), "names travel comma-separated in links"


def test_a_link_carries_the_whole_view_and_reads_back(ds: Dataset) -> None:
    chosen = View(
        (2019,),
        1,
        "fefu_russky",
        FEFU_TALKS,
        query.Filters(("talks", "gift"), ("Vladimir Putin",), ("confirmed",), "two hours"),
        "ko",
    )
    params = urls.to_params(chosen, [2002, 2019, 2023], default_day=3)
    assert params["cat"] == "talks,gift"
    assert params["lang"] == "ko"
    assert params["q"] == "two hours"
    back, warnings = urls.parse(params, ds)
    assert back == chosen
    assert not warnings


def test_an_event_link_alone_opens_its_trip_day_and_place(ds: Dataset) -> None:
    opened, _ = urls.parse({"event": FEFU_TALKS}, ds)
    event = query.event_row(ds, FEFU_TALKS)
    assert opened.years == (2019,)
    assert (opened.day, opened.place_id, opened.event_id) == (int(event["slider_day"]), "fefu_russky", FEFU_TALKS)
    with_years, _ = urls.parse({"event": FEFU_TALKS, "years": "2023"}, ds)
    assert with_years.years == (2019, 2023), "the event's trip joins the years the link names"


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"event": "no-such-event"}, "Ignored event 'no-such-event'"),
        ({"cat": "gift,<b>x</b>"}, "Ignored category '<b>x</b>'"),
        ({"who": "Nobody"}, "Ignored person 'Nobody'"),
        ({"sure": "certain"}, "Ignored certainty 'certain'"),
        ({"lang": "fr"}, "Ignored language 'fr'"),
    ],
)
def test_bad_link_parameters_become_warnings(ds: Dataset, params: dict[str, str], warning: str) -> None:
    view, warnings = urls.parse(params, ds)
    assert any(w.startswith(warning) for w in warnings), warnings
    assert view.lang in i18n.LANGUAGES


def test_citation_names_every_source_and_the_event(ds: Dataset) -> None:
    event = query.event_row(ds, FEFU_TALKS)
    text = query.citation(ds, event, "http://example.org/?event=x")
    sources = query.sources_for(ds, event["source_ids"])
    for source in sources.itertuples():
        assert source.publisher in text
        assert source.url in text
    assert f"event id {FEFU_TALKS}" in text
    assert "http://example.org/?event=x" in text
    assert "25 April 2019" in text


def test_timeline_places_run_up_and_aftermath_outside_the_trip_days(ds: Dataset) -> None:
    trips = ["kju-2019"]
    frame = timeline.timeline_frame(ds, ds.events, trips)
    trip = ds.trips_by_id.loc["kju-2019"]
    merged = frame.merge(ds.events[["event_id", "day", "time"]], on="event_id")
    before = merged[merged["day"] < trip["start_day"]]
    after = merged[merged["day"] > trip["end_day"]]
    during = merged[(merged["day"] >= trip["start_day"]) & (merged["day"] <= trip["end_day"])]
    assert len(before)
    assert (before["x"] < trip["start_day"]).all()
    assert set(before["phase"]) == {"before"}
    assert len(after)
    assert (after["x"] >= trip["end_day"] + 1).all()
    assert ((during["x"] >= during["day"]) & (during["x"] < during["day"] + 1)).all(), "each event inside its day"
    timed = during[during["time"] != ""]
    hours = timed["time"].str.slice(0, 2).astype(int) + timed["time"].str.slice(3, 5).astype(int) / 60
    assert ((timed["x"] - timed["day"]) * 24 - hours).abs().max() < 1e-6, "timed events sit at their local time"
    assert len(frame) == (ds.events["trip_id"] == "kju-2019").sum()


def test_timeline_draws_a_part_of_the_day_across_its_hours(ds: Dataset) -> None:
    frame = timeline.timeline_frame(ds, ds.events, ["kju-2023"], "ko")
    merged = frame.merge(ds.events[["event_id", "day", "part_of_day"]], on="event_id")
    parted = merged[merged["part_of_day"] != ""]
    assert len(parted) >= 10
    for row in parted.itertuples(index=False):
        first, last = (int(clock[:2]) + int(clock[3:]) / 60 for clock in PART_OF_DAY_HOURS[row.part_of_day])
        assert row.x_from == pytest.approx(row.day + first / 24), row.event_id
        assert row.x_to == pytest.approx(row.day + last / 24), row.event_id
        assert row.x_from < row.x < row.x_to, row.event_id
    fefu = merged.set_index("event_id").loc["2023-09-17-far-eastern-federal-university"]
    assert fefu["date"] == "2023-09-17, 오전", "the tooltip says 'morning', in the reader's language"
    assert merged.loc[merged["part_of_day"] == "", "x_from"].isna().all(), "no span for a clock time or none"
    spec = timeline.timeline_spec(ds, ds.events, ["kju-2023"]).spec
    assert any(layer.get("mark", {}).get("type") == "rule" for layer in spec["layer"])


def test_timeline_chart_selects_events_and_marks_the_day(ds: Dataset) -> None:
    base = timeline.timeline_spec(ds, ds.events, ["kju-2019", "kju-2023"])
    spec = timeline.with_selection(base, 2, FEFU_TALKS)
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert any(p["name"] == timeline.PICK and p["select"]["fields"] == ["event_id"] for p in params)
    assert spec["datasets"][timeline.BAND] == [{"from": 2, "to": 3}]
    ring = spec["datasets"][timeline.RING]
    assert len(ring) == 1
    assert ring[0]["trip"] == "2019 · Kim Jong Un"
    assert 1 <= ring[0]["x"] < 2, "the FEFU talks were on day 1"
    assert base.spec["datasets"].get(timeline.BAND) is None, "the shared spec is never changed"
    assert timeline.with_selection(base, 0)["datasets"][timeline.RING] == []


def test_timeline_reads_the_clicked_event() -> None:
    class Chart:
        selection: ClassVar[dict[str, list[dict[str, str]]]] = {timeline.PICK: [{"event_id": "abc"}]}

    assert timeline.picked_event(Chart()) == "abc"
    assert timeline.picked_event(None) is None
    assert timeline.picked_event(type("Empty", (), {"selection": {}})()) is None


def test_compare_puts_trips_side_by_side_by_day(ds: Dataset) -> None:
    summaries, table = query.compare_trips(ds, ["kju-2019", "kju-2023"])
    assert [s.year for s in summaries] == [2019, 2023]
    assert summaries[0].events == (ds.events["trip_id"] == "kju-2019").sum()
    assert list(table["day"]) == [*list(range(*query.day_range(ds, ["kju-2019", "kju-2023"]))), 7]
    day1 = table.set_index("day").loc[1]
    assert day1["kju-2019:where"] == "Vladivostok station"
    assert "Putin greets Kim at FEFU" in day1["kju-2019:what"]
    assert day1["kju-2019:events"] == ((ds.events["trip_id"] == "kju-2019") & (ds.events["day"] == 1)).sum()
    assert pd.isna(table.set_index("day").loc[-2, "kju-2019:date"]), "the 2019 train had not left on day -2"


def test_every_label_in_the_code_has_russian_and_korean(ds: Dataset) -> None:
    """Each t("…") in the code is in every catalog, so no label silently stays English."""
    used: set[str] = set()
    for path in [*(REPO / "components").rglob("*.py"), REPO / "app.py"]:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            called = getattr(node, "func", None)
            name = getattr(called, "id", getattr(called, "attr", ""))
            first = node.args[0] if isinstance(node, ast.Call) and node.args else None
            if name == "t" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                used.add(first.value)
    assert len(used) > 60, "the scan finds the labels"
    used |= set(ds.events["category"]) | set(ds.events["certainty"]) | set(ds.trips["leader"])
    for lang in ("ru", "ko"):
        missing = used - i18n.known_labels(lang)
        assert not missing, (lang, sorted(missing))
    assert i18n.t("Place", "ru") == "Место"
    assert i18n.t("Place", "ko") == "장소"
    assert i18n.t("{n} events", "ko", n=3) == "사건 3건"
    assert [i18n.count(n, "event", "ru") for n in (1, 3, 5, 21, 11)] == [
        "1 событие", "3 события", "5 событий", "21 событие", "11 событий",
    ]  # fmt: skip
    assert i18n.count(1, "event") == "1 event"
    assert i18n.count(2, "place", "ko") == "장소 2곳"


def test_place_names_follow_the_language(ds: Dataset) -> None:
    korean = i18n.localize(ds, "ko")
    assert korean.places_by_id.at["khasan_station", "name"] == "하산역"
    assert korean.places_by_id.at["khasan_station", "name_en"] == "Khasan station"
    assert i18n.localize(ds, "en") is ds
    assert i18n.day_label(pd.Timestamp("2019-04-25").date(), "ru") == "чт 25 апр 2019"


@pytest.mark.parametrize("lang", ["en", "ru", "ko"])
def test_map_legend_is_translated(ds: Dataset, lang: str) -> None:
    legend = base.legend(ds, lang)
    assert legend["ahead"] == i18n.t("route still ahead", lang)
    assert [row["label"] for row in legend["trips"]] == [f"{r.year} · {r.leader}" for r in ds.trips.itertuples()]
    labels = base.client_labels(lang)
    assert all("{" not in value or "{n}" in value or "{names}" in value for value in labels.values())


def test_place_kinds_and_precisions_read_in_every_language() -> None:
    from components.dataset.schema import COORD_PRECISIONS, PLACE_KINDS
    from components.panels.place import KIND_LABELS, PRECISION_LABELS

    assert set(KIND_LABELS) == set(PLACE_KINDS)
    assert set(PRECISION_LABELS) == set(COORD_PRECISIONS)
    for lang in ("ru", "ko"):
        missing = {*KIND_LABELS.values(), *PRECISION_LABELS.values()} - i18n.known_labels(lang)
        assert not missing, (lang, sorted(missing))
