"""Stamina under bad input: random damage to the shipped files either loads or comes back as
``file:line: column: message`` problems, never an exception; harmless changes are never rejected;
the validator's output can be cut short by a closed pipe; a 50 MB CSV gets an answer in seconds."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.dataset import Dataset, DatasetError, check_dataset, load_dataset
from components.dataset.reading import human_size
from tests.conftest import REPO

SHIPPED = REPO / "data"
# file:line: column: message on one line; a GeoJSON problem names its feature where a CSV names its line.
PROBLEM_SHAPE = re.compile(r"^.+:(\d+|feature \d+): [^:]+: .+$")
# Python refuses to convert integers longer than this (sys.get_int_max_str_digits); json.loads with it.
DIGIT_LIMIT = sys.get_int_max_str_digits()
# Every line break str.splitlines() knows, as a spreadsheet or a text editor might leave one in a cell.
LINE_BREAKS = ["\n", "\r", "\r\n", "\u2028", "\x85", "\x0b"]
HOSTILE = [
    "",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    '"unclosed',
    "1e309",
    "NaN",
    "-0",
    "9" * 400,
    "\u202eRTL",
    "\x00",
    "2019-02-30",
    "25:61",
    ";;;",
    "a,b,c",
    "\ufeff",
]
# Reproducible in CI: the same examples every run, no example database written to the checkout.
STAMINA = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SHIPPED, target)
    return target


def _loads_or_explains(folder: Path) -> None:
    """The promise: a dataset or DatasetError whose every problem has the file:line shape."""
    checked = check_dataset(folder)
    for problem in checked.problems:
        assert len(str(problem).splitlines()) == 1, str(problem)
        assert PROBLEM_SHAPE.match(str(problem)), str(problem)
        assert str(problem).startswith(str(folder)), str(problem)
    problems: list[object] = []
    try:
        load_dataset(folder)
    except DatasetError as error:
        problems = list(error.problems)
    assert problems or not checked.problems, "a dataset with problems is never loaded"


def _digits(data: st.DataObject) -> str:
    """A digit run around Python's integer-conversion limit, where ``int()`` starts to refuse."""
    return data.draw(st.sampled_from(["", "-"])) + "9" * data.draw(st.integers(DIGIT_LIMIT - 2, DIGIT_LIMIT + 700))


def _mutate_text(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    kind = data.draw(
        st.sampled_from(
            ["flip", "truncate", "delete", "duplicate", "swap", "cell", "bom", "quote", "digits", "header_break"]
        )
    )
    if kind == "flip":
        raw = bytearray(text.encode("utf-8"))
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] ^= data.draw(st.integers(1, 255))
        return raw.decode("utf-8", errors="surrogateescape")
    if kind == "truncate":
        return text[: data.draw(st.integers(0, len(text)))]
    line = data.draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[line]
    elif kind == "duplicate":
        lines.insert(line, lines[line])
    elif kind == "swap":
        other = data.draw(st.integers(0, len(lines) - 1))
        lines[line], lines[other] = lines[other], lines[line]
    elif kind == "cell":
        cells = lines[line].split(",")
        cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(st.sampled_from(HOSTILE))
        lines[line] = ",".join(cells)
    elif kind == "bom":
        lines[line] = "\ufeff" + lines[line]
    elif kind == "digits":
        cells = lines[line].split(",")
        cells[data.draw(st.integers(0, len(cells) - 1))] = _digits(data)
        lines[line] = ",".join(cells)
    elif kind == "header_break":
        cells = lines[0].split(",")
        at = data.draw(st.integers(0, len(cells) - 1))
        name = cells[at]
        cut = data.draw(st.integers(0, len(name)))
        cells[at] = f'"{name[:cut]}{data.draw(st.sampled_from(LINE_BREAKS))}{name[cut:]}"'
        cells.append(cells[at])  # twice, so the broken name is echoed back as a duplicate column
        lines[0] = ",".join(cells)
    else:
        lines[line] = lines[line].replace('"', "", 1)
    return "\n".join(lines)


