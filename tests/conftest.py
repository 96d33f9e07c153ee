"""Shared fixtures: a small, valid dataset written to tmp_path that each test can break one way."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO.parent / "shared" / "seeds"

TRIPS = [
    {
        "trip_id": "kju-2019",
        "leader": "Kim Jong Un",
        "year": "2019",
        "title": "Vladivostok summit",
        "start_date": "2019-04-24",
        "end_date": "2019-04-27",
        "entry_date": "2019-04-24",
        "color": "#D55E00",
    },
    {
        "trip_id": "kju-2023",
        "leader": "Kim Jong Un",
        "year": "2023",
        "title": "Vostochny summit",
        "start_date": "2023-09-10",
        "end_date": "2023-09-19",
        "entry_date": "2023-09-12",
        "color": "",
    },
]
PLACES = [
    {
        "place_id": "khasan_station",
        "name": "Khasan station",
        "name_ru": "Хасан",
        "name_ko": "하산역",
        "lat": "42.4297",
        "lon": "130.6435",
        "kind": "station",
        "country": "RU",
    },
    {
        "place_id": "vladivostok_station",
        "name": "Vladivostok station",
        "name_ru": "Владивосток",
        "name_ko": "",
        "lat": "43.1111",
        "lon": "131.8822",
        "kind": "station",
        "country": "RU",
    },
    {
        "place_id": "vostochny",
        "name": "Vostochny Cosmodrome",
        "name_ru": "Восточный",
        "name_ko": "",
        "lat": "51.8844",
        "lon": "128.3336",
        "kind": "cosmodrome",
        "country": "RU",
    },
]
SOURCES = [
    {
        "source_id": "mt-2019",
        "publisher": "The Moscow Times",
        "title": "Summit",
        "published": "2019-04-23",
        "url": "https://www.themoscowtimes.com/x",
        "seed_file": "",
    },
    {
        "source_id": "seed-003",
        "publisher": "Unknown",
        "title": "Gifts",
        "published": "",
        "url": "",
        "seed_file": "003_b990477974c14d83.txt",
    },
]
EVENTS = [
    {
        "event_id": "e-announce",
        "trip_id": "kju-2019",
        "date": "2019-04-23",
        "place_id": "vladivostok_station",
        "category": "announcement",
        "title": "Kremlin confirms",
        "description": "Confirmed.",
        "source_ids": "mt-2019",
        "evidence": "the Kremlin confirmed on Tuesday",
        "certainty": "confirmed",
    },
    {
        "event_id": "e-khasan",
        "trip_id": "kju-2019",
        "date": "2019-04-24",
        "place_id": "khasan_station",
        "category": "arrival",
        "title": "Crosses at Khasan",
        "description": "Train enters Russia.",
        "source_ids": "mt-2019",
        "evidence": "by armored train",
        "certainty": "confirmed",
    },
    {
        "event_id": "e-vlad",
        "trip_id": "kju-2019",
        "date": "2019-04-24",
        "place_id": "vladivostok_station",
        "category": "arrival",
        "title": "Arrives in Vladivostok",
        "description": "<b>Bold</b> & brave",
        "source_ids": "mt-2019",
        "evidence": "arriving at the station",
        "certainty": "confirmed",
    },
    {
        "event_id": "e-summit",
        "trip_id": "kju-2019",
        "date": "2019-04-25",
        "place_id": "vladivostok_station",
        "category": "summit",
        "title": "Summit",
        "description": "",
        "source_ids": "mt-2019",
        "evidence": "summit",
        "certainty": "confirmed",
    },
    {
        "event_id": "e-2023-khasan",
        "trip_id": "kju-2023",
        "date": "2023-09-12",
        "place_id": "khasan_station",
        "category": "arrival",
        "title": "Crosses at Khasan 2023",
        "description": "",
        "source_ids": "seed-003",
        "evidence": "September 12",
        "certainty": "confirmed",
    },
    {
        "event_id": "e-glove",
        "trip_id": "kju-2023",
        "date": "2023-09-13",
        "place_id": "vostochny",
        "category": "gift",
        "title": "Spacesuit glove",
        "description": "",
        "source_ids": "seed-003;mt-2019",
        "evidence": "a glove from Putin's spacesuit",
        "certainty": "reported",
    },
]


def _line(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in points]}


ROUTES: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": _line((42.4297, 130.6435), (43.40, 131.90), (43.1111, 131.8822)),
            "properties": {
                "leg_id": "l19-out",
                "trip_id": "kju-2019",
                "from_place": "khasan_station",
                "to_place": "vladivostok_station",
                "depart": "2019-04-24",
                "arrive": "2019-04-24",
                "mode": "rail",
            },
        },
        {
            "type": "Feature",
            "geometry": _line((43.1111, 131.8822), (43.40, 131.90), (42.4297, 130.6435)),
            "properties": {
                "leg_id": "l19-back",
                "trip_id": "kju-2019",
                "from_place": "vladivostok_station",
                "to_place": "khasan_station",
                "depart": "2019-04-26",
                "arrive": "2019-04-27",
                "mode": "rail",
            },
        },
        {
            "type": "Feature",
            "geometry": _line((42.4297, 130.6435), (48.48, 135.07), (51.8844, 128.3336)),
            "properties": {
                "leg_id": "l23-out",
                "trip_id": "kju-2023",
                "from_place": "khasan_station",
                "to_place": "vostochny",
                "depart": "2023-09-12",
                "arrive": "2023-09-13",
                "mode": "rail",
            },
        },
    ],
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


DatasetFactory = Callable[..., Path]


@pytest.fixture
def make_dataset(tmp_path: Path) -> DatasetFactory:
    """Write the small valid dataset, with any table replaced, and return its folder."""

    def factory(**tables: Any) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        write_csv(folder / "trips.csv", tables.get("trips", TRIPS))
        write_csv(folder / "places.csv", tables.get("places", PLACES))
        write_csv(folder / "sources.csv", tables.get("sources", SOURCES))
        write_csv(folder / "events.csv", tables.get("events", EVENTS))
        (folder / "routes.geojson").write_text(json.dumps(tables.get("routes", ROUTES), indent=1), encoding="utf-8")
        return folder

    return factory
