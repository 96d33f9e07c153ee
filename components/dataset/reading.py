"""Turn raw files into rows with line numbers, or into one clear problem — never an exception.

An analyst edits these files in a spreadsheet; whatever comes back (wrong encoding, binary,
stray quotes, ragged rows) must become a ``file:line: column: message`` line, not a traceback.
Text is UTF-8; a file that starts with a UTF-16 or UTF-32 byte-order mark (a spreadsheet's
"Unicode text") is read in that encoding, since the mark names it without doubt.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_COLUMN = "(file)"
ENCODING_COLUMN = "(encoding)"
CSV_COLUMN = "(csv)"
JSON_COLUMN = "(json)"
# A spreadsheet row is never this long; a bigger file is almost certainly the wrong file.
# 100,000 events with full descriptions and quotes make an events.csv of about 70 MB.
MAX_FILE_BYTES = 100_000_000
# UTF-32 first: its little-endian mark begins with UTF-16's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# Every character str.splitlines() breaks on: none may reach a problem line unescaped.
LINE_BREAKS = {ord(c): c.encode("unicode_escape").decode("ascii") for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """Escape line breaks, so one problem is always one line of output (``file:line: column: message``)."""
    return text.translate(LINE_BREAKS)


def human_size(size: int) -> str:
    """Bytes as the analyst's file manager shows them (decimal units)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the dataset, located as precisely as the format allows."""

    path: str
    where: str
    column: str
    message: str

    def __post_init__(self) -> None:
        # Anything echoed from the files (a column name, a value, even the path) may hold a line break.
        for name in ("path", "where", "column", "message"):
            object.__setattr__(self, name, one_line(getattr(self, name)))

    def __str__(self) -> str:
        return f"{self.path}:{self.where}: {self.column}: {self.message}"


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's records as cells, each with the line it starts on (a quoted cell may span lines)."""

    header: tuple[str, ...]
    lines: list[int]
    rows: list[list[str]]


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """Read a UTF-8 text file, naming the line of the first bad byte when it is not UTF-8."""
    shown = str(path)
    if not path.exists():
        return None, Problem(shown, "0", FILE_COLUMN, "file not found")
    if not path.is_file():
        return None, Problem(shown, "0", FILE_COLUMN, "is not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # checked before reading: a wrong multi-gigabyte file must not fill memory
            message = f"file is {human_size(size)}; the limit is {human_size(MAX_FILE_BYTES)}"
            return None, Problem(shown, "1", FILE_COLUMN, message)
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(shown, "0", FILE_COLUMN, f"cannot be read: {exc.strerror or exc}")
    if not raw.strip():
        return None, Problem(shown, "1", FILE_COLUMN, "file is empty")
    for mark, codec, name in BYTE_ORDER_MARKS:
        # CSV and GeoJSON punctuation is ASCII, a NUL byte in UTF-16/32: without one the mark is chance.
        if raw.startswith(mark) and b"\x00" in raw[len(mark) :]:
            return _decode_wide(shown, raw[len(mark) :], codec, name)
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        if _looks_like_utf16(raw):
            message = "looks like UTF-16 without a byte-order mark: save the file as UTF-8"
            return None, Problem(shown, "1", ENCODING_COLUMN, message)
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


def _decode_wide(shown: str, raw: bytes, codec: str, name: str) -> tuple[str | None, Problem | None]:
    """Decode a file whose byte-order mark named UTF-16 or UTF-32, locating a broken character by line."""
    try:
        return raw.decode(codec), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode(codec, errors="replace").count("\n") + 1
        return None, Problem(shown, str(line), ENCODING_COLUMN, f"not valid {name}: save the file as UTF-8")


def _looks_like_utf16(raw: bytes) -> bool:
    """Mostly-ASCII text in UTF-16 has a NUL in every other byte; binary data rarely does."""
    sample = raw[:4096]
    half = len(sample) // 2
    return half > 0 and max(sample[0::2].count(0), sample[1::2].count(0)) >= 0.9 * half


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
    lines: list[int] = []
    rows: list[list[str]] = []
    width = len(header)
    end = reader.line_num
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not "".join(cells).strip():
                continue
            if len(cells) != width:
                message = f"row has {len(cells)} fields but the header has {width}"
                problems.append(Problem(shown, str(start), CSV_COLUMN, message))
                continue
            lines.append(start)
            rows.append(cells)
    except csv.Error as exc:
        problems.append(Problem(shown, str(reader.line_num), CSV_COLUMN, f"malformed CSV: {exc}"))
    return CsvTable(header, lines, rows), problems


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
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        return None, _long_number_problem(str(path), text)


def _long_number_problem(shown: str, text: str) -> Problem:
    """Locate the number json refused for its length; no coordinate or date needs thousands of digits."""
    # An integer literal (not a float's fraction or exponent) longer than Python's limit.
    longest = sys.get_int_max_str_digits() + 1
    found = re.search(rf"(?<![\w.+-])-?(\d{{{longest},}})(?![\w.])", text)
    if found is None:
        return Problem(shown, "1", JSON_COLUMN, "invalid JSON: a number is too long")
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    digits = len(found.group(1))
    return Problem(
        shown,
        str(line),
        JSON_COLUMN,
        f"invalid JSON at character {column}: a number with {digits} digits is too long to read",
    )
