"""The crawl frontier in the same SQLite file: every URL we know, and what became of it.

States and transitions (one row per URL, ``frontier.url``, the URL as requested; its other
spellings, which Scrapy's duplicate filter takes for it, are requested as it: ``url_key``)::

    (new) --discovered--> queued --fetched (2xx, 304)-----------> fetched
                             |  --failed (404, timeout, 5xx...)--> failed
                             |  --skipped (robots.txt, not HTML)-> skipped
    fetched --listed with a lastmod newer than fetched_at--> queued
    failed (404, 410), skipped (a redirect's) --listed with a lastmod newer than
              visited_at--> queued
    failed  --a later run: attempts < MAX_ATTEMPTS, a listing, or backed off--> re-visited
    skipped --a later run, SKIPPED_RETRY_DAYS after the skip (robots.txt, a refused
              address: always)--> re-visited

An entry dated before ``--since`` is discovered (queued, with its dates) but not fetched, and
a run resumes it only when its ``--since`` (if any) lets that date in.

``attempts`` counts *consecutive* failed fetches: a successful (or skipped) visit resets it,
so a listing fetched every run is not one timeout away from being dropped. A transient
failure is never given up for good: after MAX_ATTEMPTS runs in a row it waits
FAILED_RETRY_HOURS, doubling with each further failure up to SKIPPED_RETRY_DAYS (a site
down for three runs of a 15-minute timer must not lose what it had queued), and a listing
that failed (a section page, a sitemap, a feed) is tried again every run, like any listing.

A row stays ``queued`` until the outcome of its fetch is committed, and the outcome is
committed in the same transaction as the page and article rows it produced *and* the rows
of the URLs that page listed (``FrontierBatch.write`` runs inside ``storage.write_batch``).
So a crawl killed at any moment (SIGKILL) loses nothing: whatever was not committed is
still ``queued`` and the next run fetches it; whatever was committed is never fetched again
(unless it changed), so no article is written twice.

Listings are re-visited every run: start URLs, robots.txt, sitemaps, feeds and HTML pages
that are not articles (sections, the homepage) - ``REVISIT_KINDS`` - (an earlier run's start
URL that the run's are not, only when linked again) with a conditional GET
(``If-None-Match`` / ``If-Modified-Since`` from the stored validators) so an unchanged one
costs a 304. Articles are fetched once, and again only when a sitemap says they changed.

Two halves, so another queue (scrapy-redis) can stand in for the read half later:
``SQLiteFrontier`` reads (``get``, ``pending``) on its own connection, and ``FrontierBatch``
collects outcomes and discoveries for the single writer (the storage pipeline).
"""

from __future__ import annotations

import heapq
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import sqlite_utils

from crawler.listings import EPOCH_2000, LISTING_FLOOR, is_listing
from crawler.urlpolicy import bare_host, url_key

STATES = ("queued", "fetched", "failed", "skipped")
REVISIT_KINDS = ("hub", "feed", "sitemap", "robots")
# (http_304: a 304 to a request without validators, a cache's fault; http_204: No Content,
# a site in maintenance: `NewsSpider.parse`)
RETRYABLE_PREFIXES = ("timeout", "connection", "dns", "http_5", "http_429", "http_403",
                      "http_408", "http_304", "http_204", "cancelled", "bad_gzip",
                      "other")  # fmt: skip
MAX_ATTEMPTS = 3  # consecutive failures before a transient failure backs off
FAILED_RETRY_HOURS = 6  # the first back-off, doubled for each further failure
SKIPPED_RETRY_DAYS = 7  # NEWSCRAWL_SKIPPED_RETRY_DAYS: a skip for a passing cause is retried
FINAL_SKIPS = ("not_html",)  # skip reasons that do not pass: never re-admitted
# Skip reasons re-admitted every run: a refused address is a run's address policy (a run
# without --allow-private, an allowed network since added, a DNS answer since changed), a
# denied URL its site's allow / deny patterns (since loosened?), and refusing either again
# costs no request.
EVERY_RUN_SKIPS = ("refused", "denied")
# Skip reasons that keep a listing waiting as any other page: over the size limit (read
# again after SKIPPED_RETRY_DAYS, not downloaded every run). Not `not_html`: a sitemap or feed
# that once answered a body that is none (an empty 200 in a deploy, an error document) is
# read again next run, as after a 404; skipped for good, the stories listed only there were
# never found.
LISTING_WAITS = ("too_large",)
# `filters` of a page whose links were not followed (the depth limit): a run whose limits
# would follow them fetches it again (`SQLiteFrontier.unfollowed`; an article is not
# re-visited otherwise) and reads it in full, not as a 304 (`scheduling.add_validators`).
UNFOLLOWED = "unfollowed"
NO_LIMIT = 1 << 62  # a depth no row has
GONE_REASONS = ("http_404", "http_410")  # a page gone for good: its article is marked gone
# Skips of a URL that redirected: to one this run had requested, off the site, into a loop.
# A listing dating an edit after the skip brings it back, as it does a fetched page.
REDIRECT_SKIPS = ("redirect_duplicate", "offsite", "redirect_loop")
PAGE_SIZE = 500  # rows per statement when reading the frontier in bulk
# a row's date as listings.Entry.newest has it: the later of lastmod and published ('' none)
NEWEST_SQL = "max(coalesce(lastmod, ''), coalesce(published, ''))"
# run_sites' counts: those migration 0002 created it with, and those added since
FIRST_SITE_COUNTS = ("discovered", "fetched", "not_modified", "pages", "articles",
                     "non_articles", "paywalled", "failed", "skipped", "http_403", "http_429",
                     "http_5xx")  # fmt: skip
