"""Run one crawl in this process and report what it did: the library behind `newscrawl crawl`.

Everything that can be checked before a request is sent is checked first (the sites config,
start URLs, ``--since``, rule folders, the database file), so bad input fails fast with one
line and an untouched DB. Then the database's lock is taken (crawler/lock.py): a second run
on the same file stops at once. ``CrawlError.code`` is the exit code the CLI uses.
"""

from __future__ import annotations

import json
import logging
import pprint
import re
import sqlite3
import time
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urldefrag

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings, overridden_settings

from crawler import storage
from crawler.config import ConfigError, SiteIndex, SiteSpec, load_config, merge_sites, parse_since
from crawler.discovery import parse_start_urls, too_long
from crawler.exitcodes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_USAGE
from crawler.frontier import frontier_counts
from crawler.jobs import tune_malloc
from crawler.lock import LockedError, crawl_lock, lock_path
from crawler.spiders.news import NewsSpider
from crawler.status import (
    START_ERROR,
    START_INTERRUPTED,
    STORAGE_DAMAGED,
    STORAGE_ERROR,
    by_reason,
    failed_sites,
    final_counts,
    given_up_line,
    reasons_line,
    run_counts,
    run_status,
    unstored,
)
from crawler.urlpolicy import shown
from extractors.rules import RuleError, check_all

logger = logging.getLogger(__name__)


class CrawlError(Exception):
    """A crawl that cannot start or that fetched nothing; the message is one line. `result`
    is what a crawl that ran did (its summary is printed too), None for one that never
    started."""

    def __init__(self, message: str, code: int = EXIT_USAGE,
                 result: CrawlResult | None = None):
        super().__init__(message)
        self.code = code
        self.result = result


@dataclass
class CrawlOptions:
    start_urls: list[str]
    db: Path
    max_pages: int | None = None
    max_depth: int | None = None
    rules: tuple[Path, ...] = ()
    workers: int | None = None
    log_level: str = "INFO"
    settings: dict = field(default_factory=dict)
    config: Path | None = None
    since: str | None = None
    allow_private: bool = False  # fetch private/loopback addresses too (crawler/middlewares.py)


@dataclass
class CrawlResult:
    run_id: int | None
    stats: dict
    seconds: float
    titles: list[str]
    status: str = "ok"
    queued: int = 0  # frontier rows of the run's sites still queued (budget, or stopped)
    failed_sites: list[str] = field(default_factory=list)
    sites: int = 0  # how many sites the run crawled
    # the runs row's counts where they are not the stats' (fetched pages went unstored: a
    # failed write, a second signal), which are then what its committed batches added
    recorded: dict[str, int] | None = None

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    @cached_property
    def counts(self) -> dict[str, int]:
        """pages_fetched, articles_stored, pages_skipped, errors of the pages fetched (as the
        runs table has them, but for a run that left some unstored: `recorded`)."""
        return run_counts(self.stats)


def check(options: CrawlOptions) -> list[SiteSpec]:
    """Validate everything before the first request; return the sites; CrawlError (one line)."""
    try:
        configured = load_config(options.config) if options.config else []
        if options.start_urls or not configured:
            parse_start_urls(options.start_urls)
        sites = merge_sites(configured, options.start_urls)
        _check_lengths(sites, options.settings)
        options.since = parse_since(options.since)
        check_all(rule_folders(options, sites))
        storage.check_writable(options.db)
        storage.wait_for_writers(options.db)
    except (ConfigError, ValueError, RuleError) as error:
        raise CrawlError(str(error)) from None
    except storage.StorageError as error:
        raise storage_failure(error) from None
    return sites


def _check_lengths(sites: list[SiteSpec], settings: dict) -> None:
    """ValueError for a start URL Scrapy would drop for its length (URLLENGTH_LIMIT, as
    `--set` may change it): bad input, where a run recorded it as a failed start, exit 1."""
    limit = Settings(settings).getint("URLLENGTH_LIMIT")  # Scrapy's, unless --set
    for spec in sites:
        for url in spec.seeds:
            problem = too_long(urldefrag(url)[0], limit)  # as the spider requests it
            if problem:
                raise ValueError(f"start URL {shown(url)!r} of site {spec.name}: {problem}")


