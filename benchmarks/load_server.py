"""``streamlit run`` for the load run, noting how long each script run took on the server.

Usage: ``python benchmarks/load_server.py TIMES_FILE run app.py [streamlit options]``. Each run of the
script appends one line to TIMES_FILE: when it started (``time.monotonic``, the same clock as the load
run's), its wall time, the CPU time of its thread and how long it waited to start after its runner was
made (when the session asked for the run), in seconds. Wall time far above CPU time means the run
waited: for a core, or for the interpreter lock held by another session's run. The app is not touched;
only Streamlit's script runner is wrapped.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli


def _timed(times: Path):  # type: ignore[no-untyped-def]
    original = script_runner.ScriptRunner._run_script
    original_init = script_runner.ScriptRunner.__init__

    def init(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._load_made_at = time.monotonic()
        original_init(self, *args, **kwargs)

    def run_script(self, rerun_data) -> None:  # type: ignore[no-untyped-def]
        started, cpu = time.monotonic(), time.thread_time()
        waited = started - getattr(self, "_load_made_at", started)
        try:
            original(self, rerun_data)
        finally:
            took = time.monotonic() - started
            line = f"{started:.4f} {took:.4f} {time.thread_time() - cpu:.4f} {waited:.4f}\n"
            with times.open("a", encoding="utf-8") as out:
                out.write(line)

    script_runner.ScriptRunner.__init__ = init
    return run_script


if __name__ == "__main__":
    script_runner.ScriptRunner._run_script = _timed(Path(sys.argv[1]))
    sys.argv = ["streamlit", *sys.argv[2:]]
    sys.exit(cli.main(prog_name="streamlit"))
