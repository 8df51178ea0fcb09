"""Storage: one SQLite file (WAL) of pages, articles and runs, as plain functions.

Every function takes a `sqlite_utils.Database`. The schema is built by recorded
migrations (table `migrations`), never by adding columns on the fly. See docs/schema.md.

    db = open_db("news.db")
    run_id = start_run(db, {"start_urls": ["https://news.example.com/"]})
    write_batch(db, [page_row(item, run_id)], [article_row(article, item, run_id)])
    finish_run(db, run_id, "ok", {"pages_fetched": 1, "articles_stored": 1})

Transactions that write use `write_lock` (BEGIN IMMEDIATE, or a savepoint of one already
open): with sqlite-utils 4, `db.execute()` commits a statement that opened an implicit
transaction, so `with db.conn:` would not make a batch atomic.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from crawler import data_views, frontier, near_duplicates
from crawler.digests import body_digest, text_digest
from crawler.sql import select_in
from crawler.urlpolicy import bare_host
from extractors.text import word_count

SCHEMA_VERSION = 19  # len(MIGRATIONS)
RUN_STATUSES = ("running", "ok", "partial", "failed", "interrupted")
RUN_COUNTS = ("pages_fetched", "articles_stored", "pages_skipped", "errors")
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

# The tables as migration 0001 creates them; write_batch binds these columns. A later
# migration that adds a column must give 0001 its own frozen copy before extending these.
PAGE_COLUMNS: dict[str, type] = {
    "url": str, "requested_url": str, "site": str, "status": int, "content_type": str,
    "headers": str, "fetched_at": str, "body": bytes, "body_size": int, "body_sha256": str,
    "depth": int, "source": str, "is_article": int, "extract_error": str, "run_id": int,
}  # fmt: skip
ARTICLE_COLUMNS: dict[str, type] = {
    "url": str, "page_url": str, "site": str, "title": str, "authors": str,
    "published": str, "language": str, "description": str, "text": str, "word_count": int,
    "paywall": str, "text_source": str, "rule": str, "removed": str, "content_hash": str,
    "extractor_version": str, "first_seen": str, "last_seen": str, "run_id": int,
    "updated_at": str,
}  # fmt: skip
ARTICLE_COLUMNS_0001 = dict(ARTICLE_COLUMNS)  # frozen: what 0001 creates
ARTICLE_COLUMNS["extracted_at"] = str  # added by 0004_extracted_at
ARTICLE_COLUMNS["gone_at"] = str  # added by 0006_gone_at
ARTICLE_COLUMNS["minhash"] = bytes  # added by 0011_minhash (0003 to 0010 had a simhash)
PAGE_NOT_NULL = ("url", "site", "status", "fetched_at", "body", "body_size", "body_sha256")
ARTICLE_NOT_NULL = ("url", "page_url", "site", "text", "content_hash", "first_seen",
                    "last_seen", "updated_at")  # fmt: skip

RUNS_SQL = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reuse an id that pages/articles point to
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed', 'interrupted')),
    options TEXT,
    pages_fetched INTEGER NOT NULL DEFAULT 0,
    articles_stored INTEGER NOT NULL DEFAULT 0,
    pages_skipped INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    counts TEXT
)"""


# A full disk (or quota), a failing one: errors that say nothing about the file or the command
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO})
DISK_ADVICE = "free some disk space or check the device, then run again"


class StorageError(Exception):
    """A database we refuse to open or a write we could not make; the message is one line.

    ``transient``: the file and the command are not to blame, but a full or failing disk or
    another connection's lock, so running again may work once that is over (the CLI's exit
    1, a failure); otherwise a person must fix the input (exit 2: not SQLite, not ours, a
    missing folder, no permission).
    """

    def __init__(self, message: str, *, transient: bool = False, damaged: bool = False):
        super().__init__(message)
        self.transient = transient
        self.damaged = damaged  # SQLite found the file corrupt: no rerun cures that


DAMAGED_ADVICE = ("the database file is damaged: check it with PRAGMA integrity_check, and"
                  " restore it from a backup or recover it with sqlite3's .recover")


def advised(error: BaseException) -> str:
    """The error in one line, with what to do about a damaged file when it is one (once:
    `unreadable` has already said it)."""
    line = one_line(error)
    return f"{line} ({DAMAGED_ADVICE})" if damaged(error) and DAMAGED_ADVICE not in line else line


def damaged(error: BaseException) -> bool:
    """Whether SQLite found the database file itself corrupt (SQLITE_CORRUPT, SQLITE_NOTADB),
    here or as the cause of a StorageError."""
    if isinstance(error, StorageError):
        return error.damaged or (error.__cause__ is not None and damaged(error.__cause__))
    return _sqlite_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def transient(error: BaseException, folder: Path | None = None) -> bool:
    """Whether running again may cure `error` (see StorageError.transient): a StorageError
    says so itself; otherwise a full or failing disk (disk_trouble), or another connection
    holding the database locked (SQLITE_BUSY, SQLITE_LOCKED)."""
    if isinstance(error, StorageError):
        return error.transient
    return disk_trouble(error, folder) or _sqlite_code(error) in (sqlite3.SQLITE_BUSY,
                                                                  sqlite3.SQLITE_LOCKED)


def disk_trouble(error: BaseException, folder: Path | None = None) -> bool:
    """Whether a full or failing disk is to blame for `error`: an OSError ENOSPC, EDQUOT or
    EIO; SQLite's SQLITE_FULL ("database or disk is full") or SQLITE_IOERR ("disk I/O
    error"); its SQLITE_CANTOPEN, which does not say why, where the filesystem of `folder`
    has no block or inode left (a file cannot be created there)."""
    if isinstance(error, OSError):
        return error.errno in DISK_ERRNOS
    code = _sqlite_code(error)
    if code == sqlite3.SQLITE_CANTOPEN:
        return folder is not None and _filesystem_full(folder)
    return code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)