SITE_COUNTS = (*FIRST_SITE_COUNTS, "revisited")  # 0017_run_sites_revisited
PAYWALLED = ("metered", "truncated", "hard")

FRONTIER_SQL = """
CREATE TABLE frontier (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    source TEXT NOT NULL,
    depth INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'fetched', 'failed', 'skipped')),
    kind TEXT,
    priority INTEGER NOT NULL DEFAULT 0,
    discovered_at TEXT NOT NULL,
    lastmod TEXT,
    published TEXT,
    title TEXT,
    language TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT,
    http_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    reason TEXT,
    visited_at TEXT,
    run_id INTEGER
)"""
RUN_SITES_SQL = f"""
CREATE TABLE run_sites (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    site TEXT NOT NULL,
    {", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in FIRST_SITE_COUNTS)},
    PRIMARY KEY (run_id, site)
)"""
RUN_SITE_FAILURES_SQL = """
CREATE TABLE run_site_failures (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    site TEXT NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, site, reason)
)"""


def migrate_0012(db: sqlite_utils.Database) -> None:
    """Migration 0012_frontier_filters: `frontier.filters`, the digest of the site's allow /
    deny / link_heuristics when the URL was last fetched (`crawler.config.SiteSpec.filters`).
    A listing fetched under other filters than its site's now is read in full, not made
    conditional: the entries the old filters left out were never recorded. NULL (the rows
    fetched before the column, and those never fetched) makes no difference."""
    db.execute("ALTER TABLE frontier ADD COLUMN filters TEXT")


def migrate_0014(db: sqlite_utils.Database) -> None:
    """Migration 0014_listing_reread: `frontier.reread_at`, for a sitemap or feed whose last
    reading dated an entry's edit ahead of our clock (a date-only lastmod is its day's last
    second), the earliest such date: once it is past, the listing is read in full, not
    made conditional, so that a 304 does not hide the edit. And an index on
    `pages(requested_url)`, which `storage.RECHECK_REACHED` looks a gone URL up in."""
    db.execute("ALTER TABLE frontier ADD COLUMN reread_at TEXT")
    db.execute("CREATE INDEX idx_pages_requested_url ON pages(requested_url)")


def migrate_0015(db: sqlite_utils.Database) -> None:
    """Migration 0015_frontier_url_key: `frontier.url_key`, the URL as Scrapy's duplicate
    filter compares it where that is not the URL itself (`crawler.urlpolicy.url_key`), and
    a partial index on it. A link to a known URL spelled otherwise (its query's parameters
    in another order, other percent-escapes) is requested under the spelling the frontier
    has (`SQLiteFrontier.get_many`): before, it was a second row, left queued by the
    duplicate filter in the run that found it and fetched as a second page by the next.
    Such rows, queued and never fetched, are deleted where the frontier has the document
    under another spelling that was fetched (or failed: it is tried again), and else all
    but the first recorded (which keeps the least `held` of them); a spelling skipped takes
    none's place."""
    db.execute("ALTER TABLE frontier ADD COLUMN url_key TEXT")
    db.conn.create_function("newscrawl_url_key", 1, url_key, deterministic=True)
    db.execute("UPDATE frontier SET url_key = newscrawl_url_key(url)")
    db.execute("CREATE INDEX idx_frontier_url_key ON frontier(url_key) WHERE url_key IS NOT NULL")
    keys = [key for (key,) in db.execute(
        "SELECT DISTINCT url_key FROM frontier WHERE url_key IS NOT NULL").fetchall()]
    for key in keys:
        rows = db.execute("SELECT rowid, state, fetched_at, held FROM frontier"
                          " WHERE url = ? OR url_key = ? ORDER BY rowid", [key, key]).fetchall()
        waiting = [(rowid, held) for rowid, state, fetched_at, held in rows
                   if state == "queued" and fetched_at is None]
        if waiting and not any(state in ("fetched", "failed") or fetched_at is not None
                               for _, state, fetched_at, _ in rows):
            (kept, _), *waiting = waiting
            db.execute("UPDATE frontier SET held = min(held, ?) WHERE rowid = ?",
                       [min((held for _, held in waiting), default=1), kept])
        db.conn.executemany("DELETE FROM frontier WHERE rowid = ?", [(r,) for r, _ in waiting])


