"""The loader's fast paths say exactly what the slow, one-row-at-a-time models say.

A CSV column's distinct values are validated at once and only failing rows go through the row model;
route legs without altitudes skip a Python call per point; kilometres are summed in numpy; the cycle
collector is paused during a load. Each shortcut is checked here against the plain path it replaces.
"""

from __future__ import annotations

import csv
import gc
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from components.dataset import geo, validate
from components.dataset.reading import CsvTable, Problem
from components.dataset.schema import (
    EVENTS_FILE,
    PLACES_FILE,
    REQUIRED_COLUMNS,
    ROW_MODELS,
    SOURCES_FILE,
    TRIPS_FILE,
    FlatLegFeature,
    LegFeature,
)
from tests.conftest import REPO

SHIPPED = REPO / "data"
SAME = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Cells that sit on the edges of the row models' rules.
EDGES = [
    "",
    " ",
    "  padded ",
    " 2019-04-25",
    "2019-04-25 ",
    "2019-02-30",
    "24/04/2019",
    "25:61",
    "07:05",
    "a;b",
    "a; a",
    ";",
    "Has Space",
    "-x",
    "x" * 81,
    "x" * 241,
    "1e309",
    "NaN",
    "-0",
    "95",
    "-180.0",
    "true",
    "1900",
    "2101",
    "#12345g",
    "#AbCdEf",
    "https://example.org/a b",
    "https://example.org/a",
    "javascript:alert(1)",
    "RU",
    "ru",
    "000_abcdef.txt",
    "../x.txt",
    "9" * 5000,
    "１２",
    "\u00a0x\u00a0",
]


def _shipped_table(name: str) -> tuple[list[str], list[list[str]]]:
    with (SHIPPED / name).open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


@st.composite
def _tables(draw: st.DrawFn, name: str) -> CsvTable:
    """Shipped rows with some cells swapped for edge cases or cells of other rows."""
    header, rows = _shipped_table(name)
    picked = draw(st.lists(st.sampled_from(rows), min_size=1, max_size=12))
    table = []
    for row in picked:
        cells = list(row)
        for _ in range(draw(st.integers(0, 3))):
            at = draw(st.integers(0, len(header) - 1))
            cells[at] = draw(
                st.one_of(st.sampled_from(EDGES), st.sampled_from([r[at] for r in rows]), st.text(max_size=8))
            )
        table.append(cells)
    return CsvTable(tuple(header), [2 + 3 * index for index in range(len(table))], table)


def _one_row_at_a_time(name: str, table: CsvTable) -> tuple[list[Problem], list[tuple[int, dict[str, Any]]]]:
    problems: list[Problem] = []
    model = ROW_MODELS[name]
    accepted = [validate._check_row("f", name, table, at, model, problems) for at in range(len(table.rows))]
    return problems, [record for record in accepted if record is not None]


@pytest.mark.parametrize("name", [TRIPS_FILE, PLACES_FILE, SOURCES_FILE, EVENTS_FILE])
@SAME
@given(data=st.data())
def test_column_checks_agree_with_the_row_model(name: str, data: st.DataObject) -> None:
    table = data.draw(_tables(name))
    expected_problems, expected_rows = _one_row_at_a_time(name, table)
    problems: list[Problem] = []
    frame = validate._check_rows("f", name, table, ROW_MODELS[name], problems)
    assert problems == expected_problems
    assert frame.index.tolist() == [line for line, _ in expected_rows]
    got = [{key: _plain(value) for key, value in row.items()} for row in frame.to_dict("records")]
    assert got == [{key: _plain(value) for key, value in row.items()} for _, row in expected_rows]


def _plain(value: Any) -> Any:
    """A frame stores a missing text as NaN where model_dump says None."""
    return None if value is None or value != value else value


def test_a_row_the_column_checks_refuse_but_the_model_accepts_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the two ever disagree, the row model wins and the row keeps its place."""
    header, rows = _shipped_table(TRIPS_FILE)
    table = CsvTable(tuple(header), [2, 3, 4], rows[:3])
    real = validate._validate_each
    monkeypatch.setattr(
        validate,
        "_validate_each",
        lambda adapter, items: (
            ([False] * len(items), [None] * len(items)) if "kju-2019" in items else real(adapter, items)
        ),
    )
    problems: list[Problem] = []
    frame = validate._check_rows("f", TRIPS_FILE, table, ROW_MODELS[TRIPS_FILE], problems)
    assert problems == []
    assert frame.index.tolist() == [2, 3, 4]
    assert frame["trip_id"].tolist() == [row[0] for row in rows[:3]]


POSITIONS = st.one_of(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=0, max_size=4),
    st.lists(st.one_of(st.integers(-200, 200), st.booleans(), st.text(max_size=3), st.none()), max_size=4),
)


@SAME
@given(positions=st.lists(POSITIONS, min_size=0, max_size=4), geometry_type=st.sampled_from(["LineString", "Point"]))
def test_flat_legs_accept_only_what_legs_accept_and_give_the_same_leg(positions: list[Any], geometry_type: str) -> None:
    feature = json.loads((SHIPPED / "routes.geojson").read_text(encoding="utf-8"))["features"][0]
    feature["geometry"] = {"type": geometry_type, "coordinates": positions}
    try:
        flat = FlatLegFeature.model_validate(feature)
    except ValidationError:
        return
    assert flat.model_dump() == LegFeature.model_validate(feature).model_dump()


def test_line_lengths_in_numpy_match_the_plain_sum() -> None:
    routes = json.loads((SHIPPED / "routes.geojson").read_text(encoding="utf-8"))["features"]
    lines = [[(lat, lon) for lon, lat in feature["geometry"]["coordinates"]] for feature in routes]
    lines += [[], [(43.1, 131.9)], [(43.1, 131.9), (43.1, 131.9)]]
    assert geo.line_lengths_km(lines) == pytest.approx(
        [geo.line_length_km(line) for line in lines], rel=1e-12, abs=1e-9
    )
    assert geo.line_lengths_km([]) == []


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_only_while_loading(enabled: bool) -> None:
    seen: list[bool] = []

    @validate.without_cyclic_gc
    def load(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("bad")

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        load(fail=False)
        with pytest.raises(ValueError, match="bad"):
            load(fail=True)
        assert seen == [False, False]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_required_columns_are_model_fields() -> None:
    """The column checks find each required column among the row model's fields."""
    for name, model in ROW_MODELS.items():
        assert set(REQUIRED_COLUMNS[name]) <= set(model.model_fields), name


def test_check_rows_reads_an_empty_table(tmp_path: Path) -> None:
    header, _ = _shipped_table(EVENTS_FILE)
    frame = validate._check_rows("f", EVENTS_FILE, CsvTable(tuple(header), [], []), ROW_MODELS[EVENTS_FILE], [])
    assert frame.empty
    assert list(frame.columns) == list(ROW_MODELS[EVENTS_FILE].model_fields)
