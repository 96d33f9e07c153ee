"""Each validation rule, proved with a fixture broken one way and the exact line and column it reports."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from components.__main__ import main
from components.dataset import DatasetError, check_dataset, load_dataset
from tests.conftest import EVENTS, PLACES, REPO, ROUTES, SOURCES, TRIPS, DatasetFactory

Tables = dict[str, Any]


def _tables() -> Tables:
    return {
        "trips": copy.deepcopy(TRIPS),
        "places": copy.deepcopy(PLACES),
        "sources": copy.deepcopy(SOURCES),
        "events": copy.deepcopy(EVENTS),
        "routes": copy.deepcopy(ROUTES),
    }


def _set(table: str, index: int, column: str, value: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table][index][column] = value

    return change


def _drop_column(table: str, column: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        for row in tables[table]:
            row.pop(column)

    return change


def _duplicate(table: str, index: int) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table].append(dict(tables[table][index]))

    return change


def _feature(index: int, *path: str | int, value: Any) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        target = tables["routes"]["features"][index]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop_property(index: int, name: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables["routes"]["features"][index]["properties"].pop(name)

    return change


# Events on line n+2: the header is line 1.
RULES = [
    ("missing column", _drop_column("places", "lat"), "places.csv:1: lat: required column is missing"),
    ("date format", _set("events", 1, "date", "24/04/2019"), "events.csv:3: date: '24/04/2019' is not a date in"),
    ("impossible date", _set("events", 1, "date", "2019-02-30"), "events.csv:3: date: '2019-02-30' is not a real date"),
    ("latitude range", _set("places", 0, "lat", "95"), "places.csv:2: lat: Input should be less than or equal to 90"),
    ("longitude type", _set("places", 1, "lon", "east"), "places.csv:3: lon: Input should be a valid number"),
    ("not a number", _set("places", 1, "lat", "nan"), "places.csv:3: lat: Input should be a finite number"),
    ("unknown place", _set("events", 2, "place_id", "moscow"), "events.csv:4: place_id: unknown place 'moscow'"),
    ("unknown trip", _set("events", 3, "trip_id", "kji-1999"), "events.csv:5: trip_id: unknown trip 'kji-1999'"),
    (
        "unknown source",
        _set("events", 5, "source_ids", "seed-003;nope"),
        "events.csv:7: source_ids: unknown source 'nope'",
    ),
    ("bad id", _set("events", 0, "event_id", "Has Space"), "events.csv:2: event_id: 'Has Space' is not an id"),
    ("duplicate event", _duplicate("events", 0), "events.csv:8: event_id: duplicate id 'e-announce' (first on line 2)"),
    ("duplicate place", _duplicate("places", 2), "places.csv:5: place_id: duplicate id 'vostochny' (first on line 4)"),
    (
        "duplicate source",
        _duplicate("sources", 0),
        "sources.csv:4: source_id: duplicate id 'mt-2019' (first on line 2)",
    ),
    ("duplicate trip", _duplicate("trips", 1), "trips.csv:4: trip_id: duplicate id 'kju-2023' (first on line 3)"),
    (
        "outside trip",
        _set("events", 3, "date", "2019-05-01"),
        "events.csv:5: date: 2019-05-01 is outside trip 'kju-2019'",
    ),
    ("unknown category", _set("events", 1, "category", "party"), "events.csv:3: category: 'party' is not one of"),
    ("empty evidence", _set("events", 4, "evidence", "  "), "events.csv:6: evidence: is empty"),
    (
        "long evidence",
        _set("events", 4, "evidence", "x" * 241),
        "events.csv:6: evidence: String should have at most 240",
    ),
    ("no source", _set("events", 2, "source_ids", ""), "events.csv:4: source_ids: is empty"),
    (
        "same source twice",
        _set("events", 2, "source_ids", "mt-2019;mt-2019"),
        "events.csv:4: source_ids: lists the same",
    ),
    ("certainty", _set("events", 2, "certainty", "sure"), "events.csv:4: certainty: 'sure' is not one of"),
    ("time format", _set("events", 2, "time", "25:00"), "events.csv:4: time: '25:00' is not a local time"),
    ("part of day", _set("events", 2, "part_of_day", "dawn"), "events.csv:4: part_of_day: 'dawn' is not one of"),
    ("no url", _set("sources", 0, "url", ""), "sources.csv:2: url: a source needs a url, or a seed_file"),
    (
        "bad url",
        _set("sources", 0, "url", "javascript:alert(1)"),
        "sources.csv:2: url: 'javascript:alert(1)' is not an",
    ),
    ("bad seed file", _set("sources", 1, "seed_file", "../etc/passwd"), "sources.csv:3: seed_file: '../etc/passwd'"),
    ("end before start", _set("trips", 0, "end_date", "2019-04-01"), "trips.csv:2: end_date: 2019-04-01 is before"),
    ("year mismatch", _set("trips", 0, "year", "2018"), "trips.csv:2: year: 2018 does not match start_date"),
    ("entry outside", _set("trips", 1, "entry_date", "2023-09-30"), "trips.csv:3: entry_date: 2023-09-30 is outside"),
    ("kind", _set("places", 0, "kind", "castle"), "places.csv:2: kind: 'castle' is not one of"),
    ("country", _set("places", 0, "country", "Russia"), "places.csv:2: country: String should match pattern"),
    ("colour", _set("trips", 0, "color", "red"), "trips.csv:2: color: 'red' is not a colour"),
    (
        "geometry type",
        _feature(0, "geometry", "type", value="Point"),
        "routes.geojson:feature 0: geometry.type: 'Point'",
    ),
    (
        "coordinate range",
        _feature(1, "geometry", "coordinates", 1, value=[131.9, 143.4]),
        "routes.geojson:feature 1: geometry.coordinates[1][1]: Input should be less than or equal to 90",
    ),
    (
        "single point",
        _feature(1, "geometry", "coordinates", value=[[131.9, 43.4]]),
        "routes.geojson:feature 1: geometry.coordinates: List should have at least 2 items",
    ),
    (
        "route unknown place",
        _feature(2, "properties", "to_place", value="mars"),
        "routes.geojson:feature 2: properties.to_place: unknown place 'mars'",
    ),
    (
        "route far from place",
        _feature(2, "properties", "to_place", value="vladivostok_station"),
        "routes.geojson:feature 2: geometry.coordinates: last point is 1011 km from 'vladivostok_station'",
    ),
    (
        "route missing property",
        _drop_property(0, "depart"),
        "routes.geojson:feature 0: properties.depart: is missing",
    ),
    (
        "route arrive before depart",
        _feature(1, "properties", "arrive", value="2019-04-25"),
        "routes.geojson:feature 1: properties.arrive: 2019-04-25 is before depart 2019-04-26",
    ),
    (
        "route outside trip",
        _feature(2, "properties", "arrive", value="2023-10-13"),
        "routes.geojson:feature 2: properties.depart: leg 2023-09-12..2023-10-13 is outside trip 'kju-2023'",
    ),
    (
        "route mode",
        _feature(0, "properties", "mode", value="teleport"),
        "routes.geojson:feature 0: properties.mode: 'teleport' is not one of",
    ),
    (
        "route duplicate leg",
        _feature(1, "properties", "leg_id", value="l19-out"),
        "routes.geojson:feature 1: properties.leg_id: duplicate id 'l19-out' (first at feature 0)",
    ),
    (
        "not a feature collection",
        lambda tables: tables.update(routes={"type": "Feature"}),
        "routes.geojson:1: (json): expected a GeoJSON FeatureCollection",
    ),
]


def _problems(folder: Path) -> list[str]:
    return [str(problem).removeprefix(f"{folder}/") for problem in check_dataset(folder).problems]


def test_fixture_is_valid(make_dataset: DatasetFactory) -> None:
    assert _problems(make_dataset()) == []


@pytest.mark.parametrize(("change", "expected"), [rule[1:] for rule in RULES], ids=[rule[0] for rule in RULES])
def test_rule_reports_line_and_column(
    make_dataset: DatasetFactory, change: Callable[[Tables], None], expected: str
) -> None:
    tables = _tables()
    change(tables)
    problems = _problems(make_dataset(**tables))
    assert any(problem.startswith(expected) for problem in problems), problems
    assert len(problems) == 1, problems


@pytest.mark.parametrize("bad", ["24:00", "7:5", "07:5", "7:05", "12:60", "1200", "12:00:00", "12h00", "noon"])
def test_time_must_be_hh_mm_on_a_24_hour_clock(make_dataset: DatasetFactory, bad: str) -> None:
    tables = _tables()
    tables["events"][2]["time"] = bad
    assert _problems(make_dataset(**tables)) == [f"events.csv:4: time: {bad!r} is not a local time in HH:MM form"]


@pytest.mark.parametrize("good", ["00:00", "07:05", "23:59"])
def test_time_accepts_every_minute_of_the_day(make_dataset: DatasetFactory, good: str) -> None:
    tables = _tables()
    tables["events"][2]["time"] = good
    tables["events"][2]["time_note"] = "about"
    assert _problems(make_dataset(**tables)) == []


def test_events_sort_by_time_within_a_day_and_untimed_ones_keep_their_place(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    announce, khasan, vlad, *rest = tables["events"]
    vlad["time"] = "17:50"
    khasan["time"] = "10:40"
    khasan["time_note"] = "range 10:30-10:40"
    motorcade = dict(vlad, event_id="e-motorcade", time="", category="travel", title="Motorcade")
    dawn = dict(vlad, event_id="e-dawn", time="", category="context", title="Before anything timed")
    # File order: an untimed event first, then the day's events out of clock order.
    tables["events"] = [announce, dawn, vlad, motorcade, khasan, *rest]
    events = load_dataset(make_dataset(**tables)).events
    day = events[events["date"] == "2019-04-24"]
    assert day["event_id"].tolist() == ["e-dawn", "e-khasan", "e-vlad", "e-motorcade"]
    assert day["time"].tolist() == ["", "10:40", "17:50", ""]
    assert events.loc[events["event_id"] == "e-khasan", "time_note"].item() == "range 10:30-10:40"
    assert events["time_note"].map(type).eq(str).all()


def test_a_part_of_the_day_needs_its_quote_and_excludes_a_time(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    tables["events"][2].update(time="10:40", part_of_day="morning", time_note="TASS")
    tables["events"][3].update(time="", part_of_day="evening", time_note="")
    assert _problems(make_dataset(**tables)) == [
        "events.csv:4: part_of_day: give a time (10:40) or a part of the day, not both",
        "events.csv:5: time_note: is empty: say which source gives 'evening', in its words",
    ]


def test_a_part_of_the_day_sorts_at_its_first_hour_or_after_the_time_before_it(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    announce, khasan, vlad, *rest = tables["events"]
    khasan.update(time="", part_of_day="evening", time_note="KCNA: 'in the evening'")
    vlad.update(time="10:40", time_note="TASS")
    remarks = dict(vlad, event_id="e-remarks", time="", part_of_day="morning", time_note="'that morning'")
    # File order: the evening first, then a timed event and a morning after it.
    tables["events"] = [announce, khasan, vlad, remarks, *rest]
    events = load_dataset(make_dataset(**tables)).events
    day = events[events["date"] == "2019-04-24"]
    # evening sorts at 17:00; the morning after 10:40 stays after it (10:40, not 06:00).
    assert day["event_id"].tolist() == ["e-vlad", "e-remarks", "e-khasan"]
    assert day["part_of_day"].tolist() == ["", "morning", "evening"]


def test_announcement_may_precede_trip(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    tables["events"][0]["date"] = "2019-01-01"
    assert _problems(make_dataset(**tables)) == []
    tables["events"][0]["category"] = "arrival"
    assert _problems(make_dataset(**tables)) == [
        "events.csv:2: date: 2019-01-01 is outside trip 'kju-2019' (2019-04-24 to 2019-04-27); "
        "only announcement, commemoration, context events may be"
    ]


def test_all_problems_reported_at_once(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    tables["places"][0]["lat"] = "200"
    tables["events"][1]["category"] = "party"
    tables["events"][3]["place_id"] = "nowhere"
    tables["routes"]["features"][0]["properties"]["trip_id"] = "ghost"
    problems = _problems(make_dataset(**tables))
    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in problems] == [
        "places.csv:2: lat",
        "events.csv:3: category",
        "events.csv:5: place_id",
        "routes.geojson:feature 0: properties.trip_id",
    ]


def test_multiline_cell_keeps_line_numbers(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    tables["events"][0]["description"] = "first line\nsecond line\nthird line"
    tables["events"][2]["place_id"] = "atlantis"
    assert _problems(make_dataset(**tables)) == ["events.csv:6: place_id: unknown place 'atlantis'"]


def _write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


FILE_CASES = [
    ("missing", lambda f: (f / "events.csv").unlink(), "events.csv:0: (file): file not found"),
    ("empty", lambda f: _write(f, "places.csv", b""), "places.csv:1: (file): file is empty"),
    ("binary", lambda f: _write(f, "trips.csv", b"trip_id\n\x00\x01\x02"), "trips.csv:2: (encoding): binary data"),
    (
        "latin-1",
        lambda f: _write(
            f, "sources.csv", (f / "sources.csv").read_bytes().replace(b"Gifts", "Cadeaux é".encode("latin-1"))
        ),
        "sources.csv:3: (encoding): byte 0xe9 is not valid UTF-8",
    ),
    (
        "ragged row",
        lambda f: _write(f, "places.csv", (f / "places.csv").read_bytes() + b"extra,row\n"),
        "places.csv:5: (csv): row has 2 fields but the header has 8",
    ),
    (
        "broken quoting",
        lambda f: _write(f, "events.csv", (f / "events.csv").read_bytes() + b'x,"unclosed"quote,y\n'),
        "events.csv:8: (csv): malformed CSV",
    ),
    (
        "duplicate header",
        lambda f: _write(f, "trips.csv", b"trip_id,trip_id\na,b\n"),
        "trips.csv:1: trip_id: column appears twice",
    ),
    (
        "invalid json",
        lambda f: _write(f, "routes.geojson", b'{"type": "FeatureCollection",\n "features": [\n  {,}\n]}'),
        "routes.geojson:3: (json): invalid JSON at character 4",
    ),
    ("folder", lambda f: _write(f, "routes.geojson", b"\xff\xfe{}"), "routes.geojson:1: (encoding): byte 0xff"),
]


@pytest.mark.parametrize(
    ("damage", "expected"), [case[1:] for case in FILE_CASES], ids=[case[0] for case in FILE_CASES]
)
def test_broken_file_gets_one_clear_line(
    make_dataset: DatasetFactory, damage: Callable[[Path], None], expected: str
) -> None:
    folder = make_dataset()
    damage(folder)
    problems = _problems(folder)
    assert problems[0].startswith(expected), problems


def test_load_raises_with_every_problem(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    tables["events"][1]["category"] = "party"
    tables["events"][2]["category"] = "feast"
    with pytest.raises(DatasetError) as raised:
        load_dataset(make_dataset(**tables))
    assert len(raised.value.problems) == 2


def test_cli_valid_prints_summary(make_dataset: DatasetFactory, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_dataset()
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"OK {folder}: 2 trips, 6 events, 3 places, 2 sources, 3 route legs"]


def test_cli_reads_environment(
    make_dataset: DatasetFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_dataset()
    monkeypatch.setenv("SUMMIT_MAP_DATA", str(folder))
    assert main(["validate"]) == 0
    assert str(folder) in capsys.readouterr().out


def test_cli_invalid_prints_lines_and_exits_1(make_dataset: DatasetFactory, capsys: pytest.CaptureFixture[str]) -> None:
    tables = _tables()
    tables["events"][1]["date"] = "yesterday"
    folder = make_dataset(**tables)
    assert main(["validate", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"{folder}/events.csv:3: date: 'yesterday' is not a date in YYYY-MM-DD form"]
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("name", ["missing-folder", "a-file"])
def test_cli_bad_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    target = tmp_path / name
    if name == "a-file":
        target.write_text("not a folder")
    assert main(["validate", str(target)]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{target}:0: (file): dataset folder not found"]


def test_geojson_features_not_objects(make_dataset: DatasetFactory) -> None:
    tables = _tables()
    tables["routes"]["features"] = [1, "two"]
    folder = make_dataset(**tables)
    assert _problems(folder) == [
        "routes.geojson:feature 0: (feature): expected a JSON object",
        "routes.geojson:feature 1: (feature): expected a JSON object",
    ]
    json.loads((folder / "routes.geojson").read_text())


def test_spreadsheet_export_with_bom_and_crlf_is_accepted(make_dataset: DatasetFactory) -> None:
    folder = make_dataset()
    for name in ("events.csv", "places.csv"):
        text = (folder / name).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
        (folder / name).write_bytes("\ufeff".encode() + text.encode("utf-8"))
    assert _problems(folder) == []
    tables = _tables()
    tables["events"][2]["category"] = "party"
    folder = make_dataset(**tables)
    text = (folder / "events.csv").read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    (folder / "events.csv").write_text(text, encoding="utf-8", newline="")
    assert _problems(folder)[0].startswith("events.csv:4: category:")


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00", b"", "caf\xe9".encode("latin-1")])
def test_cli_process_never_prints_a_traceback(make_dataset: DatasetFactory, content: bytes) -> None:
    folder = make_dataset()
    (folder / "events.csv").write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "components", "validate", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.splitlines()[0].startswith(f"{folder}/events.csv:")


def _huge_integer(folder: Path) -> None:
    _write(folder, "routes.geojson", b'{"type": "FeatureCollection",\n "features": [' + b"7" * 5000 + b"]}")


READING_CASES = [
    (
        "integer beyond Python's digit limit",
        _huge_integer,
        "routes.geojson:2: (json): invalid JSON at character 15: a number with 5000 digits is too long to read",
    ),
    (
        "UTF-16 without a byte-order mark",
        lambda f: _write(f, "trips.csv", (f / "trips.csv").read_text(encoding="utf-8").encode("utf-16-le")),
        "trips.csv:1: (encoding): looks like UTF-16 without a byte-order mark: save the file as UTF-8",
    ),
    (
        "UTF-16 with a broken character",
        lambda f: _write(f, "trips.csv", "trip_id\n".encode("utf-16") + b"\x00\xd8\n\x00"),
        "trips.csv:2: (encoding): not valid UTF-16: save the file as UTF-8",
    ),
]


@pytest.mark.parametrize(
    ("damage", "expected"), [case[1:] for case in READING_CASES], ids=[case[0] for case in READING_CASES]
)
def test_unreadable_text_gets_one_clear_line(
    make_dataset: DatasetFactory, damage: Callable[[Path], None], expected: str
) -> None:
    folder = make_dataset()
    damage(folder)
    assert _problems(folder) == [expected]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-32", "utf-32-be-bom"])
@pytest.mark.parametrize("name", ["events.csv", "routes.geojson"])
def test_utf16_and_utf32_with_a_byte_order_mark_load_as_utf8_does(
    make_dataset: DatasetFactory, encoding: str, name: str
) -> None:
    """Spreadsheets save "Unicode text" as UTF-16 with a BOM: the BOM names the encoding, so read it."""
    folder = make_dataset()
    expected = load_dataset(folder)
    text = (folder / name).read_text(encoding="utf-8")
    codec = encoding.removesuffix("-bom")
    _write(folder, name, ("\ufeff" + text).encode(codec) if encoding.endswith("-bom") else text.encode(codec))
    assert _problems(folder) == []
    loaded = load_dataset(folder)
    assert loaded.events.equals(expected.events)
    assert loaded.legs.equals(expected.legs)


def test_line_breaks_never_split_a_problem_over_lines(
    make_dataset: DatasetFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header cell or a value with a line break is echoed escaped: one problem, one output line."""
    tables = _tables()
    tables["events"][1]["category"] = "par\rty\u2028"
    tables["events"][2]["place_id"] = "new\nplace"  # line 5: the lone \r above ends a line too
    folder = make_dataset(**tables)
    _write(folder, "trips.csv", b'"trip\nid","trip\nid",x\r\n1,2,3\n')
    assert main(["validate", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{folder}/trips.csv:1: trip\\nid: column appears twice in the header",
        f"{folder}/events.csv:3: category: 'par\\rty\\u2028' is not one of {lines[1].split(' is not one of ')[1]}",
        f"{folder}/events.csv:5: place_id: 'new\\nplace' is not an id: use lower-case letters, digits, '_' or '-'",
    ]


def test_3d_positions_are_accepted_and_the_altitude_ignored(make_dataset: DatasetFactory) -> None:
    """RFC 7946 §3.1.1: a position may carry an altitude as its third number."""
    tables = _tables()
    expected = load_dataset(make_dataset(**tables)).legs
    for feature in tables["routes"]["features"]:
        feature["geometry"]["coordinates"] = [[lon, lat, 120.5] for lon, lat in feature["geometry"]["coordinates"]]
    tables["routes"]["features"][0]["geometry"]["coordinates"][0][2] = 0
    folder = make_dataset(**tables)
    assert _problems(folder) == []
    assert load_dataset(folder).legs.equals(expected)


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ([131.9, 43.1, "high"], "geometry.coordinates[1]: altitude 'high' is not a number"),
        ([131.9, 43.1, True], "geometry.coordinates[1]: altitude True is not a number"),
        ([131.9, 43.1, 5, 6], "geometry.coordinates[1]: a position is [lon, lat] or [lon, lat, altitude]"),
        ([131.9, 95, 5], "geometry.coordinates[1][1]: Input should be less than or equal to 90"),
    ],
)
def test_a_bad_3d_position_is_explained(make_dataset: DatasetFactory, position: list[Any], expected: str) -> None:
    tables = _tables()
    tables["routes"]["features"][1]["geometry"]["coordinates"][1] = position
    first = _problems(make_dataset(**tables))[0]
    assert first.split(": ", 1)[1].startswith(expected), first
