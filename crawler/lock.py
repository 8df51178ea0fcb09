"""One crawl per database at a time: an exclusive ``flock`` on ``<db>.lock``.

The lock belongs to the open file, so it dies with the process: a crawl killed with
SIGKILL (or a reboot) never leaves a stale lock behind, and the next run needs no clean-up.
The file holds the pid and start time of the holder, for the message a second run prints.
The lock file sits beside the real database file, whatever symlinks lead to it.

    with crawl_lock(Path("news.db")):
        ...  # the crawl
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crawler.discovery import utc_now


class LockedError(Exception):
    """Another crawl holds the database; the message is one line."""


def lock_path(db: Path) -> Path:
    """`<db>.lock` beside the database file itself: a symlink to the database, or a path
    through a symlinked folder, names the same lock. (A hard link does not.)"""
    db = Path(db).resolve()
    return db.with_name(db.name + ".lock")


@contextmanager
def crawl_lock(db: Path) -> Iterator[Path]:
    """Hold the database's lock for the block; LockedError at once if another run has it."""
    path = lock_path(Path(db))
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise LockedError(f"another crawl is running on {db} ({holder}); "
                              f"lock file {path}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {utc_now()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # releases the lock


def is_held(db: Path) -> bool:
    """Whether a crawl holds the database's lock now (a killed crawl's lock died with it).

    Read from Linux's /proc/locks, which takes no lock: a crawl starting at that moment is
    never refused. Elsewhere, a shared lock taken and dropped at once, which a running
    crawl's refuses (and which, for those microseconds, a starting crawl would meet)."""
    path = lock_path(Path(db))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    try:
        table = Path("/proc/locks").read_text()
    except OSError:
        table = None
    if table is not None:
        file_id = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        return any(fields[1:3] == ["FLOCK", "ADVISORY"] and file_id in fields[4:6]
                   for fields in map(str.split, table.splitlines()) if len(fields) >= 6)
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # drops the shared lock, if taken
    return False
