"""Processes seen through Linux's /proc, for the tests that signal a command's workers."""

from __future__ import annotations

import os
from pathlib import Path


def children(pid: int) -> list[bytes]:
    """The command lines of the processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append((entry / "cmdline").read_bytes())
        except (OSError, ValueError, IndexError):  # gone meanwhile, or not a process
            pass
    return found


def cpu_seconds(pid: int) -> float:
    """The CPU time `pid` and the processes under it (its workers, their forkserver) have
    used so far, user and system, in seconds (from /proc)."""
    parents, ticks = {}, {}
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if entry.name.isdigit():
                parents[int(entry.name)] = int(fields[1])
                ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):  # gone meanwhile, or not a process
            pass
    tree: set[int] = set()
    grown = {pid}
    while grown != tree:  # a generation more each time
        tree = grown
        grown = tree | {child for child, parent in parents.items() if parent in tree}
    return sum(ticks.get(member, 0) for member in tree) / os.sysconf("SC_CLK_TCK")


def in_group(pgid: int) -> list[bytes]:
    """The command lines of the processes in process group `pgid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if entry.name.isdigit() and int(fields[2]) == pgid:
                found.append((entry / "cmdline").read_bytes())
        except (OSError, ValueError, IndexError):  # gone meanwhile, or not a process
            pass
    return found
