"""The scale benchmarks' generator writes a whole, valid dataset, the same one for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate
from components.dataset import check_dataset, load_dataset
from components.dataset.schema import DATA_FILES


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, 300, seed=7)
    return folder


def test_a_generated_dataset_has_every_file_and_validates(generated: Path) -> None:
    assert sorted(path.name for path in generated.iterdir()) == sorted(DATA_FILES)
    assert [str(problem) for problem in check_dataset(generated).problems] == []


def test_a_generated_dataset_has_the_size_asked_for_and_cites_only_its_own_sources(generated: Path) -> None:
    dataset = load_dataset(generated)
    assert len(dataset.events) == 300
    cited = {source for ids in dataset.events["source_ids"] for source in ids}
    assert cited <= set(dataset.sources["source_id"])
    assert set(dataset.events["place_id"]) <= set(dataset.places["place_id"])
    # Every copy of a trip with a route has its route; a shipped trip without one (a visit whose flight is
    # not drawn) stays without.
    shipped = load_dataset()
    routed = set(shipped.legs["trip_id"])
    expected = {trip for trip in dataset.trips["trip_id"] if trip.split("-g")[0] in routed}
    assert set(dataset.legs["trip_id"]) == expected


def test_the_same_seed_gives_the_same_files(generated: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    counts = generate(again, 300, seed=7)
    generate(other, 300, seed=8)
    dataset = load_dataset(generated)
    sizes = {"trips": dataset.trips, "places": dataset.places, "events": dataset.events, "legs": dataset.legs}
    assert counts == {name: len(frame) for name, frame in sizes.items()}
    for name in DATA_FILES:
        assert (again / name).read_bytes() == (generated / name).read_bytes(), name
    assert (other / "places.csv").read_bytes() != (generated / "places.csv").read_bytes()
