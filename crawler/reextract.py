"""Re-extraction: run the current extractor and rules again over the stored raw pages.

No network: bodies come from `pages.body`, then from `article_sources.body` (the page an
article was read from, kept when a later fetch of that page gave no article). Pages are
replayed in the order they were fetched (so, as in the crawl, the latest fetch of an
article wins), through the same job
the crawl's ExtractionPipeline runs (`crawler.jobs.extract_page`) in a pool of worker
processes, one per core by default, with the same per-page time limit. Results are written
in batched transactions: `pages.is_article` / `extract_error` updated, articles upserted
with `storage.article_row` + `storage.write_batch` (first_seen kept), and the article a page
gave before removed when that page is no longer an article (or now names another canonical
URL). A page whose extraction fails keeps its article: a timeout is not a verdict. A page
a crawl refetched meanwhile (its `fetched_at` moved) is skipped: the crawl's verdict is newer.
`newscrawl reextract` holds the crawl lock (crawler/lock.py), so no crawl runs meanwhile.

    db = storage.open_db("news.db")
    report = reextract(db, ReextractOptions(site="news.example.com"))
    report["news.example.com"].gained, .lost, .changed

The per-site report compares the articles before and after (a TEMP snapshot table), so a
crawl writing to the same site meanwhile shows up in the numbers too.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import sqlite_utils
from pebble import ProcessExpired

from crawler import near_duplicates, storage
from crawler.coverage import RuleCoverage
from crawler.jobs import extract_page, release_memory
from crawler.sql import select_in
from crawler.workers import PoolError, Workers, result
from extractors.rules import RuleError, check_all

READ_CHUNK = 500  # pages read per query
WINDOW_PER_WORKER = 32  # pages in flight per worker: a slow page does not idle the others
MAX_BYTES = 5 * 1024 * 1024  # as NEWSCRAWL_EXTRACT_MAX_BYTES
COMPARED = ("content_hash", "title", "published", "authors", "paywall", "language")


class ReextractError(Exception):
    """Re-extraction that cannot start (a broken rule folder); the message is one line."""


@dataclass
class ReextractOptions:
    site: str | None = None
    rules: tuple[Path, ...] = ()  # for every page
    site_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a site's pages only
    # the configured site a page's URL belongs to (its host), as the crawl files it; None:
    # the stored site name
    site_of: Callable[[str], str | None] | None = None
    workers: int | None = None  # default: one per core
    timeout: float = 30.0  # seconds per page, as NEWSCRAWL_EXTRACT_TIMEOUT
    batch_size: int = 200  # pages per write transaction


@dataclass
class SiteReport:
    """What re-extraction did to one site's pages and articles."""

    pages: int = 0
    failed: int = 0
    articles_before: int = 0
    articles_after: int = 0
    gained: int = 0
    lost: int = 0
    changed: int = 0
    # articles of a host a site rule covers that none of its layouts matched (read without
    # it: `crawler.coverage`), and those rules' files
    no_layout: int = 0
    unmatched: set[str] = field(default_factory=set)


@dataclass
class Outcome:
    page: dict
    article: dict | None = None
    error: str | None = None
    folders: tuple[str, ...] = ()  # the rule folders it was extracted with


def stored_job(body: bytes, url: str, content_type: str, rules: tuple[str, ...],
               fetched_at: str) -> dict:
    """The worker's job: decompress a stored body, then run the crawl's extraction job."""
    article = extract_page(zlib.decompress(body), url, content_type, rules, fetched_at)
    release_memory()
    return article


def stored_pages(db: sqlite_utils.Database, site: str | None) -> Iterator[dict]:
    """Stored pages in fetch order (fetched_at, url), READ_CHUNK rows per query: first those
    that gave no article, then those that did (as `snapshot` recorded them), so that where
    pages share a canonical URL the page the crawl kept the article from is written last
    and keeps it (the same extractor gives the same articles); then the kept sources of
    articles whose page now gives none (`source` True), in the same order."""
    yield from _stored(db, "pages", "url", site, gave_article=False)
    yield from _stored(db, "pages", "url", site, gave_article=True)
    for row in _stored(db, "article_sources", "page_url", site):
        yield {**row, "source": True}


