"""The map's regions (bounding boxes, the default view, label and rail extents) from ``regions.json``.

One data file read by the map and by the scripts that build its files, so a new trip far away widens the
regions in one place. Standard library only: the scripts read it without the app's dependencies.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

REGIONS_FILE = Path(__file__).resolve().parent / "regions.json"
BBox = tuple[float, float, float, float]  # west, south, east, north


@cache
def regions() -> dict[str, Any]:
    return dict(json.loads(REGIONS_FILE.read_text(encoding="utf-8")))


def bbox(name: str) -> BBox:
    """A region's box, [west, south, east, north]."""
    west, south, east, north = regions()[name]["bbox"]
    return (float(west), float(south), float(east), float(north))


def boxes(name: str) -> tuple[BBox, ...]:
    """A region made of several boxes."""
    return tuple((float(w), float(s), float(e), float(n)) for w, s, e, n in regions()[name]["boxes"])
