"""Processes seen through Linux's /proc, for the tests that signal a command's workers."""

from __future__ import annotations

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