def stored_count(db: sqlite_utils.Database, site: str | None) -> int:
    """How many rows `stored_pages` yields: the pages and the kept sources (the total that
    progress is counted against)."""
    clause, params = ("WHERE site = ?", [site]) if site else ("", [])
    sql = (f"SELECT (SELECT count(*) FROM pages {clause}) "
           f"+ (SELECT count(*) FROM article_sources {clause})")
    return db.execute(sql, params * 2).fetchone()[0]


def _stored(db: sqlite_utils.Database, table: str, key: str, site: str | None, *,
            gave_article: bool | None = None) -> Iterator[dict]:
    """Rows of `table` in (fetched_at, `key`) order; with `gave_article`, only those that
    were (True) or were not (False) the page of an article when the run began (`snapshot`:
    the run's own writes move articles between pages while the rows are read)."""
    where = f"(fetched_at, {key}) > (?, ?)" + (" AND site = ?" if site else "")
    if gave_article is not None:
        where += (f" AND {key} {'IN' if gave_article else 'NOT IN'} "
                  "(SELECT page_url FROM temp.reextract_before)")
    sql = (f"SELECT {key} AS url, site, content_type, fetched_at, run_id, body, body_size "
           f"FROM {table} WHERE {where} ORDER BY fetched_at, {key} LIMIT {READ_CHUNK}")
    last = ("", "")
    while True:
        chunk = list(db.query(sql, [*last, *([site] if site else [])]))
        yield from chunk
        if len(chunk) < READ_CHUNK:
            return
        last = (chunk[-1]["fetched_at"], chunk[-1]["url"])


def _outcome(workers: Workers, page: dict, job: tuple | None) -> Outcome:
    """Wait for one page's extraction; a timeout or a crash becomes its error. A page that
    failed because the pool broke (a worker killed while idle) runs again on a new pool."""
    if job is None:
        return Outcome(page, error=f"too large: {page['body_size']} bytes")
    pool, future, args, folders = job
    retried = False
    while True:
        try:
            return Outcome(page, article=result(future, pool), folders=folders)
        except FutureTimeout:
            return Outcome(page, error="timeout")
        except ProcessExpired as error:
            return Outcome(page, error=f"worker died (exit code {error.exitcode})")
        except Exception as error:  # a bad page must not stop the run
            if retried or pool.active:
                return Outcome(page, error=f"{type(error).__name__}: {error}")
            retried = True
            try:
                workers.replace(pool)
                future = workers.schedule(*args)
            except PoolError as failed:
                return Outcome(page, error=str(failed))
            pool = workers.pool


