"""``streamlit run`` on a free loopback port, polled until healthy, stopped on the way out: the one server
helper of the browser tests, the benchmarks and the README's screenshots."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    """True once Streamlit's health endpoint answers."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def refuse_web(route) -> None:  # type: ignore[no-untyped-def]
    """A Playwright route handler that lets loopback through and refuses the rest: the page is offline."""
    host = urlsplit(route.request.url).hostname or ""
    if route.request.url.startswith("http") and host not in ("127.0.0.1", "localhost"):
        route.abort()
    else:
        route.continue_()


class ServerError(RuntimeError):
    """The server exited or never became healthy; the message ends with its log."""


@contextmanager
def serve(
    script: Path,
    data_dir: Path | None = None,
    log: Path | None = None,
    launcher: Sequence[str] = (),
    timeout_s: float = STARTUP_TIMEOUT_S,
) -> Iterator[tuple[str, int]]:
    """Start ``streamlit run <script>`` (through ``launcher``, a script that wraps Streamlit's command line,
    if given) and yield its URL and process id once healthy. ``SUMMIT_MAP_DATA`` is the given data folder
    or unset; output goes to ``log`` or nowhere. Stopped, and killed if it must be, whatever happened."""
    port = free_port()
    static = script.parent / "static"
    if script.parent != REPO and not static.exists():
        static.symlink_to(REPO / "static")  # Streamlit serves static/ beside the script it runs
    env = {key: value for key, value in os.environ.items() if key != "SUMMIT_MAP_DATA"}
    if data_dir is not None:
        env["SUMMIT_MAP_DATA"] = str(data_dir)
    streamlit = list(launcher) if launcher else ["-m", "streamlit"]
    command = [sys.executable, *streamlit, "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with open(log or os.devnull, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + timeout_s
            while not healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(encoding="utf-8")[-800:] if log and log.exists() else ""
                    state = f"exited with {server.returncode}" if server.poll() is not None else "never healthy"
                    raise ServerError(f"streamlit {state} ({script.name}); {log or 'no log'}:\n{tail}")
                time.sleep(0.2)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