def migrate_0016(db: sqlite_utils.Database) -> None:
    """Migration 0016_frontier_unfollowed: a partial index on the pages whose links a depth
    limit left unread (`filters` is `UNFOLLOWED`), by site and state in reading order, for
    `SQLiteFrontier.unfollowed` to read at the start of every run without a scan or a
    sort."""
    db.execute("CREATE INDEX idx_frontier_unfollowed ON frontier(site, state, priority DESC, url)"
               f" WHERE filters = '{UNFOLLOWED}'")


def migrate_0017(db: sqlite_utils.Database) -> None:
    """Migration 0017_run_sites_revisited: `run_sites.revisited`, the pages among `pages`
    that were section pages read again (not fresh pages: a site's yield leaves them out).
    Earlier runs count none."""
    db.execute("ALTER TABLE run_sites ADD COLUMN revisited INTEGER NOT NULL DEFAULT 0")


def migrate_0019(db: sqlite_utils.Database) -> None:
    """Migration 0019_sitemap_nesting: `frontier.nesting`, for a sitemap an index listed,
    how many indexes lead to it (NULL: none, or not a sitemap). A run reads the sitemaps
    it knows from the frontier again: without the count, each run of an endless chain of
    indexes went four deeper than the last."""
    db.execute("ALTER TABLE frontier ADD COLUMN nesting INTEGER")


def migrate_0018(db: sqlite_utils.Database) -> None:
    """Migration 0018_priority_seconds: an entry's `priority` counts seconds since 2000, no
    longer hours, so that the stories of one hour are read newest first too (they were
    taken by URL). A dated row gets its date's second where its hour was its priority (else
    the hour's first second: a higher priority from another listing); a listing (10,000,000
    and up until now) keeps its place above them all; links (0, or below with Scrapy's
    DEPTH_PRIORITY) stay. The values are those of 0018 (listings.LISTING_PRIORITY then)."""
    epoch = int(EPOCH_2000.timestamp())
    second = f"CAST(strftime('%s', {NEWEST_SQL}) AS INTEGER) - {epoch}"
    db.execute(f"""UPDATE frontier SET priority = CASE
        WHEN priority >= 5000000 THEN priority - 10000000 + 100000000000
        WHEN priority > 0 AND {NEWEST_SQL} != '' AND ({second}) / 3600 = priority
            THEN {second}
        ELSE priority * 3600 END
        WHERE priority > 0""")


def migrate_0010(db: sqlite_utils.Database) -> None:
    """Migration 0010_frontier_held: `frontier.held`, 1 for a sitemap or feed entry that
    `--since` held back and nothing else has asked for since (a link, a listing's entry in
    range): the runs whose `--since` excludes its date leave it queued. The rows not yet
    fetched that have a date are held, as every dated row was before the column: a run
    with `--since` after the upgrade does not fetch the backlog earlier runs held back."""
    db.execute("ALTER TABLE frontier ADD COLUMN held INTEGER NOT NULL DEFAULT 0")
    db.execute(f"UPDATE frontier SET held = 1 WHERE state != 'fetched' AND {NEWEST_SQL} != ''")


def migrate_0002(db: sqlite_utils.Database) -> None:
    """Migration 0002_frontier: frontier, run_sites and run_site_failures."""
    db.execute(FRONTIER_SQL)
    db.execute("CREATE INDEX idx_frontier_site_state ON frontier(site, state, priority)")
    db.execute(RUN_SITES_SQL)
    db.execute(RUN_SITE_FAILURES_SQL)


# -- the read half --------------------------------------------------------------------


class Frontier(Protocol):
    """What the scheduling middleware needs from a frontier."""

    def get(self, url: str) -> dict | None: ...

    def get_many(self, urls: list[str]) -> dict[str, dict]: ...

    def pending(self, sites: list[str], since: str | None = None) -> Iterator[dict]: ...

    def queued(self, sites: list[str], since: str | None = None) -> Iterator[dict]: ...

    def unfollowed(self, limits: dict[str, int | None]) -> Iterator[dict]: ...

    def close(self) -> None: ...


def is_retryable(row: dict, now: datetime | None = None) -> bool:
    """A failed row worth another try: a transient failure, or any failure of a listing
    (a 404 once, a section moved and back, must not hide its stories for good), with
    consecutive failures left; after MAX_ATTEMPTS of them, a back-off since the last try
    that has passed. A listing failing for a transient reason is tried every run."""
    reason = row.get("reason") or ""
    transient = reason.startswith(RETRYABLE_PREFIXES)
    listing = _is_listing_row(row)
    if listing and transient:
        return True
    if not (listing or transient):
        return False
    if row["attempts"] < MAX_ATTEMPTS:
        return True
    hours = min(FAILED_RETRY_HOURS * 2 ** (row["attempts"] - MAX_ATTEMPTS),
                SKIPPED_RETRY_DAYS * 24)
    since = (now or datetime.now(UTC)) - timedelta(hours=hours)
    return (row.get("visited_at") or "") < since.strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_listing_row(row: dict) -> bool:
    """A listing's row: read as one (its `kind`), or listed as one, not fetched yet (its
    `priority`). `LISTING_ROW_SQL` says the same in SQL."""
    return row.get("kind") in REVISIT_KINDS or is_listing(row.get("priority"))


