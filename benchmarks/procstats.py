"""What the load run reads from /proc: memory of a process, and the cores each group of processes
(server, browser, driver, runner) kept busy or waiting, between two snapshots."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CpuUse:
    """Cores busy on average during the hold, by who used them."""

    server: float
    browser: float
    driver: float
    runner: float
    machine: float
    cores: int
    # Threads ready to run but waiting for a core, on average (from schedstat): a starved process shows
    # here, while one waiting on its own locks or on the network does not.
    server_waiting: float = 0.0
    browser_waiting: float = 0.0


def rss_mb(pid: int) -> float:
    """Resident memory of one process."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _processes() -> dict[int, tuple[int, str, int]]:
    """Every process: parent, command name and CPU ticks used so far (user + system)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), name, int(fields[11]) + int(fields[12]))
    return found


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine, every core."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass
class _CpuSnapshot:
    at: float
    ticks: dict[str, dict[int, int]]
    machine: tuple[int, int]
    waited: dict[str, dict[int, int]]  # per thread, nanoseconds spent waiting for a core


def _waited_ns(pids: list[int]) -> dict[int, int]:
    """Run-queue waits of every thread of these processes (the second field of schedstat)."""
    found = {}
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                found[int(task.name)] = int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return found


def _cpu_snapshot(server_pid: int) -> _CpuSnapshot:
    """CPU ticks of the server, of this process and of everything it started (driver, browser)."""
    table = _processes()
    me = os.getpid()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    groups: dict[str, dict[int, int]] = {"server": {}, "browser": {}, "driver": {}, "runner": {}}
    if server_pid in table:
        groups["server"][server_pid] = table[server_pid][2]
    groups["runner"][me] = table[me][2]
    stack = list(children.get(me, []))
    while stack:
        pid = stack.pop()
        if pid == server_pid:
            continue
        name = table[pid][1]
        group = "browser" if name.startswith(("chrom", "headless")) else "driver"
        groups[group][pid] = table[pid][2]
        stack += children.get(pid, [])
    waited = {group: _waited_ns(list(groups[group])) for group in ("server", "browser")}
    return _CpuSnapshot(time.monotonic(), groups, _machine_ticks(), waited)


def _cpu_between(start: _CpuSnapshot, end: _CpuSnapshot) -> CpuUse:
    """Average cores used between two snapshots (ticks of processes that died in between are lost)."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = max(1e-6, end.at - start.at)

    def cores(group: str) -> float:
        used = sum(ticks - start.ticks[group].get(pid, 0) for pid, ticks in end.ticks[group].items())
        return used / tick / seconds

    busy = end.machine[0] - start.machine[0]
    total = max(1, end.machine[1] - start.machine[1])
    count = os.cpu_count() or 1

    def waiting(group: str) -> float:
        waited = sum(ns - start.waited[group].get(tid, 0) for tid, ns in end.waited[group].items())
        return waited / 1e9 / seconds

    return CpuUse(
        cores("server"),
        cores("browser"),
        cores("driver"),
        cores("runner"),
        busy / total * count,
        count,
        waiting("server"),
        waiting("browser"),
    )