def storage_failure(error: storage.StorageError) -> CrawlError:
    """A database (or its lock file) the crawl cannot use: a full or failing disk is no bad
    input but a failure (1), since running again may work once it is not; else bad input."""
    return CrawlError(str(error), EXIT_FAILED if error.transient else EXIT_USAGE)


def rule_folders(options: CrawlOptions, sites: list[SiteSpec]) -> list[Path]:
    """``--rules`` folders, then the sites' ``rules`` folders, each once."""
    folders = [Path(r) for r in options.rules] + [s.rules for s in sites if s.rules]
    return list(dict.fromkeys(folders))


def settings_for(options: CrawlOptions, sites: list[SiteSpec] = ()) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NEWSCRAWL_DB", str(options.db), priority="cmdline")
    settings.set("NEWSCRAWL_LOCK_HELD", True, priority="cmdline")  # run_crawl takes it
    # --rules folders apply to every page; a site's own folder only to its pages, which the
    # extraction pipeline reads from the spider's sites
    settings.set("NEWSCRAWL_RULES", [str(r) for r in options.rules], priority="cmdline")
    settings.set("LOG_LEVEL", options.log_level, priority="cmdline")
    if options.log_level != "DEBUG":  # the stats are in runs.counts, the summary on stdout
        settings.set("STATS_DUMP", False, priority="cmdline")
        settings.set("LOG_VERSIONS", [], priority="cmdline")  # a dozen lines, every run
    if options.allow_private:
        settings.set("NEWSCRAWL_ALLOW_PRIVATE", True, priority="cmdline")
    if options.workers:
        settings.set("NEWSCRAWL_EXTRACT_WORKERS", options.workers, priority="cmdline")
    settings.set("NEWSCRAWL_RUN_OPTIONS", _run_options(options), priority="cmdline")
    for key, value in options.settings.items():
        settings.set(key, value, priority="cmdline")
    return settings


# -s settings whose values `runs.options` does not record (the data team reads that table)
_SECRET = re.compile(r"PASS|SECRET|TOKEN|KEY|AUTH|CREDENTIAL|COOKIE|HEADER|PROXY",
                     re.IGNORECASE)


def may_hold_a_secret(name: str) -> bool:
    """Whether a setting's value is hidden in messages, logs and `runs.options`."""
    return bool(_SECRET.search(name))