# How a damaged file is saved: UTF-8, or the wide encodings a spreadsheet's "Unicode text" uses,
# with or without a byte-order mark; surrogateescape keeps a flipped byte's damage in UTF-8.
SAVED_AS = ["utf-8", "utf-8", "utf-8", "utf-16", "utf-32", "utf-16-le", "utf-32-be"]


def _save(path: Path, text: str, encoding: str) -> None:
    errors = "surrogateescape" if encoding == "utf-8" else "surrogatepass"
    path.write_bytes(text.encode(encoding, errors=errors))


@STAMINA
@given(
    name=st.sampled_from(["trips.csv", "places.csv", "sources.csv", "events.csv"]),
    encoding=st.sampled_from(SAVED_AS),
    data=st.data(),
)
def test_damaged_csv_loads_or_is_explained(tmp_path: Path, name: str, encoding: str, data: st.DataObject) -> None:
    folder = _copy(tmp_path)
    path = folder / name
    _save(path, _mutate_text(path.read_text(encoding="utf-8"), data), encoding)
    _loads_or_explains(folder)


# json.dumps cannot write an integer past Python's digit limit either: a placeholder number is swapped for it.
LONG_NUMBER_MARK = 987654321.123


def _json_mutation(document: dict, data: st.DataObject) -> object:
    features = document["features"]
    feature = features[data.draw(st.integers(0, len(features) - 1))]
    kind = data.draw(
        st.sampled_from(
            [
                "drop_key",
                "geometry_type",
                "bad_coords",
                "nan",
                "props_type",
                "not_object",
                "empty",
                "long_number",
                "altitude",
                "line_break",
            ]
        )
    )
    if kind == "drop_key":
        feature["properties"].pop(data.draw(st.sampled_from(sorted(feature["properties"]))), None)
    elif kind == "geometry_type":
        feature["geometry"]["type"] = data.draw(st.sampled_from(["Point", "Polygon", "Banana", ""]))
    elif kind == "bad_coords":
        feature["geometry"]["coordinates"] = data.draw(st.sampled_from([[], [[1]], [["a", "b"]], [[500, 95], [0, 0]]]))
    elif kind == "nan":
        feature["geometry"]["coordinates"][0] = [float("nan"), float("inf")]
    elif kind == "props_type":
        feature["properties"] = data.draw(st.sampled_from([None, [], "x", 3]))
    elif kind == "not_object":
        return data.draw(st.sampled_from([[], "text", 3, None]))
    elif kind == "long_number":
        point = feature["geometry"]["coordinates"][0]
        point[data.draw(st.integers(0, 1))] = LONG_NUMBER_MARK
    elif kind == "altitude":  # valid GeoJSON; a bad altitude must be explained
        altitude = data.draw(st.sampled_from([0, 12.5, -3, "12", None, True, float("inf")]))
        feature["geometry"]["coordinates"] = [[*point, altitude] for point in feature["geometry"]["coordinates"]]
    elif kind == "line_break":
        key = data.draw(st.sampled_from(sorted(feature["properties"])))
        value = str(feature["properties"].pop(key))
        broken = data.draw(st.sampled_from(LINE_BREAKS))
        feature["properties"][data.draw(st.sampled_from([key, f"{key}{broken}"]))] = f"{value}{broken}x"
    else:
        document["features"] = []
    return document


