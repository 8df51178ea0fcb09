"""Item pipelines: thin adapters from the spider to extraction, and from extraction to storage.

`ExtractionPipeline` runs `extractors.extract` in a pool of worker processes, so the CPU-heavy
part never stalls Scrapy's reactor; a page that hangs or crashes a worker is recorded as
failed with its reason, the worker is replaced and the crawl goes on. The workers also
compress and hash the body and digest the article text (`body_digest`, `text_digest` on the
item), so the reactor thread is left with the SQLite writes alone.
`StoragePipeline` writes pages and articles into SQLite in batched transactions.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import ExitStack
from pathlib import Path

from pebble import ProcessExpired
from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from twisted.internet import task

from crawler import storage
from crawler.config import site_rule_folders
from crawler.coverage import RuleCoverage
from crawler.frontier import STORED_BY_SITE, FrontierBatch, adopt, merge_pathless
from crawler.jobs import extract_job, tune_malloc
from crawler.lock import LockedError, crawl_lock
from crawler.status import (
    FAILED_SITES,
    START_ERROR,
    START_INTERRUPTED,
    STORAGE_DAMAGED,
    STORAGE_ERROR,
    failed_sites,
    final_counts,
    run_status,
)
from crawler.visits import SITE, failure_visit
from crawler.workers import PoolError, Workers, result_async

logger = logging.getLogger(__name__)


def cannot_start(crawler, why: str, reason: str) -> CloseSpider:
    """The CloseSpider a pipeline that cannot open raises: the crawl cannot start. `why`
    (one line) is recorded as START_ERROR, `newscrawl crawl`'s error line.

    Raised as any other error, the failure left Scrapy's engine half open, and Scrapy's
    close of it sent spider_closed to components that had never been sent spider_opened:
    CoreStats failed on it with a traceback, before the one-line error (and under `scrapy
    crawl`, the error's own traceback after it). CloseSpider (Scrapy 2.18+) lets the engine
    open, then close in order, with `reason` as the finish reason.
    """
    crawler.stats.set_value(START_ERROR, why)
    # `newscrawl crawl` (which holds the lock for the crawl) says why as its one error
    # line; under `scrapy crawl` the log is the only place to say it
    told_by_newscrawl = crawler.settings.getbool("NEWSCRAWL_LOCK_HELD")
    logger.log(logging.DEBUG if told_by_newscrawl else logging.ERROR,
               "the crawl could not start: %s", why)
    return CloseSpider(reason)


class ExtractionPipeline:
    """Adds `article` (an Article dict) or `extract_error` (a reason) to every page item."""

    def __init__(self, stats, workers: int, timeout: float, max_bytes: int, rules: tuple,
                 job=extract_job, max_tasks: int = 0):
        self.stats = stats
        self.workers = workers
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.rules = rules
        self.job = job  # module-level function: (body, url, content_type, rules, fetched_at)
        self.max_tasks = max_tasks  # pages per worker before it is replaced (0: never)
        self.extraction: Workers | None = None
        self.crawler = None
        self.site_rules: dict[str, tuple[str, ...]] = {}  # a site's own folder, its pages only
        self.coverage = RuleCoverage()  # the rule of an article read without one
        self.unmatched: set[str] = set()  # rule files said to match no layout, this run

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_EXTRACTION_ENABLED", True):
            raise NotConfigured
        pipeline = cls(
            crawler.stats,
            workers=settings.getint("NEWSCRAWL_EXTRACT_WORKERS") or os.cpu_count() or 1,
            timeout=settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT", 30.0),
            max_bytes=settings.getint("NEWSCRAWL_EXTRACT_MAX_BYTES", 5 * 1024 * 1024),
            rules=tuple(str(r) for r in settings.getlist("NEWSCRAWL_RULES")),
            job=load_object(settings.get("NEWSCRAWL_EXTRACT_FUNCTION") or extract_job),
            max_tasks=settings.getint("NEWSCRAWL_EXTRACT_MAX_TASKS", 0),
        )
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider=None):
        spider = spider or getattr(self.crawler, "spider", None)
        sites = getattr(spider, "sites", None)
        self.site_rules = site_rule_folders(sites.specs) if sites is not None else {}
        if not tune_malloc():  # again for `scrapy crawl`, which newscrawl's runner does not start
            logger.debug("malloc not tuned: not glibc")
        try:
            self.extraction = Workers(self.workers, self.max_tasks)  # Ctrl-C held off meanwhile
        except PoolError as error:
            if error.interrupted:  # a signal to the whole group, as the workers started:
                self.crawler.stats.set_value(START_INTERRUPTED, True)  # stopped, not broken
                raise CloseSpider("shutdown") from None
            raise cannot_start(self.crawler, str(error), "extraction_error") from None

    def close_spider(self, spider=None):
        # Scrapy closes pipelines once every item is through, so no task is left: stop the
        # idle workers at once rather than wait (pebble's join would block the reactor).
        if self.extraction is not None:
            self.extraction.stop()

    async def process_item(self, item, spider=None):
        if "body" not in item:  # a visit record without a page (crawler/visits.py)
            return item
        if len(item["body"]) > self.max_bytes:
            return self._failed(item, f"too large: {len(item['body'])} bytes")
        folders = self.rules + self.site_rules.get(item.get("site"), ())
        args = (item["body"], item["url"], item.get("content_type", ""), folders,
                item.get("fetched_at", ""))
        for attempt in range(2):  # once more on a new pool, should this one have broken
            pool = self.extraction.pool
            try:
                future = pool.schedule(self.job, timeout=self.timeout, args=args)
                item.update(await result_async(future, pool))
                break
            except FutureTimeout:
                return self._failed(item, f"timeout after {self.timeout:g}s")
            except ProcessExpired as error:
                return self._failed(item, f"worker died (exit code {error.exitcode})")
            except Exception as error:  # a bad page must never stop the crawl
                if attempt or pool.active:  # the page's own error (the pool is fine)
                    return self._failed(item, f"{type(error).__name__}: {error}")
                try:
                    self.extraction.replace(pool)
                except PoolError as failed:
                    return self._failed(item, str(failed))
                finally:
                    self.stats.set_value("newscrawl/extract/pool_restarts",
                                         self.extraction.restarts)
        kind = "articles" if item["article"]["is_article"] else "non_articles"
        self.stats.inc_value(f"newscrawl/extract/{kind}")
        rule = self.coverage.unmatched(item["article"], item["url"], folders)
        if rule is not None:
            self._no_layout(item["url"], rule)
        return item

    def _no_layout(self, url: str, rule: str) -> None:
        """Count an article of a host a site rule covers that none of the rule's layouts
        matched (`crawler.coverage`), and say so once per rule file and run."""
        self.stats.inc_value("newscrawl/extract/no_layout")
        if rule not in self.unmatched:
            self.unmatched.add(rule)
            logger.warning("site rule %s matched none of its layouts on %s, an article read"
                           " without it: do its body selectors still fit the site?", rule,
                           url)

    def _failed(self, item, reason: str):
        logger.warning("extraction failed: %s: %s", item["url"], reason)
        self.stats.inc_value("newscrawl/extract/failed")
        item["extract_error"] = reason
        return item


class StoragePipeline:
    """Writes every page (and its article, if any) to SQLite, a batch per transaction."""

    def __init__(self, stats, batch_size: int, batch_seconds: float, options: dict):
        self.stats = stats
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self.options = options
        self.db = None
        self.run_id: int | None = None
        self.pages: list[dict] = []
        self.articles: list[dict] = []
        self.stored_articles: set[str] = set()  # article keys written in this run
        self.frontier = FrontierBatch()  # frontier rows and run counts, same transaction
        self.flushed_at = time.monotonic()
        self.crawler = None
        self.ticker: task.LoopingCall | None = None
        self.failed = False  # a write failed: the crawl is stopping, write nothing more
        self.take_lock = False
        self.locks = ExitStack()  # the database's lock, when this pipeline took it

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_STORAGE_ENABLED", True):
            raise NotConfigured
        pipeline = cls(
            crawler.stats,
            batch_size=settings.getint("NEWSCRAWL_BATCH_SIZE", 200),
            batch_seconds=settings.getfloat("NEWSCRAWL_BATCH_SECONDS", 2.0),
            options=dict(settings.getdict("NEWSCRAWL_RUN_OPTIONS")),
        )
        # `newscrawl crawl` holds the database's lock already (crawler/runner.py); under
        # `scrapy crawl` the pipeline takes it, so that two crawls never share a frontier
        pipeline.take_lock = not settings.getbool("NEWSCRAWL_LOCK_HELD")
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        pipeline.crawler = crawler
        return pipeline

    def request_dropped(self, request, spider=None) -> None:
        """A redirect hop the scheduler's duplicate filter dropped (its target was requested
        already in this run, e.g. /old -> /): no errback sees it, so its frontier row is
        written here, on the URL that redirected, as skipped (retried after the skip TTL)."""
        site = request.meta.get(SITE)
        if not request.meta.get("redirect_urls") or site is None or self.failed:
            return
        sites = getattr(self.crawler.spider, "sites", None)
        offsite = sites is not None and sites.site_of(request.url) is None
        reason = "offsite" if offsite else "redirect_duplicate"
        self.stats.inc_value(f"newscrawl/skipped/{reason}")  # as the spider counts its skips
        self.frontier.add({"visit": failure_visit(request, site, "skipped", reason)})

    async def open_spider(self, spider=None):
        """Begin the run; where the database cannot be used (another crawl's lock, another
        writer's, a full disk, a damaged file), the crawl cannot start (`cannot_start`).

        A coroutine, so that the failure comes as Scrapy awaits it: raised as Scrapy called
        each pipeline's open_spider in turn, the extraction pipeline's, called first, was
        never awaited (a RuntimeWarning on stderr)."""
        spider = spider or self.crawler.spider  # Scrapy >= 2.13 calls this without it
        path = Path(storage.crawl_db(self.crawler))
        try:
            self._begin_run(spider, path)
        except (LockedError, storage.StorageError, sqlite3.Error) as error:
            raise self._unusable(path, error) from None
        # commit on time too, not only when an item arrives: during a long back-off the last
        # pages still become visible to readers and survive a kill
        self.ticker = task.LoopingCall(self._flush_if_due)
        self.ticker.start(self.batch_seconds, now=False)

    def _begin_run(self, spider, path: Path) -> None:
        """Take the lock (under `scrapy crawl`), open the database and record the run."""
        if self.take_lock:
            self.locks.enter_context(crawl_lock(path))
        self.db = storage.open_db(path)
        dead = storage.close_dead_runs(self.db)  # the lock is ours: no other crawl is alive
        if dead:
            logger.warning("%d earlier run(s) never finished (killed): marked interrupted", dead)
        self._adopt(getattr(spider, "sites", None), getattr(spider, "configured", ()))
        self.run_id = storage.start_run(self.db, self.options)
        self.frontier.run_id = self.run_id
        self.stats.set_value("newscrawl/run_id", self.run_id)

    def _unusable(self, path: Path, error: Exception) -> CloseSpider:
        """Let go of a database the run could not begin in (no run recorded; what was
        committed before, such as dead runs marked interrupted, stays) and say why, as the
        crawl's check before the crawl says it."""
        if isinstance(error, sqlite3.Error):
            error = storage.unreadable(path, error)
        if storage.damaged(error):  # no rerun cures it: bad input, as the check says it
            self.stats.set_value(STORAGE_DAMAGED, True)
        self.failed = True
        if self.db is not None:
            self.db.close()
            self.db = None
        self.locks.close()
        return cannot_start(self.crawler, str(error), "storage_error")

    def _adopt(self, sites, named) -> None:
        """The run's sites take their hosts' frontier rows filed under another name (and
        the sites a config `named`, what was stored under it), and their start URLs the
        rows recorded without the path."""
        if sites is None:
            return
        with storage.write_lock(self.db):
            moved = adopt(self.db, {spec.name: spec.hosts for spec in sites.specs}, named)
            merge_pathless(self.db, [url for spec in sites.specs for url in spec.seeds])
        for old, new in sorted({(old, new) for _, old, new in moved}):
            counts = ", ".join(f"{moved[table, old, new]} {label}"
                               for table, _, label in (("frontier", "", "frontier URLs"),
                                                       *STORED_BY_SITE)
                               if moved[table, old, new])
            logger.info("site %r is now site %r (same host): %s re-filed", old, new, counts)

    def _flush_if_due(self) -> None:
        if self.db is not None and time.monotonic() - self.flushed_at >= self.batch_seconds:
            self.flush()

    def process_item(self, item, spider=None):
        self.frontier.add(item)
        if "body" not in item:  # a visit record without a page (a feed, a 404): frontier only
            if (len(self.frontier) >= self.batch_size
                    or time.monotonic() - self.flushed_at >= self.batch_seconds):
                self.flush()
            return item
        page = storage.page_row(item, self.run_id)
        article = item.get("article")
        page["is_article"] = int(article["is_article"]) if article else None
        page["extract_error"] = item.get("extract_error")
        self.pages.append(page)
        if article and article["is_article"]:
            self.articles.append(storage.article_row(article, item, self.run_id))
        if (len(self.pages) >= self.batch_size
                or time.monotonic() - self.flushed_at >= self.batch_seconds):
            self.flush()
        return {"url": item["url"], "is_article": page["is_article"]}

    def flush(self) -> None:
        if (self.pages or len(self.frontier)) and not self.failed:
            try:
                rows = storage.write_batch(self.db, self.pages, self.articles,
                                           also=[self.frontier.write], keyed=self.frontier.rekey)
            except storage.StorageError as error:
                self._storage_failed(str(error), damaged=error.damaged)
            except Exception as error:  # a bug: the batch rolled back whole; say so and stop
                logger.exception("writing a batch failed")
                self._storage_failed(f"{type(error).__name__}: {error}")
            else:
                self.stats.inc_value("newscrawl/stored/pages", len(self.pages))
                # articles written: distinct keys (pages may share a canonical URL; a page
                # naming another story's keeps its own article: storage.own_keys)
                written = {row["url"] for row in rows} - self.stored_articles
                self.stored_articles |= written
                self.stats.inc_value("newscrawl/stored/articles", len(written))
        self.pages, self.articles = [], []
        self.frontier.clear()
        self.flushed_at = time.monotonic()

    def _storage_failed(self, message: str, damaged: bool = False) -> None:
        """A write failed (disk full, I/O error): stop the crawl, keep what was committed.

        The failed batch rolled back whole, frontier flips included, so its URLs are still
        `queued` and the next run fetches them again: nothing is lost, nothing half-written.
        """
        logger.error("storage failed, stopping the crawl: %s", message)
        self.failed = True
        self.stats.set_value(STORAGE_ERROR, message)
        if damaged:
            self.stats.set_value(STORAGE_DAMAGED, True)
        try:
            engine = self.crawler.engine
        except (AttributeError, RuntimeError):  # built outside a running crawl (tests)
            return
        deferred_from_coro(engine.close_spider_async(reason="storage_error"))

    def close_spider(self, spider=None):
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        if self.db is not None:
            self.flush()

    def spider_closed(self, spider, reason: str):
        """Record the run's outcome once the engine has stopped, then let go of the file."""
        if self.db is None:
            return
        if self.run_id is None:  # opening failed before the run began (a damaged file)
            self.db.close()
            self.db = None
            self.locks.close()
            return
        sites = getattr(spider, "sites", None)
        status = run_status(self.stats.get_stats(), reason, sites)
        stats = _json_ready(self.stats.get_stats())
        failed = failed_sites(stats, sites.specs) if sites is not None else []
        try:
            storage.finish_run(self.db, self.run_id, status,
                               {**stats, **final_counts(self.db, self.run_id, stats),
                                FAILED_SITES: failed})
        except (storage.StorageError, sqlite3.Error) as error:  # the run stays 'running'
            logger.error("could not record the end of run %s: %s", self.run_id, error)
        self.db.close()
        self.db = None
        self.locks.close()


def _json_ready(stats: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in stats.items()}