def read_only(error: BaseException) -> bool:
    """Whether SQLite refused a write to a database it may only read (SQLITE_READONLY: no
    permission, a read-only mount), here or as the cause of a StorageError: the input to
    fix, where another failed write is the disk's or a lock's."""
    cause = error.__cause__ if isinstance(error, StorageError) else error
    return _sqlite_code(cause) == sqlite3.SQLITE_READONLY


def _sqlite_code(error: BaseException) -> int | None:
    """The primary result code of an SQLite error (SQLITE_IOERR for SQLITE_IOERR_WRITE)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if code is not None else None


def _filesystem_full(folder: Path) -> bool:
    """Whether the filesystem holding `folder` has no block or no inode left for a user:
    a writable one that has blocks at all (/proc, /sys and read-only images report none
    free, and are no full disk)."""
    try:
        fs = os.statvfs(folder)
    except OSError:
        return False
    if fs.f_blocks == 0 or fs.f_flag & os.ST_RDONLY:
        return False
    return fs.f_bavail == 0 or (fs.f_files > 0 and fs.f_favail == 0)


def _now() -> str:
    """The current time as ISO 8601 UTC with seconds, e.g. `2026-11-28T02:30:00Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- opening ---------------------------------------------------------------------------


def crawl_db(crawler) -> str:
    """The file a crawl writes: the spider's `db` argument (`scrapy crawl news -a
    db=news.db`), else NEWSCRAWL_DB (`newscrawl crawl --db`), else news.db. The storage
    pipeline, the frontier middleware and the redirect middleware all open this one."""
    return (getattr(crawler.spider, "db", None) or crawler.settings.get("NEWSCRAWL_DB")
            or "news.db")


def open_db(path: str | Path, *, create: bool = True,
            upgrade: bool = True) -> sqlite_utils.Database:
    """Open (or create) a newscrawl database, configure it and apply pending migrations.

    Refuses with StorageError, leaving the file untouched, when the parent folder is
    missing, the file is not SQLite or is corrupt, or it is someone else's database; and,
    with `upgrade=False` (the commands that only read), when it has migrations pending: a
    reader's newer newscrawl must not move a shared database past the crawler that writes
    it. `open_db(":memory:")` gives a configured in-memory database.
    """
    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        path = Path(path)
        _check_path(path, create)
        try:
            db = sqlite_utils.Database(path)
        except sqlite3.Error as exc:  # a symlink into a missing folder, /proc, no inode left
            raise _failed(path, f"cannot open it ({one_line(exc)})", exc) from exc
    try:
        _configure(db)
        if upgrade:
            migrate(db)
        elif pending := _pending(db):
            raise StorageError(
                f"its schema is older than this newscrawl (migrations {[n for n, _ in pending]} "
                "pending); a crawl or reextract by this version upgrades it")
    except (sqlite3.Error, StorageError) as exc:
        db.close()
        raise _failed(path, one_line(exc), exc) from exc
    return db


def _failed(path: str | Path, message: str, exc: BaseException) -> StorageError:
    """The StorageError for `exc` on `path`; where the disk is to blame (a full one fails
    the first write, often a migration's), it says what to do."""
    folder = Path(path).parent
    advice = f": {DISK_ADVICE}" if disk_trouble(exc, folder) else ""
    return StorageError(f"{path}: {message}{advice}", transient=transient(exc, folder))


def check_writable(path: Path) -> None:
    """StorageError unless a run can write `path`: the file, its -wal and -shm files where
    they exist, and its folder (where SQLite keeps those and newscrawl its lock file)."""
    path = Path(path)
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK):
        raise StorageError(f"{path}: folder {folder} is not writable (SQLite keeps its -wal "
                           "and -shm files beside the database)")
    if path.is_file() and not os.access(path, os.W_OK):
        raise StorageError(f"{path}: the file is not writable")
    for suffix in ("-wal", "-shm"):  # left behind read-only (a reader's, under a 0444 file)
        companion = path.with_name(path.name + suffix)
        if companion.is_file() and not os.access(companion, os.W_OK):
            raise StorageError(f"{path}: its {suffix} file {companion} is not writable (SQLite "
                               "writes to it too): give it the database's owner and "
                               "permissions")


def _check_path(path: Path, create: bool) -> None:
    """Raise StorageError unless `path` is a new file we may create or one of our databases."""
    if not path.parent.is_dir():
        raise StorageError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a database file")
    if path.exists() and not path.is_file():
        raise StorageError(f"{path}: not a regular file (a device, a pipe...), not a database "
                           "file")
    if not path.exists():
        if not create:
            raise StorageError(f"{path}: no such database")
        return
    if path.stat().st_size:
        _check_ours(path, create)
    elif not create:  # an empty file is a database only once a crawl has made it one
        raise StorageError(f"{path}: an empty file, not a newscrawl database yet")


def unreadable(path: Path, exc: sqlite3.Error) -> StorageError:
    """Why a database could not be read, as a StorageError to raise or report. A full or
    failing disk, another connection's lock, a folder or file without the permission SQLite
    needs (it writes the -shm file even to read) is not a corrupt file: say so, lest someone
    delete a healthy database. The first two are transient: running again may work."""
    code = _sqlite_code(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        message = (f"{path}: another connection holds it locked ({exc}); try again when it "
                   "lets go (the file itself is fine)")
    elif disk_trouble(exc, Path(path).parent):
        message = (f"{path}: SQLite could not read it ({exc}): the disk is full or failing, "
                   f"the file itself may be fine; {DISK_ADVICE}")
    elif code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
        message = (f"{path}: SQLite could not open it ({exc}): check the permissions there; "
                   "the file itself may be fine")
    elif damaged(exc):
        message = f"{path}: {exc}: {DAMAGED_ADVICE}"
    else:
        message = f"{path}: unreadable or corrupt SQLite file ({exc})"
    return StorageError(message, transient=transient(exc, Path(path).parent),
                        damaged=damaged(exc))


def _check_ours(path: Path, create: bool = True) -> None:
    """Read the schema read-only; refuse a corrupt file or a database without our table
    (without `create`, also an empty one: a command that reads must not make it ours).

    Only through SQLite: a plain open() and close() of the file, while this process has a
    connection to it, drops that connection's POSIX locks (they belong to the process), and
    a reader elsewhere then takes itself for the last user and checkpoints and deletes the
    write-ahead log under the crawl (https://www.sqlite.org/howtocorrupt.html, 2.2).
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%'")}  # fmt: skip
            columns = {row[1] for row in conn.execute("PRAGMA table_info(migrations)")}
            ours = {"name", "applied_at"} <= columns
            applied = [r[0] for r in conn.execute("SELECT name FROM migrations")] if ours else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "file is not a database" in str(exc):
            raise StorageError(f"{path}: not a SQLite database") from exc
        raise unreadable(path, exc) from exc
    except sqlite3.Error as exc:
        raise unreadable(path, exc) from exc
    if not tables and not create:
        raise StorageError(f"{path}: an empty SQLite database, not a newscrawl database yet")
    if tables and not ours:
        listed = ", ".join(sorted(tables)[:5])
        raise StorageError(
            f"{path}: not a newscrawl database (tables {listed}; no 'migrations' table)"
        )
    if _unknown_migrations(applied):
        raise StorageError(f"{path}: {_newer_message(applied)}")


def _unknown_migrations(applied: list[str] | set[str]) -> list[str]:
    """Recorded migrations this code does not know: the database is from a newer version."""
    return sorted(set(applied) - {name for name, _ in MIGRATIONS})


def _newer_message(applied: list[str] | set[str]) -> str:
    """The refusal for a database made by a newer newscrawl."""
    return f"made by a newer newscrawl (unknown migrations {_unknown_migrations(applied)})"


# How long a connection waits for another one's lock before "database is locked".
BUSY_TIMEOUT_MS = 30_000
POLL_MS = 200  # wait_for_writers's wait, in steps of this
# The -wal file is cut back to this size once a checkpoint has emptied it. A reader that
# holds one snapshot through a crawl (a long query, an open transaction) keeps the crawl's
# writes from being checkpointed meanwhile, and the file grows with them (80 MB for 400
# pages); without a limit it kept that size for as long as a connection stayed open.
WAL_SIZE_LIMIT = 32 * 1024 * 1024
WAL_RETRY_S = 0.01  # _configure's wait between tries of the switch to WAL


def _configure(db: sqlite_utils.Database) -> None:
    """Set the connection pragmas: a 30 s busy timeout (first), WAL, NORMAL sync, foreign keys,
    the -wal file's size limit (`WAL_SIZE_LIMIT`).

    SQLite answers "database is locked" at once, without the busy timeout, when a new
    database is switched to WAL while another connection reads it (two commands opening a
    new file together): the switch is tried again for as long as the timeout.
    """
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if _sqlite_code(exc) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(WAL_RETRY_S)
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")


def one_line(exc: BaseException) -> str:
    """An exception message squeezed onto one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


# -- migrations ------------------------------------------------------------------------


def _create_pages(db: sqlite_utils.Database) -> None:
    """Create `pages`: every fetched URL with its zlib-compressed raw body."""
    db["pages"].create(PAGE_COLUMNS, pk="url", not_null=PAGE_NOT_NULL)
    db["pages"].create_index(["site"])
    db["pages"].create_index(["fetched_at"])


def _create_articles(db: sqlite_utils.Database) -> None:
    """Create `articles` keyed by canonical URL, its indexes and the FTS5 index with triggers.

    An INTEGER PRIMARY KEY `id` gives the FTS index stable rowids (VACUUM may renumber the
    implicit rowids of a table keyed by text); the canonical `url` is UNIQUE.
    """
    articles = db["articles"]
    articles.create({"id": int, **ARTICLE_COLUMNS_0001}, pk="id", not_null=ARTICLE_NOT_NULL)
    articles.create_index(["url"], unique=True)
    articles.create_index(["site", "published"])
    articles.create_index(["last_seen"])
    articles.enable_fts(
        ["title", "text"], fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE
    )


def _0001_initial(db: sqlite_utils.Database) -> None:
    """Migration 0001: pages, articles (+ articles_fts) and runs."""
    _create_pages(db)
    _create_articles(db)
    db.execute(RUNS_SQL)


# The full-text index's update trigger, re-indexing a row only when its title or text
# changed (sqlite-utils' fires on any update: a refetch moving last_seen, or a reextract
# rewriting every row, re-indexed every article).
FTS_UPDATE_TRIGGER = """
CREATE TRIGGER articles_au AFTER UPDATE ON articles
WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END"""


def _0004_extracted_at(db: sqlite_utils.Database) -> None:
    """Migration 0004: the index's update trigger fires only when title or text changed, and
    `articles.extracted_at`, when the row was last written by an extraction (re-extraction
    changes rows without a fetch, so `updated_at` stays), filled in without re-indexing."""
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute(FTS_UPDATE_TRIGGER.strip())
    db.execute("ALTER TABLE articles ADD COLUMN extracted_at TEXT")
    db.execute("UPDATE articles SET extracted_at = last_seen")
    db.execute("CREATE INDEX idx_articles_extracted_at ON articles(extracted_at)")


ARTICLE_SOURCES_SQL = """
CREATE TABLE article_sources (
    page_url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT,
    headers TEXT,
    fetched_at TEXT NOT NULL,
    body BLOB NOT NULL,
    body_size INTEGER NOT NULL,
    body_sha256 TEXT NOT NULL,
    run_id INTEGER,
    kept_at TEXT NOT NULL
)"""


def _0005_article_sources(db: sqlite_utils.Database) -> None:
    """Migration 0005: `article_sources`, the stored page an article was read from, kept
    when a later fetch of that page replaced it with one that gives no article (a block
    page, a consent wall, a failed extraction), so that re-extraction can still read it."""
    db.execute(ARTICLE_SOURCES_SQL.strip())
    db.execute("CREATE INDEX idx_article_sources_site ON article_sources(site)")


def _0006_gone_at(db: sqlite_utils.Database) -> None:
    """Migration 0006: `articles.gone_at`, when the article's page answered 404 or 410."""
    db.execute("ALTER TABLE articles ADD COLUMN gone_at TEXT")


def _0007_source_article(db: sqlite_utils.Database) -> None:
    """Migration 0007: `article_sources.article_url`, the article a kept page gave (so
    that re-extraction can tell a kept page from one a newer fetch replaced), and the index
    re-extraction reads the kept pages by."""
    db.execute("ALTER TABLE article_sources ADD COLUMN article_url TEXT")
    db.execute("UPDATE article_sources SET article_url = (SELECT url FROM articles "
               "WHERE articles.page_url = article_sources.page_url)")
    # a kept page whose article has moved to another page: stale under the rule before
    # this one, and with no article to judge it by under this one
    db.execute("DELETE FROM article_sources WHERE article_url IS NULL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_article_sources_fetched_at "
               "ON article_sources(fetched_at, page_url)")


# What an article deleted leaves behind (re-extraction that no longer finds it, a DELETE by
# hand), so that the article, written again later, is the same row again: same id (never
# handed to another article meanwhile), same first_seen, and its gone_at and updated_at
# where nothing since changed them. The row goes when the article comes back.
ARTICLE_TOMBSTONES_SQL = """
CREATE TABLE article_tombstones (
    url TEXT PRIMARY KEY,
    id INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    updated_at TEXT,
    content_hash TEXT,
    gone_at TEXT,
    removed_at TEXT NOT NULL
)"""
TOMBSTONE_TRIGGER_SQL = """
CREATE TRIGGER articles_tombstone AFTER DELETE ON articles BEGIN
  INSERT OR REPLACE INTO article_tombstones
    (url, id, first_seen, updated_at, content_hash, gone_at, removed_at)
    VALUES (old.url, old.id, old.first_seen, old.updated_at, old.content_hash, old.gone_at,
            strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END"""
REVIVED_TRIGGER_SQL = """
CREATE TRIGGER articles_revived AFTER INSERT ON articles BEGIN
  DELETE FROM article_tombstones WHERE url = new.url;
END"""


def _0009_article_tombstones(db: sqlite_utils.Database) -> None:
    """Migration 0009: `article_tombstones`, what a deleted article leaves so that it keeps
    its id and first_seen when it is written again (see ARTICLE_UPSERT)."""
    db.execute(ARTICLE_TOMBSTONES_SQL.strip())
    # a new article's id reads max(id) here on every write: an index, not a scan of every
    # tombstone (a re-extraction with a bad rule may leave one per article)
    db.execute("CREATE INDEX idx_article_tombstones_id ON article_tombstones(id)")
    db.execute(TOMBSTONE_TRIGGER_SQL.strip())
    db.execute(REVIVED_TRIGGER_SQL.strip())


def _0013_front_page_keys(db: sqlite_utils.Database) -> None:
    """Migration 0013: an article keyed by its site's front page but read from another page
    (its canonical link named the front page, a template's mistake `_canonical_key` now
    passes over) takes its page's URL as key; where its page has an article of its own
    already, it goes (a copy of that one)."""
    stale = [(url, page_url) for url, page_url in db.execute(
        "SELECT url, page_url FROM articles WHERE page_url != url").fetchall()
        if _is_front_page(url) and not _is_front_page(page_url)]
    for url, page_url in stale:
        if db.execute("SELECT 1 FROM articles WHERE url = ?", [page_url]).fetchone():
            db.execute("DELETE FROM articles WHERE url = ?", [url])
        else:
            db.execute("UPDATE articles SET url = ? WHERE url = ?", [page_url, url])
            db.execute("UPDATE article_sources SET article_url = ? WHERE article_url = ?"
                       " AND page_url = ?", [page_url, url, page_url])


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("0001_initial", _0001_initial),
    ("0002_frontier", frontier.migrate_0002),
    ("0003_data_views", data_views.migrate),
    ("0004_extracted_at", _0004_extracted_at),
    ("0005_article_sources", _0005_article_sources),
    ("0006_gone_at", _0006_gone_at),
    ("0007_source_article", _0007_source_article),
    ("0008_duplicate_pairs", data_views.migrate_0008),
    ("0009_article_tombstones", _0009_article_tombstones),
    ("0010_frontier_held", frontier.migrate_0010),
    ("0011_minhash", data_views.migrate_0011),
    ("0012_frontier_filters", frontier.migrate_0012),
    ("0013_front_page_keys", _0013_front_page_keys),
    ("0014_listing_reread", frontier.migrate_0014),
    ("0015_frontier_url_key", frontier.migrate_0015),
    ("0016_frontier_unfollowed", frontier.migrate_0016),
    ("0017_run_sites_revisited", frontier.migrate_0017),
    ("0018_priority_seconds", frontier.migrate_0018),
    ("0019_sitemap_nesting", frontier.migrate_0019),
]


@contextmanager
def write_lock(db: sqlite_utils.Database) -> Iterator[None]:
    """A transaction that takes the write lock before it reads (BEGIN IMMEDIATE); inside
    one already open, a savepoint of it.

    Taken first, the lock is waited for (busy_timeout) while another connection writes
    (an analyst's `sqlite3`, a script). A plain BEGIN reads first and takes it at its first
    write, and SQLite cannot wait there: should the other connection commit meanwhile, the
    snapshot read is stale and the write fails at once ("database is locked").
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.rollback()  # a failed COMMIT too: no transaction is left open behind it
        raise


def wait_for_writers(path: str | Path) -> None:
    """Open (or make) the database and wait, as long as busy_timeout allows, until no
    other connection is writing to it; StorageError (transient) if one still is. A crawl
    checks this before it starts: its first write (the run's row) would otherwise fail
    inside Scrapy, with tracebacks and no run recorded."""
    db = open_db(path)
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    try:
        db.execute(f"PRAGMA busy_timeout={POLL_MS}")  # short waits: Ctrl-C is seen between
        while True:
            try:
                with write_lock(db):
                    return
            except sqlite3.OperationalError as exc:
                if _sqlite_code(exc) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (
                        time.monotonic() >= deadline):
                    raise
    except sqlite3.Error as exc:
        raise unreadable(Path(path), exc) from exc
    finally:
        db.close()


def _pending(db: sqlite_utils.Database) -> list[tuple[str, Callable]]:
    """Migrations not yet recorded; StorageError if the database is from a newer version."""
    applied: set[str] = set()
    if db["migrations"].exists():
        applied = {row["name"] for row in db.query("SELECT name FROM migrations")}
    if _unknown_migrations(applied):
        raise StorageError(_newer_message(applied))
    return [(name, fn) for name, fn in MIGRATIONS if name not in applied]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations in order in one transaction; return the names applied.

    Idempotent: names already in `migrations` are skipped, and an up-to-date database
    is only read, so opening one never waits for a writer. Refuses (StorageError) a
    database with migrations this code does not know, i.e. one made by a newer version.
    """
    if not _pending(db):
        return []
    with write_lock(db):  # re-read under the lock: another process may have migrated
        db["migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
        pending = _pending(db)
        for name, fn in pending:
            fn(db)
            db["migrations"].insert({"name": name, "applied_at": _now()})
    return [name for name, _ in pending]


# -- runs ------------------------------------------------------------------------------


def start_run(db: sqlite_utils.Database, options: dict) -> int:
    """Record a new run with status `running`; return its id."""
    row = {"started_at": _now(), "status": "running",
           "options": json.dumps(options, sort_keys=True, default=str)}  # fmt: skip
    return int(db["runs"].insert(row).last_pk)


# A dead run's counts: what its committed batches added to run_sites, as near as they come
# to a finished run's (status.run_counts): pages_fetched counts its HTML pages and
# pages_skipped those that gave no article (a finished run's also count the answers not
# HTML, which run_sites does not keep apart from robots.txt refusals, and pages_skipped
# its extraction failures), errors the failed fetches.
_COMMITTED = (("pages_fetched", "pages"), ("articles_stored", "articles"),
              ("pages_skipped", "non_articles"), ("errors", "failed"))
_DEAD_RUN_COUNTS = ", ".join(
    f"{column} = (SELECT coalesce(sum({counted}), 0) FROM run_sites WHERE run_id = runs.id)"
    for column, counted in _COMMITTED)


def committed_counts(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """A run's counts as its committed batches left them in run_sites (as a dead run's are
    counted): for a run whose last write failed or was cut short, what it fetched and
    stored differ, and the runs row keeps what it stored."""
    sums = ", ".join(f"coalesce(sum({counted}), 0)" for _, counted in _COMMITTED)
    row = db.execute(f"SELECT {sums} FROM run_sites WHERE run_id = ?", [run_id]).fetchone()
    return {column: int(value) for (column, _), value in zip(_COMMITTED, row, strict=True)}


def close_dead_runs(db: sqlite_utils.Database) -> int:
    """Mark `interrupted` the runs still `running` (their `finished_at` stays NULL), with
    the counts of what they committed: call it holding the crawl lock, which proves their
    process died (SIGKILL, a reboot). Returns how many."""
    with write_lock(db):
        return db.execute(f"UPDATE runs SET status = 'interrupted', {_DEAD_RUN_COUNTS} "
                          "WHERE status = 'running'").rowcount


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, counts: dict) -> None:
    """Close a run: its final status, the named counters and the full stats dict as JSON."""
    if status not in RUN_STATUSES:
        raise ValueError(f"run status {status!r} is not one of {', '.join(RUN_STATUSES)}")
    updates: dict[str, Any] = {name: int(counts.get(name) or 0) for name in RUN_COUNTS}
    updates |= {"finished_at": _now(), "status": status,
                "counts": json.dumps(counts, sort_keys=True, default=str)}  # fmt: skip
    db["runs"].update(run_id, updates)


# -- rows ------------------------------------------------------------------------------


def page_row(item: dict, run_id: int) -> dict:
    """Build a `pages` row from a PageItem: body zlib-compressed, size and sha256 of the raw.

    `is_article` and `extract_error` are taken from the item when the extraction
    pipeline has set them, else NULL (not extracted).
    """
    body = bytes(item["body"])
    is_article = item.get("is_article")
    return {
        "url": item["url"],
        "requested_url": item.get("requested_url") or item["url"],
        "site": item["site"],
        "status": int(item["status"]),
        "content_type": item.get("content_type") or "",
        "headers": json.dumps(item.get("headers") or {}, ensure_ascii=False, sort_keys=True),
        "fetched_at": item["fetched_at"],
        **(item.get("body_digest") or body_digest(body)),
        "depth": item.get("depth"),
        "source": item.get("source"),
        "is_article": None if is_article is None else int(bool(is_article)),
        "extract_error": item.get("extract_error"),
        "run_id": run_id,
    }


def _canonical_key(article: dict, page: dict) -> str:
    """The article's key: its canonical URL when that is on the page's site, else the page
    URL. A canonical naming the site's front page from another page is a template's mistake
    (every story of the site would be one article, the last one stored): the page URL.

    On the page's site: on the page's host or a subdomain of it, or on a host the page's is
    a subdomain of (an AMP or mobile copy on amp.example.com naming www.example.com), the
    ``www.`` left out; or on the site's name or a subdomain of it where the name is a host
    (a config's site may be named anything: "news" is no host, and "com" no site)."""
    canonical = article.get("canonical_url") or ""
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https") or (
            _is_front_page(canonical) and not _is_front_page(page["url"])):
        return page["url"]
    host = bare_host(parts.hostname or "")
    page_host = bare_host(urlsplit(page["url"]).hostname or "")
    site = bare_host(page["site"])
    if (_within(host, page_host) or _within(page_host, host)
            or ("." in site and _within(host, site))):
        return canonical
    return page["url"]


def _within(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or a subdomain of it."""
    return bool(host) and (host == domain or host.endswith("." + domain))


def _is_front_page(url: str) -> bool:
    """Whether `url` is its host's front page (no path, no query)."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def article_row(article: dict, page: dict, run_id: int) -> dict:
    """Build an `articles` row from `Article.to_dict()` and its PageItem.

    first_seen, last_seen and updated_at are the page's fetched_at; the upsert in
    write_batch keeps first_seen and moves updated_at only when the text changed.
    extracted_at is set by write_batch, when the row is written.
    """
    text = article.get("text") or ""
    seen = page["fetched_at"]
    return {
        "url": _canonical_key(article, page),
        "page_url": page["url"],
        "site": page["site"],
        "title": article.get("title"),
        "authors": json.dumps(article.get("authors") or [], ensure_ascii=False),
        "published": article.get("published"),
        "language": article.get("language"),
        "description": article.get("description"),
        "text": text,
        "word_count": article.get("word_count") or word_count(text),
        "paywall": article.get("paywall"),
        "text_source": article.get("text_source"),
        "rule": article.get("rule"),
        "removed": json.dumps(article.get("removed") or [], ensure_ascii=False),
        **(page.get("text_digest") or text_digest(text)),
        "extractor_version": article.get("extractor_version"),
        "first_seen": seen,
        "last_seen": seen,
        "run_id": run_id,
        "updated_at": seen,
    }


# -- writing and reading ---------------------------------------------------------------


def _upsert_sql(table: str, columns: Sequence[str], sets: Sequence[str],
                values: dict[str, str] | None = None) -> str:
    """INSERT ... ON CONFLICT(url) DO UPDATE SET `sets`; each column's value is its named
    parameter, or its SQL expression in `values`."""
    given = [(values or {}).get(c, ":" + c) for c in columns]
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(given)}) "
            f"ON CONFLICT(url) DO UPDATE SET {', '.join(sets)}")  # fmt: skip


_TOMBSTONE = "(SELECT {} FROM article_tombstones WHERE url = :url)"
# A new article's id: one no article and no tombstone has had (SQLite's own choice, the
# largest id + 1, would hand a deleted article's id to the next article written).
_NEW_ID = ("(SELECT max(m) FROM (SELECT max(id) AS m FROM articles "
           "UNION ALL SELECT max(id) FROM article_tombstones)) + 1")
# A deleted article written again (migration 0009): its id, first_seen, updated_at while the
# text is the same, and gone_at unless this write is a fetch after it went.
REVIVED = {
    "id": f"coalesce({_TOMBSTONE.format('id')}, {_NEW_ID})",
    "first_seen": f"coalesce({_TOMBSTONE.format('first_seen')}, :first_seen)",
    "updated_at": (f"CASE WHEN {_TOMBSTONE.format('content_hash')} IS :content_hash "
                   f"THEN {_TOMBSTONE.format('updated_at')} ELSE :updated_at END"),
    "gone_at": ("(SELECT gone_at FROM article_tombstones WHERE url = :url "
                "AND NOT :last_seen > gone_at)"),
}


def _article_upsert_sql() -> str:
    """INSERT ... ON CONFLICT(url) DO UPDATE of every column but first_seen.

    updated_at moves only when content_hash differs; gone_at is cleared only by a fetch
    after it. sqlite-utils' upsert would overwrite first_seen, hence plain SQL here. An
    article deleted and written again is its old row again (`REVIVED`).
    """
    columns = ["id", *ARTICLE_COLUMNS]
    written = [c for c in ARTICLE_COLUMNS
               if c not in ("url", "first_seen", "updated_at", "gone_at", "extracted_at")]
    sets = [f"{c} = excluded.{c}" for c in written]
    sets.append("updated_at = CASE WHEN articles.content_hash IS excluded.content_hash "
                "THEN articles.updated_at ELSE excluded.updated_at END")  # fmt: skip
    # back only when fetched again after it went (not when re-extracted from a stored page)
    back = "excluded.last_seen > articles.gone_at"
    sets.append(f"gone_at = CASE WHEN {back} THEN NULL ELSE articles.gone_at END")
    # moved only by a write that changes the row: an incremental export keyed on it must
    # not take every row again after a re-extraction that changed nothing
    same = " AND ".join(f"articles.{c} IS excluded.{c}" for c in written)
    sets.append(f"extracted_at = CASE WHEN {same} AND NOT coalesce({back}, 0) "
                "THEN articles.extracted_at ELSE excluded.extracted_at END")
    return _upsert_sql("articles", columns, sets, REVIVED)


ARTICLE_UPSERT = _article_upsert_sql()
# A refetched page replaces the stored one. One statement for every batch: sqlite-utils'
# upsert_all writes one multi-row INSERT per batch, a different SQL text for each batch size,
# and the connection caches a prepared statement for each (45 MB after 2,000 pages).
PAGE_UPSERT = _upsert_sql("pages", PAGE_COLUMNS, [f"{c} = excluded.{c}" for c in PAGE_COLUMNS
                                                  if c != "url"])


# The article a page gave under its old canonical URL, unless that URL is another stored
# page (an AMP copy that wrote /story last must not take /story's own article with it),
# takes the new URL (the site changed the page's slug): the same article, its id and
# first_seen kept, updated_at moved only if its text changed (ARTICLE_UPSERT then finds
# it). Where an article already has the new URL, or had it (a tombstone: that article
# comes back as itself), the old one goes (MOVED_ARTICLE_DELETE). Run after PAGE_UPSERT,
# so that a story page first stored in the same batch counts as one.
# The rename is a change to the row, as any column's: it moves extracted_at (a re-extraction
# renames without a fetch, so the upsert that follows finds nothing else changed).
MOVED_ARTICLE_RENAME = ("UPDATE articles SET url = :url, extracted_at = :written "
                        "WHERE page_url = :page_url "
                        "AND url != :url AND NOT EXISTS (SELECT 1 FROM articles AS taken "
                        "WHERE taken.url = :url) AND NOT EXISTS (SELECT 1 FROM "
                        "article_tombstones WHERE article_tombstones.url = :url) "
                        "AND NOT EXISTS (SELECT 1 FROM pages "
                        "WHERE pages.url = articles.url AND pages.url != :page_url)")
MOVED_SOURCE_RENAME = ("UPDATE article_sources SET article_url = :url "
                       "WHERE page_url = :page_url AND article_url IS NOT :url")
MOVED_ARTICLE_DELETE = ("DELETE FROM articles WHERE page_url = :page_url AND url != :url "
                        "AND NOT EXISTS (SELECT 1 FROM pages WHERE pages.url = articles.url "
                        "AND pages.url != :page_url)")


# Before a page is replaced by a fetch that gives no article: keep the stored page if an
# article was read from it (last seen at its fetch) and the new body is another one.
KEEP_SOURCE = ("INSERT OR REPLACE INTO article_sources (page_url, site, status, content_type, "
               "headers, fetched_at, body, body_size, body_sha256, run_id, kept_at, "
               "article_url) "
               "SELECT pages.url, pages.site, status, content_type, headers, fetched_at, body, "
               "body_size, body_sha256, pages.run_id, :kept_at, articles.url FROM pages "
               "JOIN articles ON articles.page_url = pages.url "
               "AND articles.last_seen = pages.fetched_at WHERE pages.url = :url "
               "AND body_sha256 IS NOT :body_sha256")
# A page that gives its article again is that article's source again.
DROP_SOURCE = "DELETE FROM article_sources WHERE page_url = :page_url"


def own_keys(db: sqlite_utils.Database, articles: list[dict]) -> list[dict]:
    """The article rows, each keyed by its page's URL where its canonical URL is the key of
    an article another page gave that shares little of its text with it (`_shared`): a
    template naming another story, a story that named another for a while. Written under
    that key, it took the other story's article, whose own page was not fetched again to
    take it back. An AMP, print or syndicated copy shares its story's text, all of it or
    the teaser a paywalled page shows (or the part a live story had when first read)."""
    named = [row for row in articles if row["url"] != row["page_url"] and row.get("minhash")]
    if not named:
        return articles
    found = {url: (page, value, words) for url, page, value, words in select_in(
        db.conn, "SELECT url, page_url, minhash, word_count FROM articles"
        " WHERE minhash IS NOT NULL AND url IN ({})", [row["url"] for row in named])}
    # a key no stored article has: the first page of the batch that names it holds it, as
    # if the batch's pages were written one at a time (the story's canonical may be spelled
    # otherwise than the URL it was fetched at: www., a final slash), unless the story's
    # own page, at that very URL, is in the batch: that page gives the article its key
    first: dict[str, tuple] = {}
    for row in named:
        first.setdefault(row["url"], (row["page_url"], row["minhash"],
                                      row.get("word_count") or 0))
    found = first | found | {
        row["url"]: (row["page_url"], row["minhash"], row.get("word_count") or 0)
        for row in articles if row["url"] == row["page_url"] and row.get("minhash")}
    rows = []
    for row in articles:
        page, value, words = found.get(row["url"], (row["page_url"], None, 0))
        if (value is not None and page != row["page_url"] and row.get("minhash")
                and _shared(value, words, row["minhash"], row.get("word_count") or 0)
                < near_duplicates.SIMILAR):
            row = row | {"url": row["page_url"]}
        rows.append(row)
    return rows


def _shared(a: bytes, a_words: int, b: bytes, b_words: int) -> float:
    """The share of the shorter text's 3-grams the other holds too, from the two MinHashes
    (their Jaccard similarity J) and the texts' lengths (about their numbers of 3-grams):
    |A and B| = J (|A| + |B|) / (1 + J)."""
    jaccard = near_duplicates.similarity(a, b)
    shorter = max(min(a_words, b_words), 1)
    return min(jaccard * (a_words + b_words) / ((1 + jaccard) * shorter), 1.0)


def write_batch(db: sqlite_utils.Database, pages: list[dict], articles: list[dict],
                also: Iterable[Callable[[sqlite_utils.Database], None]] = (), *,
                sources: bool = True,
                keyed: Callable[[list[dict]], None] | None = None) -> list[dict]:
    """Upsert pages (a refetch replaces) and articles (first_seen kept) in ONE transaction;
    return the article rows as written, each under the key it was written by (`own_keys`).

    Rows come from page_row / article_row; a missing key is stored as NULL. A page's
    article under a new canonical URL (the site changed the page's canonical link) is the
    one it gave under the old URL, moved: one article per page, its id and first_seen
    kept. A refetched page that gives no article
    (here) first moves the stored page its article was read from to `article_sources`,
    and a page that gives its article again drops it from there (`sources=False`: articles
    re-read from `article_sources`, which stay).
    Each of `also` (e.g. `frontier.FrontierBatch.write`) runs inside the same transaction,
    so the frontier flips with the pages it fetched; `keyed` is handed the article rows
    as keyed, before (what the frontier's article counts go by). Any failure rolls the
    whole batch back and raises StorageError.
    """
    page_params = [{c: row.get(c) for c in PAGE_COLUMNS} for row in pages]
    articles = own_keys(db, articles)
    if keyed is not None:
        keyed(articles)
    written = _now()  # extracted_at: when the rows are written (a crawl's or a reextract's)
    article_params = [{c: row.get(c) for c in ARTICLE_COLUMNS} | {"extracted_at": written}
                      for row in articles]
    moved = [{"page_url": row["page_url"], "url": row["url"], "written": written}
             for row in articles]
    # (a URL fetched twice in one batch is not handled: a crawl's duplicate filter never
    # fetches a URL twice, and re-extraction writes no pages)
    given = {row["page_url"] for row in articles}
    kept = [{"url": row["url"], "body_sha256": row["body_sha256"], "kept_at": written}
            for row in pages if row["url"] not in given]
    try:
        with write_lock(db):
            db.conn.executemany(KEEP_SOURCE, kept)
            db.conn.executemany(DROP_SOURCE, moved if sources else [])
            db.conn.executemany(PAGE_UPSERT, page_params)
            db.conn.executemany(MOVED_ARTICLE_RENAME, moved)
            db.conn.executemany(MOVED_SOURCE_RENAME, moved)
            hashes = _minhashes(db, [row["url"] for row in articles])
            db.conn.executemany(ARTICLE_UPSERT, article_params)
            db.conn.executemany(MOVED_ARTICLE_DELETE, moved)
            changed = [row["url"] for row in articles
                       if row["url"] not in hashes or hashes[row["url"]][1] != row.get("minhash")]
            near_duplicates.link(db.conn, [
                (article_id, hashes[url][1] if url in hashes else None, value)
                for url, (article_id, value) in _minhashes(db, changed).items()])
            for write in also:
                write(db)
    except sqlite3.Error as exc:
        raise StorageError(
            f"batch of {len(pages)} pages, {len(articles)} articles rolled back: {one_line(exc)}",
            transient=transient(exc), damaged=damaged(exc)) from exc
    return articles


def _minhashes(db: sqlite_utils.Database, urls: list[str]
               ) -> dict[str, tuple[int, bytes | None]]:
    """(id, minhash) of the stored articles at these URLs, by URL."""
    return {url: (article_id, value) for url, article_id, value in select_in(
        db.conn, "SELECT url, id, minhash FROM articles WHERE url IN ({})", urls)}


# A page gone for good (frontier.GONE_REASONS): its article is marked, not deleted.
MARK_GONE = ("UPDATE articles SET gone_at = :visited_at, extracted_at = :written "
             "WHERE page_url = :url AND gone_at IS NULL AND last_seen < :visited_at")


# A page an earlier run reached through a URL now gone or moved (a link that redirected to
# the story: the link, not the story, is what the listings name), and not fetched since:
# queued, for the next run to look whether the story is gone too (its own URL may never be
# listed, so nothing else would fetch it again).
RECHECK_REACHED = ("UPDATE frontier SET state = 'queued' WHERE state = 'fetched' AND url IN "
                   "(SELECT url FROM pages WHERE requested_url = :url AND url NOT IN (:url, :final)"
                   " AND fetched_at < :visited_at)")


# A page found unchanged (304) after it was gone, whose stored body is still the one its
# article was read from: the article is back as it was.
MARK_BACK = ("UPDATE articles SET gone_at = NULL, extracted_at = :written WHERE page_url = :url "
             "AND gone_at < :visited_at AND EXISTS (SELECT 1 FROM pages "
             "WHERE pages.url = articles.page_url AND pages.fetched_at = articles.last_seen)")


def mark_gone(db: sqlite_utils.Database, visits: Iterable[dict]) -> None:
    """Stamp `gone_at` on the articles of the pages these fetch outcomes found gone (404,
    410, or a permanent redirect to another URL: a new slug's page, whose article is stored
    under its own URL, unless it has the same canonical one; the front page a story taken
    down sends readers to; a page this run fetched already, or one off the site, where the
    redirect is not followed), and clear it where the page itself answered 304 since and its
    stored body is still the article's (a fetch that gives the article again clears it in
    the upsert). A page reached through such a URL before is queued again
    (`RECHECK_REACHED`). Inside the caller's transaction."""
    visits = [v for v in visits if v.get("visited_at")]
    written = _now()  # a change an incremental export on extracted_at must see
    gone = [{"url": v["url"], "visited_at": v["visited_at"], "written": written,
             "final": v.get("final_url") or v["url"]} for v in visits
            if (v.get("state") == "failed" and v.get("reason") in frontier.GONE_REASONS)
            or (v.get("state") == "fetched" and v.get("moved")
                and v.get("final_url") not in (None, v["url"]))
            or (v.get("state") == "skipped" and v.get("moved"))]
    db.conn.executemany(MARK_GONE, gone)
    db.conn.executemany(RECHECK_REACHED, gone)
    db.conn.executemany(MARK_BACK, [  # the URL itself answered 304, not a redirect target
        {"url": v["url"], "visited_at": v["visited_at"], "written": written} for v in visits
        if v.get("state") == "fetched" and v.get("http_status") == 304
        and v.get("final_url") in (None, v["url"])])


def stored_body(db: sqlite_utils.Database, url: str) -> bytes | None:
    """The decompressed raw body of the stored page at `url`, or None if there is none."""
    rows = list(db.query("SELECT body FROM pages WHERE url = ?", [url]))
    if not rows or rows[0]["body"] is None:
        return None
    return zlib.decompress(rows[0]["body"])


def counts(db: sqlite_utils.Database) -> dict:
    """Row counts: {"pages": n, "articles": n, "runs": n}."""
    return {name: db[name].count for name in ("pages", "articles", "runs")}
