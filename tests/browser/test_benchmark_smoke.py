"""The benchmark runs end to end at tiny sizes: every part of the table is measured, nothing crashes.

Figures are printed, never asserted: speed is measured, not hoped, and never a pass/fail test.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_benchmark_smoke_run_prints_every_part() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--smoke"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    print(done.stdout)
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ") and not line.startswith("| part")]
    parts = {row.split("|")[1].strip() for row in rows}
    assert parts == {"rerun", "browser", "scale", "load"}, done.stdout
    assert any("readers for" in row for row in rows)
