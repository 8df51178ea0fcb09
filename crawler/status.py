"""Run outcomes and site health: what `newscrawl status` shows.

Every run records counts per site in `run_sites` (and failure reasons in
`run_site_failures`), committed with the pages they count. Health compares a site's latest
run with its earlier ones and flags what operators of news crawlers say goes unnoticed:

* ``yield dropped``: the share of fresh pages (not section pages read again) that are
  articles fell below half of the site's usual share (the median of its earlier runs that
  stored articles) - typically a layout change that makes extraction see teasers instead
  of articles;
* ``blocked``: most requests answered 403 or 429 (or, five or more, most of those not
  answered 304);
* ``failing``: nothing fetched, only failures or refusals (a start URL that robots.txt,
  the address policy or an offsite redirect refused is as dead to the crawl as a 500), or
  most requests failed (5xx, timeouts, resets: at least MIN_PAGES of them; most of those
  not answered 304) while the listings still answered.

A run that fetched too few fresh pages (an incremental run with little new) has its yield
judged together with the runs before it, until they hold enough; an interrupted run is
judged only on what it did get answered (a signal, a timer's stop): a site it stopped
before reaching is not failing; a run still going is not judged at all. Only the sites in
the latest finished run that counted any are judged: one taken out of the config (or
renamed), or left out of a one-off crawl, shows with its last run, and raises no alert.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlite_utils

if TYPE_CHECKING:
    from crawler.config import SiteIndex

MIN_PAGES = 5  # fewer fresh pages than this in a run: its yield says nothing
DROP_RATIO = 0.5  # latest yield below half the usual one: flagged
BLOCK_SHARE = 0.5  # more than half the requests answered 403/429: flagged
FAIL_SHARE = 0.5  # more than half the requests failed (5xx, timeouts, resets): flagged


SKIPPED_KEYS = ("newscrawl/extract/non_articles", "newscrawl/extract/failed",
                "newscrawl/skipped/non_html")


def run_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The headline counts of a run (the `runs` columns) from its Scrapy stats."""
    def count(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    return {
        # HTML pages, and the answers skipped for not being HTML (both fetched, both pages)
        "pages_fetched": count("newscrawl/pages") + count("newscrawl/skipped/non_html"),
        "articles_stored": count("newscrawl/stored/articles"),  # distinct article keys
        "pages_skipped": sum(count(k) for k in SKIPPED_KEYS),
        # fetch errors, and exceptions in a callback (a page it dropped, which is a bug)
        "errors": sum(int(v or 0) for k, v in stats.items() if k.startswith("newscrawl/errors/"))
        + count("spider_exceptions/count"),
    }


def final_counts(db: sqlite_utils.Database, run_id: int, stats: dict[str, Any]
                 ) -> dict[str, int]:
    """The counts a run's row records: its stats', but where pages it fetched were never
    stored (a failed write, a second signal), what its committed batches left in run_sites
    (the stats' still, should the file not read)."""
    counts = run_counts(stats)
    if unstored(stats):
        from crawler import storage  # here: storage is the crawl's, not the status report's

        with suppress(sqlite3.Error):  # a damaged file: the run is still recorded
            counts |= storage.committed_counts(db, run_id)
    return counts


def unstored(stats: dict[str, Any]) -> int:
    """HTML pages the run fetched and never committed: the batch a failed write rolled back,
    the pages still on their way when a second signal stopped the crawl (0 where nothing
    was to be stored: no storage pipeline opened a run)."""
    if "newscrawl/run_id" not in stats:
        return 0
    stored = int(stats.get("newscrawl/stored/pages", 0) or 0)
    return max(0, int(stats.get("newscrawl/pages", 0) or 0) - stored)


# Why a run sent none of a host's other URLs once it gave the host up
# (crawler/middlewares.py): it could not be reached (`dead_host`), answered nothing but
# 429 / 503 (`throttled`), or its robots.txt could not be read (`robots_unavailable`:
# everything disallowed). The stat `newscrawl/<reason>/unsent` counts them; nothing is
# recorded for them, so their frontier rows stay as they were and the next run tries them.
GIVEN_UP_REASONS = ("dead_host", "throttled", "robots_unavailable")


def by_reason(stats: dict[str, Any], key: str, reasons: tuple[str, ...]) -> dict[str, int]:
    """The counts of `reasons` that are not 0, in their order: each the stat `key` names
    with the reason put in (``"newscrawl/skipped/{}"``)."""
    counts = {reason: int(stats.get(key.format(reason), 0) or 0) for reason in reasons}
    return {reason: n for reason, n in counts.items() if n}


def reasons_line(label: str, counts: dict[str, int], after: str = "") -> str | None:
    """A summary line of counts by reason ("  not fetched, by policy: robots: 1"), None
    where there are none."""
    if not counts:
        return None
    return f"  {label}: " + ", ".join(f"{reason}: {n}" for reason, n in counts.items()) + after


def given_up_line(stats: dict[str, Any]) -> str | None:
    """The line saying what a run left unsent because it gave their host up, by reason;
    None where it left none."""
    return reasons_line("not sent, their host given up",
                        by_reason(stats, "newscrawl/{}/unsent", GIVEN_UP_REASONS),
                        " (they wait for the next run)")


INTERRUPTED_REASONS = ("shutdown",)  # SIGINT / SIGTERM: Scrapy's finish reason
FAILED_REASONS = ("storage_error",)  # a write failed (crawler/pipelines.py)
STORAGE_ERROR = "newscrawl/storage_error"  # the stat holding that write's error
STORAGE_DAMAGED = "newscrawl/storage_damaged"  # true when SQLite found the file corrupt
START_ERROR = "newscrawl/start_error"  # why the crawl could not start (a pipeline's open)
# a signal stopped the crawl as a pipeline opened (it killed the workers as they started)
START_INTERRUPTED = "newscrawl/start_interrupted"
FAILED_SITES = "failed_sites"  # runs.counts: the sites whose start URLs all failed


def run_status(stats: dict[str, Any], reason: str, sites: SiteIndex | None = None) -> str:
    """``ok``, ``partial`` (some sites failed), ``failed`` or ``interrupted``.

    A site failed when none of its start URLs could be fetched; the run failed when every
    site did and no HTML page was fetched (one queued by an earlier run makes it partial);
    without the site list, the
    run failed when nothing was fetched and a start URL failed. Any other finish reason
    (``finished``, ``max_pages``, ``closespider_pagecount``, ``closespider_timeout``...) is
    judged by those checks alone; a stop by signal is ``interrupted``, a storage error
    ``failed``, whatever the finish reason (the last batch, written as the spider closes,
    fails after the reason is set).
    """
    if reason in FAILED_REASONS or stats.get(STORAGE_ERROR):
        return "failed"
    if reason in INTERRUPTED_REASONS:
        return "interrupted"
    if sites is None:
        nothing = not stats.get("newscrawl/pages")
        return "failed" if nothing and stats.get("newscrawl/start_failed") else "ok"
    failed = failed_sites(stats, sites.specs)
    if not failed:
        return "ok"
    # every site's start URLs failed, and yet HTML pages queued by earlier runs were
    # fetched (and stored): that run did not fail, as "nothing could be fetched" would say
    # (answers that are no HTML, a PDF start URL among them, leave it failed)
    everything = len(failed) == len(sites.specs) and not stats.get("newscrawl/pages")
    return "failed" if everything else "partial"


def failed_sites(stats: dict[str, Any], specs) -> list[str]:
    """The sites none of whose start URLs could be fetched (refused by robots.txt, an
    error, not a page: `newscrawl/sites/<site>/start_failed`)."""
    return [spec.name for spec in specs
            if stats.get(f"newscrawl/sites/{spec.name}/start_failed", 0) >= len(spec.seeds)]


@dataclass
class SiteHealth:
    """One site over its recent runs; ``latest`` and ``history`` are `run_sites` rows."""

    site: str
    latest: dict
    history: list[dict]
    failures: dict[str, int] = field(default_factory=dict)
    start_failed: bool = False  # its latest run could fetch none of its start URLs
    current: bool = True  # in the latest run that counted sites (else only shown)

    @staticmethod
    def yield_of(row: dict) -> float | None:
        """The share of a run's fresh pages that are articles: section pages read again
        (`revisited`, most of what an incremental run fetches) are none."""
        fresh = _fresh(row)
        return row["articles"] / fresh if fresh >= MIN_PAGES else None

    @property
    def recent(self) -> tuple[float | None, int]:
        """The article yield of the latest run, taken together with the runs just before
        it until they hold MIN_PAGES fresh pages (a run every 15 minutes may fetch two new
        stories: judged alone, a site serving a challenge page for every new story was
        never flagged), and how many runs that took (None, 0: never as many)."""
        return _pooled([self.latest, *self.history])

    @property
    def baseline(self) -> float | None:
        """The median article yield of the earlier runs (those before `recent`'s), each
        taken together with the runs just before it until they hold enough fresh pages,
        that stored an article: runs that stored none (blocked, a challenge page served
        for every story) are an outage, not the usual, or a block that lasts would stop
        being flagged after its first run."""
        rows = self.history[max(0, self.recent[1] - 1):]
        yields = []
        while rows:
            share, used = _pooled(rows)
            if not used:
                break
            if share:
                yields.append(share)
            rows = rows[used:]
        return statistics.median(yields) if yields else None

    @property
    def flags(self) -> list[str]:
        if not self.current:
            return []
        latest, flags = self.latest, []
        whole = latest.get("status") != "interrupted"  # (a partial run: what it got only)
        now, usual = self.recent[0], self.baseline
        if whole and now is not None and usual and now < DROP_RATIO * usual:
            flags.append(f"yield dropped ({now:.0%} vs usual {usual:.0%})")
        refused = latest["http_403"] + latest["http_429"]
        if refused and self._most(refused, BLOCK_SHARE):
            flags.append(f"blocked ({latest['http_403']}x403, {latest['http_429']}x429)")
        elif ((latest["failed"] or (whole and latest["skipped"]))
              and not latest["fetched"]):
            flags.append(f"failing (nothing fetched: {latest['failed']} failed, "
                         f"{latest['skipped']} skipped)")
        elif whole and self.start_failed:  # robots.txt fetched, then refusing everything
            flags.append(f"failing (no start URL fetched: {latest['failed']} failed, "
                         f"{latest['skipped']} skipped)")
        elif self.erring >= MIN_PAGES and self._most(self.erring, FAIL_SHARE):
            flags.append(f"failing (most requests failed: {self.erring} of "
                         f"{latest['fetched'] + latest['failed']}, {latest['http_5xx']}x5xx)")
        return flags

    def _most(self, count: int, share: float) -> bool:
        """Whether `count` of the latest run's answers is over `share` of them all, or, at
        least MIN_PAGES of them, of those that were not a 304: the listings answering 304
        while every new story fails are a site in trouble all the same."""
        latest = self.latest
        answered = latest["fetched"] + latest["failed"]
        fresh = answered - latest["not_modified"]
        return count > share * answered or (count >= MIN_PAGES and count > share * fresh)

    @property
    def erring(self) -> int:
        """The latest run's failures that say the site is in trouble: 5xx answers, timeouts,
        refused or reset connections; not a 4xx (a story taken down, a dead link)."""
        if not self.failures:
            return self.latest["http_5xx"]
        return sum(count for reason, count in self.failures.items()
                   if not reason.startswith("http_4"))


def _fresh(row: dict) -> int:
    return row["pages"] - row.get("revisited", 0)


def _pooled(rows: list[dict]) -> tuple[float | None, int]:
    """The article yield of the first of `rows` taken together with those after it until
    they hold MIN_PAGES fresh pages, and how many it took ((None, 0): never as many)."""
    fresh = articles = 0
    for used, row in enumerate(rows, 1):
        fresh, articles = fresh + _fresh(row), articles + row["articles"]
        if fresh >= MIN_PAGES:
            return articles / fresh, used
    return None, 0


def site_health(db: sqlite_utils.Database, runs: int = 10) -> list[SiteHealth]:
    """Health of every site seen in the latest run and the ``runs`` before it, by name; a
    run still going (or left `running` by a killed crawl) is not judged, nor shown."""
    run_ids = [row["id"] for row in db.query(
        "SELECT id FROM runs WHERE status != 'running' ORDER BY id DESC LIMIT ?",
        [runs + 1])]  # fmt: skip
    if not run_ids:
        return []
    marks = ", ".join("?" for _ in run_ids)
    rows = list(db.query(
        f"SELECT rs.*, r.started_at, r.status FROM run_sites rs JOIN runs r ON r.id = rs.run_id"
        f" WHERE rs.run_id IN ({marks}) ORDER BY rs.site, rs.run_id DESC", run_ids))  # fmt: skip
    by_site: dict[str, list[dict]] = {}
    for row in rows:
        by_site.setdefault(row["site"], []).append(row)
    failed = {row["id"]: set(json.loads(row["counts"] or "{}").get(FAILED_SITES) or ())
              for row in db.query(f"SELECT id, counts FROM runs WHERE id IN ({marks})", run_ids)}
    judged = max((row["run_id"] for row in rows), default=None)  # the latest that counted
    return [SiteHealth(site, history[0], history[1:], _failures(db, history[0]),
                       site in failed.get(history[0]["run_id"], ()),
                       history[0]["run_id"] == judged)
            for site, history in sorted(by_site.items())]  # fmt: skip


def _failures(db: sqlite_utils.Database, row: dict) -> dict[str, int]:
    query = ("SELECT reason, count FROM run_site_failures WHERE run_id = ? AND site = ?"
             " ORDER BY count DESC, reason")  # fmt: skip
    return {r["reason"]: r["count"] for r in db.query(query, [row["run_id"], row["site"]])}


COLUMNS = ("site", "last run", "fetched", "304", "pages", "articles", "yield", "usual",
           "paywalled", "403", "429", "5xx", "failed")  # fmt: skip


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _pooled_percent(share: float | None, runs: int) -> str:
    """A yield, with the number of runs it spans where more than the latest."""
    return _percent(share) + (f" ({runs} runs)" if runs > 1 else "")


def _cells(health: SiteHealth) -> list[str]:
    latest = health.latest
    failed = str(latest["failed"])
    if health.failures:
        failed += " (" + ", ".join(f"{k}: {v}" for k, v in list(health.failures.items())[:3]) + ")"
    return [health.site, f"#{latest['run_id']} {latest['started_at']}", str(latest["fetched"]),
            str(latest["not_modified"]), str(latest["pages"]), str(latest["articles"]),
            _pooled_percent(*health.recent), _percent(health.baseline),
            str(latest["paywalled"]), str(latest["http_403"]), str(latest["http_429"]),
            str(latest["http_5xx"]), failed]  # fmt: skip


def stale_alert(run: dict | None, max_age: timedelta, running: bool = False,
                now: datetime | None = None) -> str | None:
    """The ALERT line when the last run (None: no run yet) started longer than `max_age`
    ago: scheduled crawls stopped (a config that no longer loads, a timer turned off, a
    database another process keeps locked record no run at all), or, `running` (a crawl
    holds the lock), one has gone on that long."""
    now = now or datetime.now(UTC)
    if run is None:
        return "ALERT no run recorded yet"
    try:
        started = datetime.fromisoformat(str(run["started_at"]).replace("Z", "+00:00"))
    except ValueError:
        return f"ALERT last run #{run['id']}: unreadable started_at {run['started_at']!r}"
    if started.tzinfo is None:  # written by hand or another tool: read as UTC
        started = started.replace(tzinfo=UTC)
    if now - started <= max_age:
        return None
    if running:
        return (f"ALERT run #{run['id']} started {run['started_at']}, more than "
                f"{_span(max_age)} ago, and is still running")
    return (f"ALERT last run #{run['id']} started {run['started_at']}, more than "
            f"{_span(max_age)} ago: are the scheduled crawls running?")


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def last_run_lines(run: dict, lock_file: Any) -> list[str]:
    """`status`'s lines on the last run (a `runs` row): when it ran and how it ended, and
    what it left unsent because it gave their host up (`given_up_line`; no flag: a host
    down for one run is no site in trouble yet, and its URLs wait for the next)."""
    lines = [f"last run #{run['id']}: {run['status']}, started {run['started_at']}, "
             f"finished {run['finished_at'] or '-'}; lock file {lock_file}"]
    given_up = given_up_line(json.loads(run["counts"] or "{}"))
    return [*lines, given_up] if given_up else lines


def run_alert(run: dict) -> str | None:
    """The ALERT line for a last run that failed: nothing was fetched, or a write failed
    (its batch rolled back; what it fetched is fetched again by the next run)."""
    if run["status"] != "failed":
        return None
    counts = json.loads(run["counts"] or "{}")
    cause = counts.get(STORAGE_ERROR) or "no start URL could be fetched"
    return f"ALERT run #{run['id']}: failed: {cause}"


def health_table(healths: list[SiteHealth]) -> str:
    """A plain-text table, one line per site, then one line per flag."""
    rows = [list(COLUMNS)] + [_cells(health) for health in healths]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]  # fmt: skip
    for health in healths:
        lines += [f"ALERT {health.site}: {flag}" for flag in health.flags]
    return "\n".join(lines)
