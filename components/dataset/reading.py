"""Turn raw files into rows with line numbers, or into one clear problem — never an exception.

An analyst edits these files in a spreadsheet; whatever comes back (wrong encoding, binary,
stray quotes, ragged rows) must become a ``file:line: column: message`` line, not a traceback.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_COLUMN = "(file)"
ENCODING_COLUMN = "(encoding)"
CSV_COLUMN = "(csv)"
JSON_COLUMN = "(json)"
# A spreadsheet row is never this long; a bigger file is almost certainly the wrong file.
# 100,000 events with full descriptions and quotes make an events.csv of about 70 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the dataset, located as precisely as the format allows."""

    path: str
    where: str
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.where}: {self.column}: {self.message}"


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    header: tuple[str, ...]
    rows: tuple[CsvRow, ...]


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """Read a UTF-8 text file, naming the line of the first bad byte when it is not UTF-8."""
    shown = str(path)
    if not path.exists():
        return None, Problem(shown, "0", FILE_COLUMN, "file not found")
    if not path.is_file():
        return None, Problem(shown, "0", FILE_COLUMN, "is not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"
            return None, Problem(shown, "0", FILE_COLUMN, message)
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(shown, "0", FILE_COLUMN, f"cannot be read: {exc.strerror or exc}")
    if not raw.strip():
        return None, Problem(shown, "1", FILE_COLUMN, "file is empty")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, Problem(shown, str(line), ENCODING_COLUMN, "binary data (NUL byte): not a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        return None, Problem(
            shown, str(line), ENCODING_COLUMN, f"byte 0x{bad} is not valid UTF-8: save the file as UTF-8"
        )
    return text, None


def read_csv(path: Path) -> tuple[CsvTable | None, list[Problem]]:
    """Parse a CSV file strictly, keeping the line each record starts on."""
    text, problem = read_text(path)
    if problem is not None or text is None:
        return None, [problem] if problem else []
    shown = str(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = tuple(cell.strip() for cell in next(reader))
    except (csv.Error, StopIteration) as exc:
        return None, [Problem(shown, "1", CSV_COLUMN, f"unreadable header: {exc}")]
    seen: set[str] = set()
    for name in header:
        if not name:
            problems.append(Problem(shown, "1", CSV_COLUMN, "header has an empty column name"))
        elif name in seen:
            problems.append(Problem(shown, "1", name, "column appears twice in the header"))
        seen.add(name)
    if problems:
        return None, problems
    rows: list[CsvRow] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(shown, str(reader.line_num), CSV_COLUMN, f"malformed CSV: {exc}"))
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    shown,
                    str(start),
                    CSV_COLUMN,
                    f"row has {len(cells)} fields but the header has {len(header)}",
                )
            )
            continue
        rows.append(CsvRow(start, dict(zip(header, cells, strict=True))))
    return CsvTable(header, tuple(rows)), problems


def read_json(path: Path) -> tuple[Any, Problem | None]:
    """Parse a JSON file, locating a syntax error by line and character."""
    text, problem = read_text(path)
    if problem is not None or text is None:
        return None, problem
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, Problem(
            str(path), str(exc.lineno), JSON_COLUMN, f"invalid JSON at character {exc.colno}: {exc.msg}"
        )
    except RecursionError:
        return None, Problem(str(path), "1", JSON_COLUMN, "JSON is nested too deeply")