def _run_options(options: CrawlOptions) -> dict:
    """What `runs.options` records: every option of the command line (paths absolute, so
    that a run can be told apart from another started elsewhere; the values of settings
    that may hold a secret, hidden)."""
    return {"start_urls": options.start_urls, "max_pages": options.max_pages,
            "max_depth": options.max_depth,
            "rules": [str(Path(rules).resolve()) for rules in options.rules],
            "config": str(Path(options.config).resolve()) if options.config else None,
            "since": options.since, "workers": options.workers,
            "allow_private": options.allow_private,
            "settings": {name: "(hidden)" if may_hold_a_secret(name) else value
                         for name, value in options.settings.items()}}


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Check the options, take the lock, crawl, and return what happened.

    CrawlError: bad input (code 2), the database locked by another run (4), every site
    failed or storage failed, a full or failing disk even at the start (1), stopped by a
    signal (5). Some sites failing is a result with status ``partial``.
    """
    db = Path(options.db)
    made = {path for path in (db, lock_path(db)) if not path.exists()}  # check() makes db
    try:
        sites = check(options)
        with crawl_lock(db):
            result = _crawl(options, sites)
    except LockedError as error:
        raise CrawlError(str(error), EXIT_LOCKED) from None
    except storage.StorageError as error:  # the lock file: no permission, a full disk
        _remove_if_unused(db, made)
        raise storage_failure(error) from None
    except (CrawlError, KeyboardInterrupt):  # a Ctrl-C before the crawl began too: it says
        _remove_if_unused(db, made)            # "nothing was done", and leaves no database
        raise
    if result.stats.get(STORAGE_DAMAGED):  # no rerun cures it: a person must
        raise CrawlError(f"storage failed: {result.stats[STORAGE_ERROR]}"
                         f" ({storage.DAMAGED_ADVICE})", EXIT_USAGE, result)
    if result.stats.get(STORAGE_ERROR):
        raise CrawlError(f"storage failed: {result.stats[STORAGE_ERROR]} (what was "
                         "committed is intact; rerun to resume the queue)", EXIT_FAILED, result)
    if result.status == "interrupted":
        raise CrawlError(f"interrupted after {result.counts['pages_fetched']} pages (what was "
                         "committed is intact; rerun to resume the queue)", EXIT_INTERRUPTED,
                         result)
    if result.status == "failed":
        raise CrawlError(f"nothing could be fetched from {', '.join(_seeds(sites))} "
                         f"({error_summary(result.stats)})", EXIT_FAILED, result)
    return result


def _remove_if_unused(db: Path, made: set[Path]) -> None:
    """Remove the database this command created (in `made`), and its lock file if made too,
    if the crawl that failed to start recorded nothing in it (no run, or not even the
    table: a full disk stopped its creation): a bad -s value or a full disk leaves no file
    behind. Read only, so that a file that is not there is not created."""
    if db not in made:
        return
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                  "AND name = 'runs'").fetchone()[0]
            used = tables and conn.execute("SELECT count(*) FROM runs").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return
    if not used:
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), *(made - {db})):
            with suppress(OSError):  # what cannot be removed stays: the error said why
                path.unlink(missing_ok=True)


def _seeds(sites: list[SiteSpec]) -> list[str]:
    return [url for site in sites for url in site.seeds]


# Loggers whose INFO records are lists of what Scrapy set up (its components, its add-ons):
# dozens of lines a run, the same every run; shown at DEBUG only. The settings changed are
# a record of scrapy.crawler, which also says when a signal stops the crawl (kept).
SETUP_LOGGERS = ("scrapy.middleware", "scrapy.addons")


class _NoSettingsDump(logging.Filter):
    """Drops Scrapy's "Overridden settings" record (a dozen lines a run)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Overridden settings")


class _HiddenSecrets(logging.Filter):
    """Scrapy's "Overridden settings" record (logged at DEBUG) made again from the crawl's
    settings, with the values of those that may hold a secret (`may_hold_a_secret`) hidden, as
    `runs.options` has them: the log goes to files and journals more people read."""

    def __init__(self, settings):
        super().__init__()
        self.settings = settings

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Overridden settings"):
            shown = {name: "(hidden)" if may_hold_a_secret(name) else value
                     for name, value in overridden_settings(self.settings)}
            record.args = {"settings": pprint.pformat(shown)}
        return True


_SETTINGS_FILTER = _NoSettingsDump()


def _crawl(options: CrawlOptions, sites: list[SiteSpec]) -> CrawlResult:
    tune_malloc()  # before Scrapy starts its threads and buffers its first bodies
    try:
        process = CrawlerProcess(settings_for(options, sites))
        quiet = options.log_level != "DEBUG"
        for name in SETUP_LOGGERS:  # after Scrapy's logging set-up, which resets them
            logging.getLogger(name).setLevel(logging.WARNING if quiet else logging.NOTSET)
        crawl_log = logging.getLogger("scrapy.crawler")
        (crawl_log.addFilter if quiet else crawl_log.removeFilter)(_SETTINGS_FILTER)
        crawler = process.create_crawler(NewsSpider)
        for old in [f for f in crawl_log.filters if isinstance(f, _HiddenSecrets)]:
            crawl_log.removeFilter(old)  # an earlier crawl's, in the same process
        crawl_log.addFilter(_HiddenSecrets(crawler.settings))
    except Exception as error:  # a setting Scrapy cannot use (-s LOG_FILE=/missing/x.log)
        raise _not_started(error) from None
    started = time.monotonic()
    failures: list = []  # a crawl that could not start (a bad -s value, an unwritable file)
    process.crawl(crawler, sites=sites, max_pages=options.max_pages,
                  max_depth=options.max_depth, since=options.since).addErrback(failures.append)
    process.start()
    try:
        stats = json.loads(json.dumps(crawler.stats.get_stats(), default=str))
    except RuntimeError:  # "Crawler.stats is not set yet": it failed before it had any
        stats = {}
    run_id = stats.get("newscrawl/run_id")
    _check_started(options, stats, failures)
    if "finish_reason" not in stats:  # forced shutdown (a second Ctrl-C): no spider_closed
        _close_unfinished(options.db, run_id, "interrupted", stats)
        stats["finish_reason"] = "shutdown"
    index = SiteIndex(sites)
    try:
        titles = latest_titles(options.db, run_id, sites=len(index.names) > 1)
        queued = queued_left(options.db, index.names)
        recorded = committed_counts(options.db, run_id) if unstored(stats) else None
    except sqlite3.DatabaseError as error:  # what it wrote may be fine, the file is not
        if not storage.damaged(error):
            raise
        stats[STORAGE_DAMAGED] = True
        stats.setdefault(STORAGE_ERROR, f"reading the run's results: {storage.one_line(error)}")
        titles, queued, recorded = [], 0, None
    result = CrawlResult(run_id, stats, time.monotonic() - started, titles,
                         run_status(stats, stats.get("finish_reason", ""), index))
    result.failed_sites = failed_sites(stats, sites)
    result.sites = len(index.names)
    result.queued = queued
    result.recorded = recorded
    return result