LISTING_ROW_SQL = (f"(kind IN ({', '.join(repr(k) for k in REVISIT_KINDS)})"
                   f" OR priority >= {LISTING_FLOOR})")


def skip_cutoff(days: float = SKIPPED_RETRY_DAYS) -> str:
    """The ``visited_at`` before which a skip for a passing cause is retried."""
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_readmitted_skip(row: dict, cutoff: str) -> bool:
    """A skipped row worth another fetch: robots.txt and a refused address always (a
    robots.txt may appear; see `EVERY_RUN_SKIPS`), any other skip for a passing cause
    (robots rule, offsite redirect) once it is older than ``cutoff``; ``not_html`` never. A
    listing every run (a robots.txt that refused it for one run, a body that was no sitemap
    once), unless it is over the size limit (`LISTING_WAITS`)."""
    if (row.get("source") == "robots" or row.get("reason") in EVERY_RUN_SKIPS
            or (_is_listing_row(row) and row.get("reason") not in LISTING_WAITS)):
        return True
    return (row.get("reason") or "") not in FINAL_SKIPS and (row.get("visited_at") or "") < cutoff


# The rows of some URLs and of their other spellings, first recorded first: a union, so
# that each half is an index lookup whatever SQLite's statistics say of an OR.
SPELLINGS_SQL = """
SELECT rowid, * FROM frontier WHERE url IN ({marks})
UNION SELECT rowid, * FROM frontier WHERE url_key IN ({marks})
ORDER BY 1"""


def _redirected(row: dict) -> bool:
    """Whether a row was skipped as it redirected (to another spelling of it, say)."""
    return row["state"] == "skipped" and row.get("reason") in REDIRECT_SKIPS


