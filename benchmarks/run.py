"""Measure the app against its targets and print one table: reruns against a bare map, the browser,
datasets of 1 k to 100 k events, and 20 readers at once.

Speed is measured, not hoped, and never a pass/fail test: the script exits 0 whatever the figures
(non-zero only when something crashes). Every comparison runs in this one process tree, the app and
its baseline alternated, so the machine's speed cancels out of the ratios.

    .venv/bin/python benchmarks/run.py                 # the full run (about 3 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --smoke         # tiny sizes, a minute: proves every part runs
    .venv/bin/python benchmarks/run.py --only rerun,browser --json figures.json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.browser import measure_browser
from benchmarks.common import Figure, table
from benchmarks.load_config import READERS_NICE
from benchmarks.load_figures import measure_load
from benchmarks.reruns import measure_reruns
from benchmarks.scale import measure_scale

SECTIONS = ("rerun", "browser", "scale", "load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves every part runs, in about a minute")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated parts of {SECTIONS}")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--readers-nice",
        type=int,
        default=READERS_NICE,
        help="load: run the readers' browser this much nicer than the server (0: compete as equals)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures, the date and the machine here")
    args = parser.parse_args(argv)
    wanted = {part.strip() for part in args.only.split(",") if part.strip()}
    smoke = args.smoke
    figures: list[Figure] = []
    crashed = False
    steps: list[tuple[str, Callable[[], list[Figure]]]] = [
        ("rerun", lambda: measure_reruns(3 if smoke else 20)),
        ("browser", lambda: measure_browser(2 if smoke else 10)),
        ("scale", lambda: measure_scale([300] if smoke else [1_000, 10_000, 100_000], 2 if smoke else 5)),
        ("load", lambda: measure_load(2 if smoke else args.sessions, 15 if smoke else args.seconds, args.readers_nice)),
    ]
    for name, step in steps:
        if name in wanted:
            print(f"measuring {name}…", file=sys.stderr)
            try:
                figures += step()
            except Exception as exc:
                logging.getLogger("benchmarks").exception("measuring %s failed", name)
                figures.append(Figure(name, "this part failed", f"{type(exc).__name__}: {exc}"[:160], "", False))
                crashed = True
    print(table(figures))
    if args.json:
        machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()}
        record = {"date": datetime.now(UTC).isoformat(), "machine": machine, "figures": [asdict(f) for f in figures]}
        args.json.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