@STAMINA
@given(data=st.data())
def test_damaged_routes_load_or_are_explained(tmp_path: Path, data: st.DataObject) -> None:
    folder = _copy(tmp_path)
    path = folder / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(_json_mutation(document, data))
    path.write_text(text.replace(str(LONG_NUMBER_MARK), _digits(data), 1), encoding="utf-8")
    _loads_or_explains(folder)


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    seed=st.integers(0, 10_000),
    crlf=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
    altitude=st.sampled_from([None, 0, 35.5, -12]),
)
def test_harmless_changes_are_never_rejected(
    tmp_path: Path, seed: int, crlf: bool, encoding: str, altitude: float | None
) -> None:
    """Event rows in another order, Windows line ends, "Unicode text" with a byte-order mark, routes with
    altitudes (RFC 7946 §3.1.1): the same dataset, so it must load, and load the same."""
    import csv
    import io
    import random

    folder = _copy(tmp_path)
    path = folder / "events.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=False)
    # Rows may span lines inside quotes; shuffle whole records read with csv.
    records = list(csv.reader(io.StringIO("\n".join(rows) + "\n")))
    random.Random(seed).shuffle(records)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if crlf else "\n").writerows([next(csv.reader([header])), *records])
    path.write_bytes(out.getvalue().encode(encoding))
    routes = folder / "routes.geojson"
    document = json.loads(routes.read_text(encoding="utf-8"))
    if altitude is not None:
        for feature in document["features"]:
            feature["geometry"]["coordinates"] = [[*point, altitude] for point in feature["geometry"]["coordinates"]]
    routes.write_bytes(json.dumps(document, ensure_ascii=False).encode(encoding))
    loaded, shipped = load_dataset(folder), _shipped()
    assert len(loaded.events) == len(shipped.events)
    assert loaded.legs.drop(columns="file_order").equals(shipped.legs.drop(columns="file_order"))


@functools.cache
def _shipped() -> Dataset:
    return load_dataset(SHIPPED)


def test_validator_output_cut_short_ends_quietly(tmp_path: Path) -> None:
    """``python -m components validate … | head -1`` prints one line and no traceback."""
    from benchmarks.generate import generate

    folder = tmp_path / "broken"
    generate(folder, 2000)
    events = folder / "events.csv"
    events.write_text(re.sub(r",20(\d\d)-", r",2x\1-", events.read_text(encoding="utf-8")), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "components", "validate", str(folder)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what head -1 does after its line
    stderr = process.stderr.read().decode("utf-8")
    code = process.wait(timeout=120)
    assert first.startswith(str(folder).encode())
    assert "Traceback" not in stderr, stderr
    assert code == 1


def test_a_50_mb_csv_gets_an_answer_in_seconds(tmp_path: Path) -> None:
    """Loaded or refused with a clear message; the time is printed (the bound only guards against a hang)."""
    folder = _copy(tmp_path)
    path = folder / "events.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = "".join(rows)
    copies = []
    size = 0
    index = 0
    while size < 50_000_000:
        chunk = re.sub(r"^([a-z0-9-]{1,70})(?=,)", lambda m, i=index: f"{m.group(1)[:60]}-x{i}", body, flags=re.M)
        copies.append(chunk)
        size += len(chunk)
        index += 1
    path.write_text(header + "".join(copies), encoding="utf-8")
    start = time.perf_counter()
    refused = ""
    try:
        outcome = f"loaded {len(load_dataset(folder).events)} events"
    except DatasetError as error:
        refused = str(error.problems[0])
        outcome = f"refused: {refused}"
    assert not refused or PROBLEM_SHAPE.match(refused)
    took = time.perf_counter() - start
    print(f"50 MB events.csv ({path.stat().st_size / 1e6:.0f} MB): {outcome} in {took:.1f} s")
    assert took < 180, "a hang guard, not a speed target"


@pytest.mark.parametrize("name", ["events.csv", "routes.geojson"])
def test_an_oversized_file_is_refused_with_its_size(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused from its size alone (the file is never read), at line 1 like every other whole-file problem."""
    from components.dataset import reading

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    folder = _copy(tmp_path)
    size = (folder / name).stat().st_size
    read_bytes = Path.read_bytes
    monkeypatch.setattr(
        Path, "read_bytes", lambda self: pytest.fail(f"{self} was read") if self.name == name else read_bytes(self)
    )
    problems = [str(p) for p in check_dataset(folder).problems]
    assert f"{folder / name}:1: (file): file is {human_size(size)}; the limit is 1 kB" in problems, problems


def test_the_size_limit_reads_as_the_analyst_counts() -> None:
    from components.dataset import reading

    assert human_size(reading.MAX_FILE_BYTES) == "100 MB"
    assert [human_size(n) for n in (999, 1000, 69_342_216, 2_500_000_000)] == ["999 bytes", "1 kB", "69.3 MB", "2.5 GB"]
