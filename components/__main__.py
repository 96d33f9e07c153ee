"""Command line: ``python -m components validate [DATA_DIR]``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from components.dataset.model import build_dataset, resolve_data_dir
from components.dataset.validate import check_dataset


def validate(data_dir: str | None) -> int:
    """Print every problem as ``file:line: column: message`` (exit 1) or a one-line summary (exit 0)."""
    folder = resolve_data_dir(data_dir)
    try:
        checked = check_dataset(folder)
        if checked.problems:
            for problem in checked.problems:
                print(problem)
            sys.stdout.flush()
            print(f"{len(checked.problems)} problem(s) found in {folder}", file=sys.stderr)
            return 1
        if checked.lacks_rows():
            print(f"{folder}:0: (file): the dataset needs at least one trip, place and event")
            return 1
        dataset = build_dataset(folder, checked)
    except BrokenPipeError:
        raise  # the reader stopped reading (``| head``): main() ends quietly
    except Exception as exc:  # noqa: BLE001 - the promise is one clear line, never a traceback
        print(f"{folder}:0: (internal): validation stopped unexpectedly: {type(exc).__name__}: {exc}")
        return 2
    print(f"OK {folder}: {dataset.summary()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components", description="Summit Map dataset tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a dataset folder (default: $SUMMIT_MAP_DATA or data/)")
    check.add_argument("data_dir", nargs="?", default=None, help="folder holding the five dataset files")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.data_dir)
    return 2  # pragma: no cover - argparse rejects unknown commands


def run() -> int:
    """main(), ending quietly when the output's reader goes away (``… | head -1``), as the Python docs
    advise: point stdout at devnull so the interpreter's last flush cannot fail again."""
    try:
        return main()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(run())