def _check_started(options: CrawlOptions, stats: dict, failures: list) -> None:
    """CrawlError for a crawl that could not start: one that failed as it started
    (`failures`: what its Deferred failed with), or that a pipeline could not open
    (START_ERROR, said as the check before the crawl says it: crawler/pipelines.py)."""
    run_id = stats.get("newscrawl/run_id")
    # Ctrl-C as it started, or a signal as a pipeline opened (one sent to the whole process
    # group killed the workers as they started: crawler/pipelines.py)
    if ((failures and isinstance(failures[0].value, KeyboardInterrupt))
            or stats.get(START_INTERRUPTED)):
        _close_unfinished(options.db, run_id, "interrupted", stats)
        raise CrawlError("interrupted as the crawl started, before any page was fetched"
                         " (rerun to crawl)", EXIT_INTERRUPTED)
    if failures:
        _close_unfinished(options.db, run_id, "failed", stats)
        error = failures[0].value
        raise _not_started(error, start_failure_code(error))
    if START_ERROR in stats:  # no run began: nothing to close
        raise CrawlError(stats[START_ERROR],
                         EXIT_USAGE if stats.get(STORAGE_DAMAGED) else EXIT_FAILED)


def start_failure_code(error: BaseException) -> int:
    """The exit code of a crawl that failed as it started: a setting Scrapy cannot use
    (a ValueError or TypeError from its conversion, a class path that does not import:
    `-s SCHEDULER=nope.Nope`) is bad input (2), and so is a damaged database; anything else
    is a failure (1)."""
    bad = (ValueError, TypeError, ImportError, NameError)
    return EXIT_USAGE if isinstance(error, bad) or storage.damaged(error) else EXIT_FAILED


def _not_started(error: BaseException, code: int = EXIT_USAGE) -> CrawlError:
    """A crawl that failed before any request: by default a setting or a file it cannot
    use, which a person must fix (bad input, exit 2)."""
    return CrawlError(f"the crawl could not start: {type(error).__name__}: "
                      f"{storage.advised(error)}", code)


def _close_unfinished(db_path: Path, run_id: int | None, status: str, stats: dict) -> None:
    """Record the end of a run whose spider never closed (its pipeline could not), if the
    database takes it: an unwritable file may be why the crawl could not start."""
    if run_id is None:
        return
    try:
        db = storage.open_db(db_path)
        try:
            rows = list(db.query("SELECT status FROM runs WHERE id = ?", [run_id]))
            if rows and rows[0]["status"] == "running":
                storage.finish_run(db, run_id, status,
                                   {**stats, **final_counts(db, run_id, stats)})
        finally:
            db.close()
    except (storage.StorageError, sqlite3.Error) as error:
        logger.warning("could not record the end of run %s: %s", run_id, error)


def queued_left(db_path: Path, sites: list[str]) -> int:
    db = storage.open_db(db_path)
    try:
        return sum(frontier_counts(db, site).get("queued", 0) for site in sites)
    finally:
        db.close()


