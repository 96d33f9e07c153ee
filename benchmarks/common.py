"""What every part of the benchmark shares: where the app and its baseline are, a figure and the table
they make, and the helpers that drive an app under AppTest or a page in Chromium."""

from __future__ import annotations

import html
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
APP = REPO / "app.py"
BARE = REPO / "benchmarks" / "bare_app.py"
CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = 'iframe[title*="Map"]'


@dataclass
class Figure:
    """One line of the table."""

    section: str
    name: str
    measured: str
    target: str
    met: bool | None  # None: no target, a figure to read


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class _DropBareMode(logging.Filter):
    """AppTest drives the script from this thread; Streamlit warns about that on every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def quiet() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for handler in logging.root.handlers + logging.getLogger("streamlit").handlers:
        handler.addFilter(_DropBareMode())
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def apptest(script: Path, data_dir: Path | None = None):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    if data_dir is None:
        os.environ.pop("SUMMIT_MAP_DATA", None)
    else:
        os.environ["SUMMIT_MAP_DATA"] = str(data_dir)
    return AppTest.from_file(str(script), default_timeout=600)


def timed_run(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _cell(text: str) -> str:
    """A figure as a Markdown table cell: markup quoted from a page (an error's reason) stays text."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def table(figures: list[Figure]) -> str:
    lines = ["| part | figure | measured | target | met |", "|---|---|---|---|---|"]
    for f in figures:
        met = "—" if f.met is None else ("yes" if f.met else "**no**")
        cells = (_cell(f.section), _cell(f.name), _cell(f.measured), _cell(f.target), met)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