def extracted(workers: Workers, pages: Iterable[dict], options: ReextractOptions,
              window: int) -> Iterator[Outcome]:
    """Outcomes in page order, with at most `window` pages in flight (memory stays flat)."""
    rules = tuple(str(r) for r in options.rules)
    pending: deque = deque()
    for page in pages:
        body = page.pop("body")
        job = None
        if page["body_size"] <= MAX_BYTES:
            site = options.site_of(page["url"]) if options.site_of else None
            folders = rules + options.site_rules.get(site or page["site"], ())
            args = (stored_job, options.timeout, (
                body, page["url"], page["content_type"] or "", folders, page["fetched_at"]))
            try:
                future = workers.schedule(*args)
            except PoolError as failed:
                raise ReextractError(str(failed)) from None
            job = (workers.pool, future, args, folders)
        pending.append((page, job))
        if len(pending) >= window:
            yield _outcome(workers, *pending.popleft())
    while pending:
        yield _outcome(workers, *pending.popleft())


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` items (the last may be shorter); itertools.batched is 3.12+."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# A kept page is stale once its page, or another page with its article's URL, gave that
# article again in a later fetch. (No article at all is no reason: a re-extraction with a
# bad rule may have removed it, and the kept page is then the only way back.)
NEWER_ARTICLE = ("EXISTS (SELECT 1 FROM articles a WHERE (a.page_url = s.page_url "
                 "OR a.url = s.article_url) AND a.last_seen > s.fetched_at)")


def current(db: sqlite_utils.Database, outcomes: list[Outcome]) -> list[Outcome]:
    """The outcomes whose page (or kept source) is still the fetch they were extracted from.

    A crawl that refetched a page meanwhile (a newer `fetched_at`, or the page gone) has
    stored a newer verdict and article; the older extraction must not overwrite them. A
    kept source counts until the page, or another page with its article's URL, has given
    that article again in a later fetch.
    """
    fetched: dict[tuple[bool, str], str] = {}
    queries = ((False, "SELECT url, fetched_at FROM pages WHERE url IN ({})"),
               (True, "SELECT page_url, fetched_at FROM article_sources s WHERE page_url "
                      f"IN ({{}}) AND NOT ({NEWER_ARTICLE})"))
    for source, sql in queries:
        urls = [o.page["url"] for o in outcomes if o.page.get("source", False) is source]
        if urls:
            rows = db.execute(sql.format(", ".join("?" * len(urls))), urls)
            fetched |= {(source, url): at for url, at in rows.fetchall()}
    return [o for o in outcomes
            if fetched.get((o.page.get("source", False), o.page["url"])) == o.page["fetched_at"]]


def write_outcomes(db: sqlite_utils.Database, outcomes: list[Outcome],
                   deferred: dict[str, dict] | None = None) -> list[Outcome]:
    """One transaction: page verdicts, new articles upserted, stale articles removed.

    Only pages whose `fetched_at` is unchanged are written (checked under the write lock,
    BEGIN IMMEDIATE); the outcomes written are returned. Upserts go before deletes: a page
    that is no longer an article removes only the articles still pointing at it and read
    from the body stored (`last_seen` at its fetch), so an article another page of the
    batch now gives keeps its id and first_seen, and one from an earlier body stays.
    With `deferred`, an article that another page gave when the run began (`_held_back`) is
    put there, by URL, not written: `write_unclaimed` writes it at the end if that page
    no longer gives it. StorageError (one line) if the database cannot be written.
    """
    try:
        with storage.write_lock(db):
            given = current(db, outcomes)
            kept = {id(outcome) for outcome in given}
            db.conn.executemany(  # kept sources a newer fetch replaced
                f"DELETE FROM article_sources AS s WHERE page_url = ? AND fetched_at = ? "
                f"AND {NEWER_ARTICLE}",
                [(o.page["url"], o.page["fetched_at"]) for o in outcomes
                 if o.page.get("source") and id(o) not in kept])
            outcomes = given
            verdicts, articles = [], {False: [], True: []}
            stale: dict[bool, list] = {False: [], True: []}
            for outcome in outcomes:
                url, source = outcome.page["url"], outcome.page.get("source", False)
                is_article = not outcome.error and bool(outcome.article["is_article"])
                if not source:  # a kept source has no page row to give a verdict
                    verdicts.append((None, outcome.error, url) if outcome.error
                                    else (int(is_article), None, url))
                if outcome.error:
                    continue
                if is_article:
                    articles[source].append(storage.article_row(
                        outcome.article, outcome.page, outcome.page["run_id"]))
                stale[source].append((url, outcome.page["fetched_at"]))
            # the key each page's article goes under: its canonical URL, or its own URL where
            # that names another story's article (storage.own_keys, as write_batch keys it)
            keys: dict[bool, dict[str, str]] = {False: {}, True: {}}
            if deferred is not None:
                articles[False] = storage.own_keys(db, articles[False])
                keys[False] = {row["page_url"]: row["url"] for row in articles[False]}
                articles[False] = _held_back(db, articles[False], deferred)
            db.conn.executemany(
                "UPDATE pages SET is_article = ?, extract_error = ? WHERE url = ?", verdicts)
            # the kept sources first: a page's own, newer fetch of the same article wins
            for source in (True, False):
                keys[source] |= {row["page_url"]: row["url"] for row in storage.write_batch(
                    db, [], articles[source], sources=not source)}
            stale = {source: [(url, keys[source].get(url), fetched_at)
                              for url, fetched_at in pages]
                     for source, pages in stale.items()}
            # only articles read from this very body (last seen at this fetch): one from an
            # earlier fetch (the page now serves a block page, and its body was kept in
            # article_sources) is not this body's to judge
            db.conn.executemany("DELETE FROM articles WHERE page_url = ? AND url IS NOT ? "
                                "AND last_seen >= ?", stale[False])
            db.conn.executemany("DELETE FROM articles WHERE page_url = ? AND url IS NOT ? "
                                "AND last_seen = ?", stale[True])
            near_duplicates.relink(db.conn)  # the copies paired with those deleted
    except sqlite3.Error as error:
        raise storage.StorageError(
            f"re-extraction batch of {len(outcomes)} pages rolled back: "
            f"{' '.join(str(error).split())}") from error
    return outcomes


def _held_back(db: sqlite_utils.Database, rows: list[dict],
               deferred: dict[str, dict]) -> list[dict]:
    """`rows` but the articles another stored page gave when the run began, from pages
    that gave none then: those go to `deferred`, by URL. Pages that share a canonical URL
    (an AMP or print copy and the story's own page) are replayed with the page the article
    was read from last, so that its version wins; the copy's, written first, moved the
    article's `updated_at` and `extracted_at` though it ended as it was."""
    if not rows:
        return rows
    gave = {url for (url,) in select_in(
        db.conn, "SELECT page_url FROM temp.reextract_before WHERE page_url IN ({})",
        [row["page_url"] for row in rows])}
    owners = dict(select_in(
        db.conn, "SELECT b.url, b.page_url FROM temp.reextract_before b JOIN pages p"
        " ON p.url = b.page_url WHERE b.url IN ({})", [row["url"] for row in rows]))
    kept = []
    for row in rows:
        page, owner = row["page_url"], owners.get(row["url"])
        if page not in gave and owner not in (None, page):
            deferred[row["url"]] = row
        else:
            kept.append(row)
    return kept


def write_unclaimed(db: sqlite_utils.Database, deferred: dict[str, dict]) -> None:
    """Write the deferred articles (`write_outcomes`) that no page gives now: the page
    that gave one when the run began gives it no more."""
    claimed = {url for (url,) in select_in(
        db.conn, "SELECT url FROM articles WHERE url IN ({})", list(deferred))}
    rows = [row for url, row in deferred.items() if url not in claimed]
    if not rows:
        return
    try:
        with storage.write_lock(db):
            storage.write_batch(db, [], rows)
            near_duplicates.relink(db.conn)
    except sqlite3.Error as error:
        raise storage.StorageError(
            f"re-extraction of {len(rows)} articles rolled back: "
            f"{' '.join(str(error).split())}") from error


def _site_clause(site: str | None, alias: str) -> tuple[str, list]:
    return (f" AND {alias}.site = ?", [site]) if site else ("", [])


def snapshot(db: sqlite_utils.Database, site: str | None) -> None:
    """Copy the compared columns of the articles in scope, and the page each was read from,
    into TEMP `reextract_before` (what the replay order and the report go by, unmoved by
    the writes that follow)."""
    clause, params = _site_clause(site, "articles")
    db.execute("DROP TABLE IF EXISTS temp.reextract_before")
    db.execute(f"CREATE TEMP TABLE reextract_before (url TEXT PRIMARY KEY, id INTEGER, "
               f"site TEXT, page_url TEXT, {', '.join(COMPARED)})")
    db.execute(f"INSERT INTO temp.reextract_before SELECT url, id, site, page_url, "
               f"{', '.join(COMPARED)} FROM articles WHERE 1{clause}", params)
    db.execute("CREATE INDEX temp.idx_reextract_before_page ON reextract_before(page_url)")
    db.execute("CREATE UNIQUE INDEX temp.idx_reextract_before_id ON reextract_before(id)")


def _compare_queries(site: str | None) -> dict[str, tuple[str, list]]:
    """Per-site counting queries, by SiteReport field, against the snapshot. An article is
    its row (`id`): one renamed (its page's canonical URL now another) is changed, not one
    lost and one gained."""
    a_clause, params = _site_clause(site, "a")
    b_clause, _ = _site_clause(site, "b")
    differs = " OR ".join(f"a.{c} IS NOT b.{c}" for c in ("url", *COMPARED))
    before = "temp.reextract_before b"
    queries = {
        "articles_before": f"SELECT b.site, count(*) FROM {before} WHERE 1{b_clause}",
        "articles_after": f"SELECT a.site, count(*) FROM articles a WHERE 1{a_clause}",
        "gained": f"SELECT a.site, count(*) FROM articles a WHERE NOT EXISTS "
                  f"(SELECT 1 FROM {before} WHERE b.id = a.id){a_clause}",
        "lost": f"SELECT b.site, count(*) FROM {before} WHERE NOT EXISTS "
                f"(SELECT 1 FROM articles a WHERE a.id = b.id){b_clause}",
        "changed": f"SELECT a.site, count(*) FROM articles a JOIN {before} ON b.id = a.id "
                   f"WHERE ({differs}){a_clause}",
    }
    return {name: (sql + " GROUP BY 1", params) for name, sql in queries.items()}


def compare(db: sqlite_utils.Database, site: str | None,
            report: dict[str, SiteReport]) -> None:
    """Fill the article counts of `report` from the snapshot and the articles now."""
    for name, (sql, params) in _compare_queries(site).items():
        for row_site, count in db.execute(sql, params).fetchall():
            setattr(report.setdefault(row_site, SiteReport()), name, count)
    db.execute("DROP TABLE IF EXISTS temp.reextract_before")


def check(options: ReextractOptions) -> None:
    """Load the rule folders once here, the built-in one too, so a broken one fails before
    any work."""
    try:
        check_all([*options.rules, *(f for fs in options.site_rules.values() for f in fs)])
    except RuleError as error:
        raise ReextractError(str(error)) from None


@contextmanager
def worker_pool(workers: int) -> Iterator[Workers]:
    """A started pool of extraction workers (crawler/workers.py); stopped on the way out,
    Ctrl-C included, without waiting for the pages in flight."""
    try:
        started = Workers(workers)
    except PoolError as error:
        raise ReextractError(str(error)) from None
    with started:
        yield started


def reextract(db: sqlite_utils.Database, options: ReextractOptions,
              progress: Callable[[int], None] | None = None) -> dict[str, SiteReport]:
    """Re-extract the stored pages (all, or one site's); return a SiteReport per site."""
    check(options)
    workers = options.workers or os.cpu_count() or 1
    report: dict[str, SiteReport] = {}
    coverage = RuleCoverage()
    snapshot(db, options.site)
    with worker_pool(workers) as pool:
        window = workers * WINDOW_PER_WORKER
        outcomes = extracted(pool, stored_pages(db, options.site), options, window)
        deferred: dict[str, dict] = {}  # articles their own page may give later in the run
        for batch in batched(outcomes, options.batch_size):
            for outcome in write_outcomes(db, batch, deferred):  # (refetched pages skipped)
                site = report.setdefault(outcome.page["site"], SiteReport())
                site.pages += 1
                site.failed += outcome.error is not None
                rule = outcome.article and coverage.unmatched(
                    outcome.article, outcome.page["url"], outcome.folders)
                if rule:
                    site.no_layout += 1
                    site.unmatched.add(rule)
            if progress:
                progress(len(batch))
        if deferred:
            write_unclaimed(db, deferred)
    compare(db, options.site, report)
    return dict(sorted(report.items()))


def format_report(report: dict[str, SiteReport]) -> Iterator[str]:
    """A table for a person: one line per site, then the totals."""
    names = ("pages", "failed", "articles_before", "articles_after", "gained", "lost", "changed")
    width = max([len("site"), len("total"), *map(len, report)])
    yield f"{'site':<{width}}  " + "  ".join(f"{n.replace('articles_', ''):>7}" for n in names)
    total = SiteReport()
    for site, counts in report.items():
        yield f"{site:<{width}}  " + "  ".join(f"{getattr(counts, n):>7}" for n in names)
        for n in names:
            setattr(total, n, getattr(total, n) + getattr(counts, n))
    yield f"{'total':<{width}}  " + "  ".join(f"{getattr(total, n):>7}" for n in names)


def unmatched_rules(report: dict[str, SiteReport]) -> Iterator[str]:
    """A warning per site whose articles a site rule covers but none of its layouts
    matched: as the crawl says, its selectors may no longer fit the site."""
    for site, counts in report.items():
        if counts.no_layout:
            yield (f"warning: {site}: {counts.no_layout} articles matched none of the layouts"
                   f" of {', '.join(sorted(counts.unmatched))} and were read without it: do"
                   " its body selectors still fit the site?")