class SQLiteFrontier:
    """The frontier's read side on its own connection (WAL: never blocks the writer).

    Every read runs to completion (``fetchall`` of at most ``PAGE_SIZE`` rows), so no
    statement stays open between reads: no read snapshot outlives a call, ``get`` sees what
    the writer committed since, and WAL checkpoints are never held back.
    """

    def __init__(self, path: str | Path, skipped_retry_days: float = SKIPPED_RETRY_DAYS):
        self.conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.skipped_retry_days = skipped_retry_days

    def get(self, url: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM frontier WHERE url = ?", [url]).fetchone()
        return dict(row) if row else None

    def get_many(self, urls: list[str]) -> dict[str, dict]:
        """The rows of those of ``urls`` the frontier knows, by URL: a URL's own row, or else
        the row of the same document spelled otherwise (`url_key`: its query's parameters
        in another order, other percent-escapes), the first recorded of those not skipped as
        a redirect (`REDIRECT_SKIPS`: say to the other spelling, which is then none to
        request); each row under its own URL too. ``PAGE_SIZE // 2`` URLs a
        query: with their keys, ``PAGE_SIZE`` values at most."""
        urls = list(dict.fromkeys(urls))
        found: dict[str, dict] = {}
        for start in range(0, len(urls), PAGE_SIZE // 2):
            chunk = urls[start:start + PAGE_SIZE // 2]
            keys = {url: url_key(url) or url for url in chunk}
            values = list(dict.fromkeys([*chunk, *keys.values()]))
            marks = ", ".join(f"?{n}" for n in range(1, len(values) + 1))
            rows = self.conn.execute(SPELLINGS_SQL.format(marks=marks), values).fetchall()
            by_key: dict[str, dict] = {}
            for row in map(dict, rows):
                del row["rowid"]
                found[row["url"]] = row
                if not _redirected(row):
                    by_key.setdefault(row["url_key"] or row["url"], row)
            for url, key in keys.items():
                if url not in found and key in by_key:
                    found[url] = by_key[key]
        return found

    def pending(self, sites: list[str], since: str | None = None) -> Iterator[dict]:
        """What a run starts with beyond its seeds, highest priority (newest) first: queued
        rows, failures worth another try, robots.txt and skips whose cause may have passed;
        then the fetched listings and hubs to look at again, so that a page budget goes to
        the pages never fetched before revisits (which mostly answer 304) take what is left,
        the hubs the longest unvisited first: with a budget smaller than a site's section
        fronts, the same ones were read again every run and the others never.
        ``since`` (``--since``) leaves out the first kind dated before it: a listing's
        entries it held back wait, queued, for a run that lets them in, and are not read
        again each run. Read ``PAGE_SIZE`` rows a statement (keyset on priority, url),
        streamed; the hubs' sort keys (when last visited, priority, URL) are read whole
        first (`_hubs_to_revisit`: 24 MB for 100,000 hubs)."""
        kinds = ", ".join(f"'{kind}'" for kind in REVISIT_KINDS)
        finals = ", ".join(f"'{reason}'" for reason in FINAL_SKIPS)
        always = ", ".join(f"'{reason}'" for reason in EVERY_RUN_SKIPS)
        due = f"(held = 0 OR {NEWEST_SQL} >= ?)"
        waits = ", ".join(f"'{reason}'" for reason in LISTING_WAITS)
        retried = (f"(source = 'robots' OR coalesce(reason, '') IN ({always})"
                   f" OR ({LISTING_ROW_SQL} AND coalesce(reason, '') NOT IN ({waits}))"
                   f" OR (coalesce(reason, '') NOT IN ({finals})"
                   f" AND coalesce(visited_at, '') < ?)) AND {due}")
        others = heapq.merge(self._rows(sites, "queued", due, [since or ""]),
                             self._rows(sites, "failed", due, [since or ""]),
                             self._rows(sites, "skipped", retried,
                                        [skip_cutoff(self.skipped_retry_days), since or ""]),
                             key=_reading_order)
        for row in others:
            if row["state"] != "failed" or row["source"] == "robots" or is_retryable(row):
                yield row
        again = f"(kind IN ({kinds}) OR source = 'robots')"
        yield from self._rows(sites, "fetched", f"{again} AND priority >= {LISTING_FLOOR}", [])
        yield from self._hubs_to_revisit(sites, f"{again} AND priority < {LISTING_FLOOR}")

    def _hubs_to_revisit(self, sites: list[str], wanted: str) -> Iterator[dict]:
        """The fetched hubs matching ``wanted`` (SQL), the longest unvisited first (a budget
        takes the first ones): their keys read in one statement a site and sorted, their
        rows ``PAGE_SIZE`` a statement. (Sorted rows paged by a keyset without an index of
        its own took 30 s and 180 MB before the first of 100,000 hubs.)"""
        keys = []
        for site in sites:
            keys += map(tuple, self.conn.execute(
                "SELECT coalesce(visited_at, ''), -priority, url FROM frontier"
                f" WHERE site = ? AND state = 'fetched' AND {wanted}", [site]))
        keys.sort()
        for start in range(0, len(keys), PAGE_SIZE):
            urls = [url for _, _, url in keys[start:start + PAGE_SIZE]]
            found = {row["url"]: dict(row) for row in self.conn.execute(
                f"SELECT * FROM frontier WHERE url IN ({', '.join('?' * len(urls))})", urls)}
            yield from (found[url] for url in urls if url in found)

    def unfollowed(self, limits: dict[str, int | None]) -> Iterator[dict]:
        """The fetched pages whose links a depth limit left unread (`UNFOLLOWED`) and the
        run's limits would follow (site name -> its depth limit, None: none), highest
        priority first: a limit raised or dropped finds the stories they link. Streamed,
        through the partial index `idx_frontier_unfollowed`; a run with the old limit reads
        no row it returns, and changes none."""
        return heapq.merge(*(self._site_rows(site, "fetched", f"filters = '{UNFOLLOWED}'"
                                             " AND depth < ?", [NO_LIMIT if limit is None
                                                                else limit])
                             for site, limit in limits.items()), key=_reading_order)

    def queued(self, sites: list[str], since: str | None = None) -> Iterator[dict]:
        """The queued rows of ``sites``, highest priority first (``since`` as in
        `pending`): what the middleware schedules as Scrapy's queue drains. Streamed."""
        return self._rows(sites, "queued", f"(held = 0 OR {NEWEST_SQL} >= ?)", [since or ""])

    def _rows(self, sites: list[str], state: str, wanted: str, params: list) -> Iterator[dict]:
        """The rows of ``sites`` in ``state`` matching ``wanted`` (SQL, with ``params``),
        highest priority first (then by URL): each site's read in its index's order, merged."""
        return heapq.merge(*(self._site_rows(site, state, wanted, params) for site in sites),
                           key=_reading_order)

    def _site_rows(self, site: str, state: str, wanted: str, params: list) -> Iterator[dict]:
        """One site's rows in one state matching ``wanted``, ``PAGE_SIZE`` a statement,
        keyset on (priority, url). One site, one state and a range on priority let SQLite
        walk the (site, state, priority) index from where the last page ended; a statement
        over several sites or states sorted all their rows again for every page (20 s to
        read 45,000 queued rows of a 150,000-row frontier, now 0.3 s)."""
        query = (f"SELECT * FROM frontier WHERE site = ? AND state = ? AND {wanted} {{after}}"
                 " ORDER BY priority DESC, url LIMIT ?")
        after, last = "", []
        while True:
            rows = self.conn.execute(query.format(after=after),
                                     [site, state, *params, *last, PAGE_SIZE]).fetchall()
            yield from map(dict, rows)
            if len(rows) < PAGE_SIZE:
                break
            after = "AND priority <= ? AND (priority < ? OR url > ?)"
            last = [rows[-1]["priority"], rows[-1]["priority"], rows[-1]["url"]]

    def close(self) -> None:
        self.conn.close()


def _reading_order(row: dict) -> tuple[int, str]:
    """The order the frontier's rows are read in: highest priority first, then by URL."""
    return -row["priority"], row["url"]


# -- the write half -------------------------------------------------------------------

ENTRY_COLUMNS = ("url", "site", "source", "depth", "priority", "discovered_at", "lastmod",
                 "published", "title", "language", "run_id", "held", "url_key",
                 "nesting")  # fmt: skip
VISIT_COLUMNS = ("url", "site", "source", "depth", "state", "kind", "discovered_at", "fetched_at",
                 "http_status", "etag", "last_modified", "filters", "reason", "visited_at",
                 "run_id", "reread_at", "url_key")  # fmt: skip

# A listed URL: new -> queued; known -> keep its state, unless the listing says it changed
# after we fetched it (or, gone with a 404 or 410 or skipped as it redirected, after that
# answer), in the past (a date-only lastmod is its day's last second). Listing fields fill
# in, never blank out.
_GONE = ", ".join(f"'{reason}'" for reason in GONE_REASONS)
_REDIRECTED = ", ".join(f"'{reason}'" for reason in REDIRECT_SKIPS)
DISCOVER_SQL = f"""
INSERT INTO frontier ({", ".join(ENTRY_COLUMNS)}, state)
VALUES ({", ".join(":" + c for c in ENTRY_COLUMNS)}, 'queued')
ON CONFLICT(url) DO UPDATE SET
    state = CASE WHEN excluded.lastmod > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 THEN frontier.state
                 WHEN frontier.state = 'fetched' AND excluded.lastmod > frontier.fetched_at
                 THEN 'queued'
                 WHEN (frontier.state = 'failed' AND frontier.reason IN ({_GONE})
                       OR frontier.state = 'skipped' AND frontier.reason IN ({_REDIRECTED}))
                      AND excluded.lastmod > frontier.visited_at
                 THEN 'queued' ELSE frontier.state END,
    lastmod = coalesce(excluded.lastmod, frontier.lastmod),
    published = coalesce(excluded.published, frontier.published),
    title = coalesce(excluded.title, frontier.title),
    language = coalesce(excluded.language, frontier.language),
    priority = max(frontier.priority, excluded.priority),
    held = min(frontier.held, excluded.held),
    nesting = coalesce(max(frontier.nesting, excluded.nesting), frontier.nesting,
                       excluded.nesting)"""

# The outcome of a fetch; inserts the row when the URL was never recorded as listed (a
# start URL, a redirect target, or a page whose listing's batch is not committed yet).
VISIT_SQL = f"""
INSERT INTO frontier ({", ".join(VISIT_COLUMNS)}, attempts)
VALUES ({", ".join(":" + c for c in VISIT_COLUMNS)}, CASE WHEN :state = 'failed' THEN 1 ELSE 0 END)
ON CONFLICT(url) DO UPDATE SET
    state = excluded.state,
    kind = coalesce(excluded.kind, frontier.kind),
    attempts = CASE WHEN excluded.state = 'failed' THEN frontier.attempts + 1 ELSE 0 END,
    fetched_at = coalesce(excluded.fetched_at, frontier.fetched_at),
    http_status = excluded.http_status,
    etag = CASE WHEN excluded.state = 'fetched' THEN excluded.etag ELSE frontier.etag END,
    last_modified = CASE WHEN excluded.state = 'fetched' THEN excluded.last_modified
                         ELSE frontier.last_modified END,
    filters = CASE WHEN excluded.state = 'fetched' THEN coalesce(excluded.filters, frontier.filters)
                   ELSE frontier.filters END,
    reason = excluded.reason,
    visited_at = coalesce(excluded.visited_at, frontier.visited_at),
    run_id = excluded.run_id,
    reread_at = CASE WHEN excluded.state = 'fetched' AND excluded.http_status IS NOT 304
                     THEN excluded.reread_at ELSE frontier.reread_at END"""

COUNTS_SQL = f"""
INSERT INTO run_sites (run_id, site, {", ".join(SITE_COUNTS)})
VALUES (:run_id, :site, {", ".join(":" + c for c in SITE_COUNTS)})
ON CONFLICT(run_id, site) DO UPDATE SET
    {", ".join(f"{c} = run_sites.{c} + excluded.{c}" for c in SITE_COUNTS)}"""

FAILURES_SQL = """
INSERT INTO run_site_failures (run_id, site, reason, count) VALUES (?, ?, ?, ?)
ON CONFLICT(run_id, site, reason) DO UPDATE SET count = count + excluded.count"""


@dataclass
class FrontierBatch:
    """Fetch outcomes, listed URLs and per-site counts waiting for the next transaction.

    ``add(item)`` takes a page item or a visit item (the ``visit`` and ``outlinks`` keys the
    spider and the scheduling middleware put on it); ``write(db)`` runs inside the caller's
    transaction, so the flip to fetched commits with the page and article rows.
    """

    run_id: int | None = None
    visits: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: Counter = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)  # article keys counted in this run
    # (site, page URL, article key, paywalled) of the batch's articles, counted as written
    stored: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.visits) + len(self.entries)

    def add(self, item: dict) -> None:
        for entry in item.get("outlinks") or ():
            row = {c: entry.get(c) for c in ENTRY_COLUMNS} | {
                "held": int(bool(entry.get("held"))), "url_key": url_key(entry["url"])}
            self.entries.append(row | {"run_id": self.run_id})
            if entry.get("new"):
                self.counts[entry["site"]]["discovered"] += 1
        visit = item.get("visit")
        if visit:
            self._add_visit(dict(visit), item)

    def _add_visit(self, visit: dict, item: dict) -> None:
        article = item.get("article")
        if visit.get("kind") == "html" and "body" in item:
            visit["kind"] = _page_kind(article)
        final = visit.get("final_url") or visit["url"]
        # final_url: the URL that answered, moved: whether the first hop was permanent
        # (storage.mark_gone reads them; VISIT_SQL does not)
        row = {c: visit.get(c) for c in VISIT_COLUMNS} | {
            "run_id": self.run_id, "final_url": final, "moved": bool(visit.get("moved")),
            "url_key": url_key(visit["url"])}
        self.visits.append(row)
        if final != visit["url"]:
            self.visits.append(row | {"url": final, "url_key": url_key(final)})
            if visit.get("final_new"):  # a redirect's target new to the frontier
                self.counts[visit["site"]]["discovered"] += 1
        self._count(visit, item, article)

    def _count(self, visit: dict, item: dict, article: dict | None) -> None:
        counts, site = self.counts[visit["site"]], visit["site"]
        state, status = visit["state"], visit.get("http_status") or 0
        if state in ("fetched", "failed", "skipped"):
            counts[state] += 1
        counts["not_modified"] += status == 304
        counts["http_403"] += status == 403
        counts["http_429"] += status == 429
        counts["http_5xx"] += 500 <= status < 600
        if state == "failed":
            self.failures[site, visit.get("reason") or "other"] += 1
        if "body" in item:
            counts["pages"] += 1
            counts["revisited"] += bool(visit.get("revisit")) and not (
                article and article.get("is_article"))  # a page read again that is no article
            if item.get("extract_error"):
                self.failures[site, "extraction"] += 1
        if article and not article.get("is_article"):
            counts["non_articles"] += 1
        elif article and "body" in item:
            from crawler.storage import _canonical_key  # here: storage imports this module

            self.stored.append((site, item["url"], _canonical_key(article, item),
                                article.get("paywall") in PAYWALLED))

    def rekey(self, rows: list[dict]) -> None:
        """The article rows as `storage.write_batch` keys them (`own_keys`: a page naming
        another story's URL keeps an article of its own, under its URL): counted so."""
        keys = {row["page_url"]: row["url"] for row in rows}
        self.stored = [(site, page, keys.get(page, key), paywalled)
                       for site, page, key, paywalled in self.stored]

    def _count_articles(self) -> None:
        for site, _, key, paywalled in self.stored:
            if key not in self.articles:  # pages sharing a canonical URL are one article
                self.articles.add(key)
                self.counts[site]["articles"] += 1
                self.counts[site]["paywalled"] += paywalled
        self.stored = []

    def write(self, db: sqlite_utils.Database) -> None:
        """Execute the batch on ``db``; the caller holds the transaction."""
        from crawler.storage import mark_gone  # here: storage imports this module

        conn = db.conn
        conn.executemany(DISCOVER_SQL, self.entries)
        conn.executemany(VISIT_SQL, self.visits)
        mark_gone(db, self.visits)
        self._count_articles()
        if self.run_id is not None:
            conn.executemany(COUNTS_SQL, list(self._count_rows()))
            failures = [(self.run_id, site, reason, n)
                        for (site, reason), n in self.failures.items()]
            conn.executemany(FAILURES_SQL, failures)

    def _count_rows(self) -> Iterable[dict]:
        for site, counts in self.counts.items():
            row = {c: int(counts[c]) for c in SITE_COUNTS}
            yield {"run_id": self.run_id, "site": site} | row

    def clear(self) -> None:
        self.visits, self.entries, self.stored = [], [], []
        self.counts, self.failures = defaultdict(Counter), Counter()


def _host_ranges(host: str) -> list[tuple[str, str]]:
    """[low, high) ranges of URL text holding the URLs on ``host`` or ``www.host`` (with or
    without a trailing dot), any port, over http and https: ``scheme://host`` then ``#``,
    ``/``, ``:`` or ``?`` (each range runs to the next character up); the bare origin, with
    nothing after it, is [origin, origin + "!"): no URL character sorts below "!". A ``:``
    may also start a password (``http://host:pw@other/``): `adopt` checks each URL's host."""
    ranges = []
    names = [host, f"www.{host}"] if ":" not in host else [f"[{host}]"]  # IPv6 in brackets
    for scheme in ("http", "https"):
        for name in [*names, *(f"{n}." for n in names if ":" not in host)]:
            start = f"{scheme}://{name}"
            ranges.append((start, start + "!"))
            ranges += [(start + c, start + chr(ord(c) + 1)) for c in "#/:?"]
    return ranges


def _host_of(url: str) -> str:
    """The URL's host as sites name it (`bare_host`); "" when it has none that parses."""
    try:
        return bare_host(urlsplit(url).hostname or "")
    except ValueError:  # "Invalid IPv6 URL"
        return ""


# The tables that file stored rows by site, the column with the URL whose host decides it
# (an article's canonical URL may be on another host: its page's is the site's), and what
# the log calls their rows.
STORED_BY_SITE = (("pages", "url", "pages"), ("articles", "page_url", "articles"),
                  ("article_sources", "page_url", "article sources"))


def adopt(db: sqlite_utils.Database, sites: dict[str, Iterable[str]],
          named: Iterable[str] = ()) -> Counter:
    """Give each of the run's sites (name -> hosts) the frontier rows on its hosts that an
    earlier run filed under another name, and return how many moved, by (table, old name,
    new name).

    A run reads what is pending by site name: without this, renaming a site in the config
    (or crawling from a config what was crawled from the command line, or the reverse)
    would leave its queued URLs behind for good. By host and its ``www.`` form, through the
    URL's primary key (a range scan each, PAGE_SIZE rows at a time: a site of a million
    queued URLs is not read at once); a subdomain's rows keep their name.

    The sites a config `named` also take what was stored under the names their frontier
    rows had (`STORED_BY_SITE`: pages, articles, kept sources), so that `--site` filters,
    site rules and `reextract` see it; a re-filed article's `extracted_at` moves (an
    incremental export sees the change). Through the tables' site indexes, for the names
    the frontier moved from only: a run that renames nothing reads nothing more. A one-off
    crawl from the command line over a config's database takes the frontier rows it
    fetches, not the config's archive. The caller holds the transaction."""
    moved: Counter = Counter()
    for name, hosts in sites.items():
        for host in hosts:
            for low, high in _host_ranges(host):
                while batch := db.execute(
                        "SELECT url, site FROM frontier WHERE url >= ? AND url < ? AND site != ?"
                        " ORDER BY url LIMIT ?", [low, high, name, PAGE_SIZE]).fetchall():
                    rows = [(url, old) for url, old in batch if _host_of(url) == host]
                    for _, old in rows:
                        moved["frontier", old, name] += 1
                    db.conn.executemany("UPDATE frontier SET site = ? WHERE url = ?",
                                        [(name, url) for url, _ in rows])
                    low = batch[-1][0] + "\x00"  # the next URL after the batch's last
    named = set(named)
    for _, old, name in list(moved):
        if name in named:
            _refile_stored(db, old, name, set(sites[name]), moved)
    return moved


def _refile_stored(db: sqlite_utils.Database, old: str, name: str, hosts: set[str],
                   moved: Counter) -> None:
    """File the stored rows of site `old` on `hosts` under `name` (see `adopt`)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    db.conn.create_function("newscrawl_on_hosts", 1, lambda url: _host_of(url) in hosts,
                            deterministic=True)
    for table, column, _ in STORED_BY_SITE:
        if db[table].exists():
            stamped = ", extracted_at = ?" if table == "articles" else ""
            count = db.execute(f"UPDATE {table} SET site = ?{stamped} WHERE site = ?"
                               f" AND newscrawl_on_hosts({column})",
                               [name, *([stamp] if stamped else []), old]).rowcount
            if count:
                moved[table, old, name] += count


def merge_pathless(db: sqlite_utils.Database, seeds: Iterable[str]) -> int:
    """Fold the row of a start URL recorded without its path (``https://example.com``, as
    runs before start URLs were given ``/`` wrote it) into the row of the URL with it, which
    the run requests: kept where that one is missing, dropped where both are there (it was
    queued every run and dropped by Scrapy's duplicate filter). Returns how many went. The
    caller holds the transaction."""
    folded = 0
    for seed in seeds:
        parts = urlsplit(seed)
        if parts.path != "/" or not seed.endswith("/"):  # the root, nothing after it
            continue
        bare = seed[:-1]
        folded += db.execute("UPDATE OR IGNORE frontier SET url = ?, url_key = ?"
                             " WHERE url = ?", [seed, url_key(seed), bare]).rowcount
        folded += db.execute("DELETE FROM frontier WHERE url = ?", [bare]).rowcount
    return folded


def _page_kind(article: dict | None) -> str:
    """An HTML page is an ``article``, a ``hub`` (a page but not an article: re-visited) or a
    ``page`` whose extraction failed."""
    if not article:
        return "page"
    return "article" if article.get("is_article") else "hub"


def frontier_counts(db: sqlite_utils.Database, site: str | None = None) -> dict[str, int]:
    """Rows per state, e.g. ``{"queued": 3, "fetched": 40}``, for one site or all."""
    where, params = ("WHERE site = ?", [site]) if site else ("", [])
    rows = db.execute(f"SELECT state, count(*) FROM frontier {where} GROUP BY state", params)
    return {state: n for state, n in rows.fetchall()}

