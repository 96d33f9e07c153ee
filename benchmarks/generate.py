"""Generate a valid dataset of realistic shape at any size, for the scale benchmarks.

The shipped data has 3 trips, 41 places and about 110 events. A generated dataset keeps its
proportions: about 40 events per trip day, each trip a copy of a shipped trip moved to another
year (its legs and route lines with it), and new places scattered around the shipped ones so the
map has more places as well as more events. The same size and seed give the same files.

    python benchmarks/generate.py OUT_DIR --events 10000 [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data"
EVENTS_PER_TRIP = 35
EVENTS_PER_NEW_PLACE = 25
LINE_STEP = 10  # every tenth vertex of a copied trip's route lines
COPY_GAP_DAYS = 15  # longer than any trip, so 100,000 events stay within 2002-2070


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _shift(value: str, days: int) -> str:
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat() if value else value


def generate(out: Path, events: int, seed: int = 0, source: Path = SHIPPED) -> dict[str, int]:
    """Write trips.csv, places.csv, sources.csv, events.csv and routes.geojson to ``out``; return counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "sources.csv", out / "sources.csv")
    trip_header, trips = _read(source / "trips.csv")
    place_header, places = _read(source / "places.csv")
    event_header, shipped_events = _read(source / "events.csv")
    routes = json.loads((source / "routes.geojson").read_text(encoding="utf-8"))

    n_trips = max(len(trips), events // EVENTS_PER_TRIP)
    new_trips: list[dict[str, str]] = []
    legs: list[dict[str, object]] = []
    for index in range(n_trips):
        model = trips[index % len(trips)]
        shift = (index // len(trips)) * COPY_GAP_DAYS  # copies of one trip never overlap
        trip_id = model["trip_id"] if shift == 0 else f"{model['trip_id']}-g{index}"
        row = dict(model, trip_id=trip_id, year=_shift(model["start_date"], shift)[:4])
        for column in ("start_date", "end_date", "entry_date"):
            row[column] = _shift(model[column], shift)
        row["color"] = model["color"] if shift == 0 else ""
        new_trips.append(row)
        for feature in routes["features"]:
            props = feature["properties"]
            if props["trip_id"] != model["trip_id"]:
                continue
            moved = dict(
                props, trip_id=trip_id, depart=_shift(props["depart"], shift), arrive=_shift(props["arrive"], shift)
            )
            moved["leg_id"] = props["leg_id"] if shift == 0 else f"{props['leg_id']}-g{index}"
            geometry = feature["geometry"]
            if shift:  # copies carry lighter lines, as a tracker of many trips would
                points = geometry["coordinates"]
                geometry = {"type": geometry["type"], "coordinates": [*points[:-1:LINE_STEP], points[-1]]}
            legs.append({"type": "Feature", "properties": moved, "geometry": geometry})

    new_places = list(places)
    for index in range(events // EVENTS_PER_NEW_PLACE):
        model = places[index % len(places)]
        lat = round(float(model["lat"]) + rng.uniform(-0.2, 0.2), 6)
        lon = round(float(model["lon"]) + rng.uniform(-0.2, 0.2), 6)
        new_places.append(
            dict(
                model,
                place_id=f"{model['place_id']}-g{index}",
                name=f"{model['name']} ({index})",
                lat=str(lat),
                lon=str(lon),
            )
        )

    by_trip: dict[str, list[dict[str, str]]] = {}
    for event in shipped_events:
        by_trip.setdefault(event["trip_id"], []).append(event)
    trip_shift = {
        row["trip_id"]: (trips[i % len(trips)]["trip_id"], (i // len(trips)) * COPY_GAP_DAYS)
        for i, row in enumerate(new_trips)
    }
    rows: list[dict[str, str]] = []
    place_ids = [p["place_id"] for p in new_places]
    trip_ids = [t["trip_id"] for t in new_trips]
    for index in range(events):
        trip_id = trip_ids[index % len(trip_ids)]
        model_trip, shift = trip_shift[trip_id]
        pool = by_trip[model_trip]
        model = pool[(index // len(trip_ids)) % len(pool)]
        row = dict(
            model, trip_id=trip_id, date=_shift(model["date"], shift), event_id=f"{model['event_id'][:60]}-g{index}"
        )
        if index % 3 == 0:  # a third of the events move to another place, old or new
            row["place_id"] = rng.choice(place_ids)
        rows.append(row)

    _write(out / "trips.csv", trip_header, new_trips)
    _write(out / "places.csv", place_header, new_places)
    _write(out / "events.csv", event_header, rows)
    text = json.dumps({"type": "FeatureCollection", "features": legs}, ensure_ascii=False, separators=(",", ":"))
    (out / "routes.geojson").write_text(text, encoding="utf-8")
    return {"trips": len(new_trips), "places": len(new_places), "events": len(rows), "legs": len(legs)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    counts = generate(args.out, args.events, args.seed)
    print(", ".join(f"{value} {key}" for key, value in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