def error_summary(stats: dict) -> str:
    """Why this run's start URLs failed (not the links of an earlier run's pages it tried
    again), as "http_503: 1, robots: 1"."""
    kinds = {k.split("/", 2)[2]: v for k, v in stats.items()
             if k.startswith(("newscrawl/start_errors/", "newscrawl/start_skipped/"))}
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items())) or "no response"


def committed_counts(db_path: Path, run_id: int) -> dict[str, int]:
    """The counts the runs row keeps for a run that left fetched pages unstored
    (status.final_counts): what its committed batches added."""
    db = storage.open_db(db_path)
    try:
        return storage.committed_counts(db, run_id)
    finally:
        db.close()


def latest_titles(db_path: Path, run_id: int | None, limit: int = 5,
                  sites: bool = False) -> list[str]:
    """The titles of the newest articles the run stored; `sites`: each with its site (a
    run of several sites may store one story from each)."""
    if run_id is None:
        return []
    db = storage.open_db(db_path)
    try:
        rows = db.query("SELECT title, site FROM articles WHERE run_id = ?"
                        " ORDER BY datetime(published) DESC, title LIMIT ?", [run_id, limit])
        return [(row["title"] or "(untitled)") + (f" ({row['site']})" if sites else "")
                for row in rows]
    finally:
        db.close()


# The reasons a URL asked for was not fetched (or its body not kept) that the summary names:
# the frontier's skip reasons (docs/schema.md) but `no_robots` (a site without robots.txt)
# and `not_html` (counted in the first line).
SKIP_REASONS = ("too_large", "robots", "refused", "refused_url", "offsite", "redirect_loop",
                "redirect_duplicate", "sitemap_nesting", "ignored")


def summary(result: CrawlResult) -> str:
    """The closing lines a person reads after a crawl."""
    counts = result.counts
    lost, non_html = unstored(result.stats), result.count("newscrawl/skipped/non_html")
    # (the pages fetched: the HTML pages, stored or not, and the answers that were no HTML)
    also = f"; {non_html} not HTML" if non_html else ""
    stored = f" ({result.count('newscrawl/stored/pages')} stored, {lost} not: rolled back or" \
             f" cut short, fetched again next run{also})" if lost else ""
    # the skipped pages are counted among those fetched too; the runs row counts those stored
    kept = f"; {result.recorded['pages_skipped']} of them stored" \
        if lost and result.recorded is not None else ""
    lines = [
        f"run {result.run_id}: {counts['pages_fetched']} pages fetched{stored} in "
        f"{result.seconds:.1f}s, {counts['articles_stored']} articles stored, "
        f"{counts['pages_skipped']} pages skipped "
        f"({result.count('newscrawl/extract/non_articles')} not articles, "
        f"{non_html} not HTML, "
        f"{result.count('newscrawl/extract/failed')} extraction failures{kept}), "
        f"{counts['errors'] - result.count('spider_exceptions/count')} fetch errors",
        f"  frontier: {result.count('newscrawl/frontier/discovered')} new URLs, "
        f"{result.count('newscrawl/frontier/changed')} changed, "
        f"{result.count('newscrawl/not_modified')} unchanged (304), "
        f"{result.count('newscrawl/frontier/known')} known skipped, {result.queued} left queued",
    ]
    lines += filter(None, (
        reasons_line("not fetched, by policy",
                     by_reason(result.stats, "newscrawl/skipped/{}", SKIP_REASONS)),
        given_up_line(result.stats)))
    if result.count("newscrawl/extract/no_layout"):
        lines.append(f"  {result.count('newscrawl/extract/no_layout')} articles matched no"
                     " layout of their site's rule (read without it: see the log)")
    if result.count("newscrawl/links_over_cap/pages"):
        lines.append(f"  {result.count('newscrawl/links_over_cap/links')} links not followed:"
                     f" {result.count('newscrawl/links_over_cap/pages')} pages had more than"
                     " NEWSCRAWL_MAX_PAGE_LINKS")
    if result.failed_sites:
        lines.append(f"  failed sites: {', '.join(result.failed_sites)}")
    if result.count("spider_exceptions/count"):
        lines.append(f"  {result.count('spider_exceptions/count')} pages dropped by errors in "
                     "the spider (a bug: see the log)")
    lines += [f"  - {title}" for title in result.titles]
    return "\n".join(lines)
