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
from crawler.storage import DISK_ADVICE, StorageError, disk_trouble


class LockedError(Exception):
    """Another crawl holds the database; the message is one line."""


class LockFileError(StorageError):
    """The lock file cannot be opened or written: a permission, a read-only filesystem (bad
    input), or a full or failing disk (``transient``); the message is one line."""


def lock_path(db: Path) -> Path:
    """`<db>.lock` beside the database file itself: a symlink to the database, or a path
    through a symlinked folder, names the same lock. (A hard link does not.)"""
    db = Path(db).resolve()
    return db.with_name(db.name + ".lock")


@contextmanager
def crawl_lock(db: Path, job: str = "crawl") -> Iterator[Path]:
    """Hold the database's lock for the block; LockedError at once if another run has it,
    LockFileError if the lock file cannot be opened or written. `job`: what holds it, as
    a second run's message names it ("another reextract is running on ...")."""
    path = lock_path(Path(db))
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise _unusable(db, path, "open", error) from None
    try:
        _take(db, path, fd, job)
        yield path
    finally:
        os.close(fd)  # releases the lock


def _take(db: Path, path: Path, fd: int, job: str) -> None:
    """Lock the open lock file and write the holder in it (for a second run's message):
    "pid 12, started ..." for a crawl, "reextract: pid 12, started ..." for another job."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
        other, colon, rest = holder.partition(": ")
        other, holder = (other, rest) if colon and other.isalpha() else ("crawl", holder)
        raise LockedError(f"another {other} is running on {db} ({holder}); "
                          f"lock file {path}") from None
    except OSError as error:  # ENOLCK: a filesystem without locks
        raise _unusable(db, path, "lock", error) from None
    try:
        os.ftruncate(fd, 0)
        label = "" if job == "crawl" else f"{job}: "
        os.pwrite(fd, f"{label}pid {os.getpid()}, started {utc_now()}\n".encode(), 0)
    except OSError as error:  # a full disk: the first write of a run fails here
        raise _unusable(db, path, "write", error) from None


def _unusable(db: Path, path: Path, doing: str, error: OSError) -> LockFileError:
    """One line naming the lock file and the cause; what to do where a full disk is it."""
    disk = disk_trouble(error)
    advice = f": {DISK_ADVICE}" if disk else ""
    return LockFileError(f"{db}: cannot {doing} its lock file {path}: "
                         f"{error.strerror or error}{advice}", transient=disk)


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
