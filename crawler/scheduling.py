"""FrontierMiddleware: the frontier's policy between NewsSpider and Scrapy's scheduler.

A spider middleware, so the spider stays a pure discoverer and Scrapy's scheduler (or a
shared one such as scrapy-redis) stays the runtime queue; the SQLite frontier is the durable
record (crawler/frontier.py). It

* starts a run with the spider's seeds, then what the frontier has pending for the run's
  sites (``Frontier.pending``: queued rows left by a killed or budget-limited run, listings
  to re-visit, failures worth a retry, skips whose cause may have passed), highest
  priority first;
* admits each request the spider yields: a new URL, a queued one, a listing, one listed
  with a ``lastmod`` newer than our fetch, a retryable failure, robots.txt, or a skip older
  than ``NEWSCRAWL_SKIPPED_RETRY_DAYS`` (not ``not_html``); drops a known article. A
  callback's requests are looked up together (``Frontier.get_many``, 500 URLs a query);
* records a request the spider holds back (``HELD``: an entry dated before ``--since``)
  without sending it: a new URL stays queued, with its dates, and the runs whose
  ``--since`` excludes those dates do not resume it (``Frontier.pending``);
* adds ``If-None-Match`` / ``If-Modified-Since`` to a request for a URL fetched before;
* attaches the admitted URLs (``outlinks``) to the callback's visit record, so the storage
  pipeline commits them with the page that listed them;
* spends the page budgets (crawler/budget.py): a budgeted site's page requests wait for its
  listings, then go out newest first; what does not fit is recorded but not scheduled, and
  the next run starts with it.

It sits below DepthMiddleware (900), UrlLengthMiddleware (800) and RefererMiddleware (700)
(order 650), so it only sees requests they let through, and a request that waits for its
site's listings keeps the ``Referer`` of the page that linked it.
Switched off (``NotConfigured``) without the storage pipeline or with
``NEWSCRAWL_FRONTIER_ENABLED = False``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler import storage
from crawler.budget import AWAITED, REVISIT, PageBudget, first_url
from crawler.discovery import utc_now
from crawler.frontier import (
    GONE_REASONS,
    REVISIT_KINDS,
    SKIPPED_RETRY_DAYS,
    Frontier,
    SQLiteFrontier,
    is_readmitted_skip,
    is_retryable,
    skip_cutoff,
)
from crawler.listings import is_listing
from crawler.visits import ENTRY, HELD, SEED, SITE, SOURCE, failure_visit

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)
STORAGE_PIPELINE = "crawler.pipelines.StoragePipeline"
POLL_SECONDS = 5.0  # how often the pages whose wait for their listings is over are released


def frontier_enabled(settings: Any) -> bool:
    """Whether the frontier middleware runs: switched on, with the storage pipeline that
    writes what it records."""
    return (settings.getbool("NEWSCRAWL_FRONTIER_ENABLED", True)
            and STORAGE_PIPELINE in settings.getdict("ITEM_PIPELINES"))


def entry_row(request: Request) -> dict[str, Any]:
    """The frontier row for a request the spider made (columns of frontier.ENTRY_COLUMNS)."""
    meta = request.meta
    return {"url": request.url, "site": meta.get(SITE), "source": meta.get(SOURCE, "link"),
            "depth": meta.get("depth", 0), "priority": request.priority,
            "discovered_at": utc_now(), "held": int(bool(meta.get(HELD))),
            **meta.get(ENTRY, {})}  # fmt: skip


def add_validators(request: Request, row: dict) -> None:
    """Make the request conditional on what we stored for the URL."""
    if row.get("etag"):
        request.headers["If-None-Match"] = row["etag"]
    if row.get("last_modified"):
        request.headers["If-Modified-Since"] = row["last_modified"]


def changed_since_fetch(entry: dict, row: dict, key: str = "fetched_at") -> bool:
    """Whether the listing's lastmod is newer than our last fetch of the URL (`key`: or
    than our last visit), and past: a date-only lastmod is its day's last second, so that
    an edit later that day brings the page back once, after the day, not on every run."""
    lastmod = entry.get("lastmod")
    return bool(lastmod and row.get(key) and row[key] < lastmod <= utc_now())


class FrontierMiddleware:
    """Spider middleware: resume the frontier, admit requests, record what pages list."""

    def __init__(self, crawler: Crawler, db_path: str):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self._frontier: Frontier | None = None
        self.recorded: set[str] = set()  # URLs recorded as listed in this run
        self.held_now: set[str] = set()  # ...of them, those --since held back (new rows)
        self.known_skipped: set[str] = set()  # known URLs not fetched again, counted once
        self.requested: set[str] = set()  # URLs this run has scheduled (seeds included)
        self.former_seeds: set[str] = set()  # earlier runs' start URLs resumed in this one
        self.budget = PageBudget(self._limits, self.stats)
        self._poll: task.LoopingCall | None = None  # releases the pages whose wait is over
        self.skipped_retry_days = crawler.settings.getfloat("NEWSCRAWL_SKIPPED_RETRY_DAYS",
                                                            SKIPPED_RETRY_DAYS)
        self.skip_cutoff = skip_cutoff(self.skipped_retry_days)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        settings = crawler.settings
        if not frontier_enabled(settings):
            raise NotConfigured  # switched off, or nobody would write the frontier
        middleware = cls(crawler, settings.get("NEWSCRAWL_DB") or "news.db")
        connect = crawler.signals.connect
        connect(middleware.spider_opened, signal=signals.spider_opened)
        connect(middleware.spider_closed, signal=signals.spider_closed)
        connect(middleware.spider_idle, signal=signals.spider_idle)
        connect(middleware.request_dropped, signal=signals.request_dropped)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            connect(middleware.item_done, signal=signal)
        return middleware

    @property
    def frontier(self) -> Frontier:
        if self._frontier is None:
            path = getattr(self.crawler.spider, "db", None) or self.db_path  # as StoragePipeline
            storage.open_db(path).close()  # create and migrate it if need be
            self._frontier = SQLiteFrontier(path, self.skipped_retry_days)
        return self._frontier

    def spider_opened(self, spider=None) -> None:
        self._poll = task.LoopingCall(lambda: self._send(self.budget.overdue()))
        self._poll.start(POLL_SECONDS, now=False)

    def spider_closed(self, spider=None, reason: str = "") -> None:
        if self._poll is not None and self._poll.running:
            self._poll.stop()
        if self._frontier is not None:
            self._frontier.close()
            self._frontier = None

    # -- budgets: the listing phase ends (crawler/budget.py) --------------------------

    def _limits(self, site: str) -> tuple[int | None, int | None]:
        limits = getattr(self.crawler.spider, "page_limits", None)
        return limits(site) if limits else (None, None)

    def _send(self, requests: list[Request]) -> None:
        """Schedule requests that waited for their site's listings (outside any callback)."""
        for request in requests:
            self.requested.add(request.url)
            self.crawler.engine.crawl(request)

    def item_done(self, item: Any, **kwargs: Any) -> None:
        """A visit record through the item pipelines: a listing that failed (an errback's
        record, which no spider middleware sees) is answered too."""
        visit = item.get("visit") if isinstance(item, dict) else None
        if visit and "body" not in item:
            self._send(self.budget.answered(visit.get("site"), visit["url"]))

    def request_dropped(self, request: Request, spider=None) -> None:
        """A listing's request that Scrapy's duplicate filter dropped (a redirect hop to a
        URL requested already) is never answered. (A second request for a listing still in
        flight is dropped too, but it is not the one waited for: no ``AWAITED`` mark.)

        A start URL's redirect hop to an earlier run's start URL, resumed from the frontier
        (without the seed mark), goes out all the same: its answer is this run's seed's,
        and a failure must fail the run."""
        if (request.meta.get(SEED) and not request.dont_filter
                and request.url in self.former_seeds):
            self.crawler.engine.crawl(request.replace(dont_filter=True))
        if request.meta.get(AWAITED):
            self._send(self.budget.answered(request.meta.get(SITE), first_url(request)))

    def _answered(self, response: Response | None) -> list[Request]:
        request = getattr(response, "request", None)  # None: a test's bare output
        if request is None:
            return []
        return self.budget.answered(request.meta.get(SITE), first_url(request))

    def process_spider_exception(self, response: Response, exception: Exception,
                                 spider=None) -> None:
        """A listing whose callback failed is answered all the same (no visit records it)."""
        self._send(self._answered(response))

    def spider_idle(self, spider=None) -> None:
        """Nothing is in flight, so no listing is coming: whatever waits goes out."""
        released = self.budget.release_all()
        if released:
            self._send(released)
            raise DontCloseSpider

    # -- start ------------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The spider's seeds (conditional when known), then the frontier's pending rows.

        A seed new to the frontier is recorded as found at the start (source ``start``,
        depth 0), before its own page's link to itself can record it as a link."""
        seeds: set[str] = set()
        new_seeds: list[dict] = []
        async for request in start:
            if isinstance(request, Request):
                seeds.add(request.url)
                self.requested.add(request.url)  # a link back to it is a duplicate
                self.budget.asked_for(request)
                row = self.frontier.get(request.url)
                if row:
                    add_validators(request, row)
                elif request.meta.get(SITE) is not None and request.url not in self.recorded:
                    self.recorded.add(request.url)
                    self.stats.inc_value("newscrawl/frontier/discovered")
                    new_seeds.append(entry_row(request) | {"new": True})
            yield request
        if new_seeds:
            yield {"visit": None, "outlinks": new_seeds}
        spider = self.crawler.spider
        resumed = 0
        for row in self.frontier.pending(spider.site_names,  # never fetched, then revisits
                                         getattr(spider, "since", None)):
            if row["url"] in seeds:
                continue
            for element in self._resume(spider, row):
                resumed += isinstance(element, Request)
                yield element
        self.stats.set_value("newscrawl/frontier/resumed", resumed)
        logger.info("frontier: %d seeds, %d URLs pending from earlier runs", len(seeds), resumed)

    def _resume(self, spider, row: dict) -> Iterator[Any]:
        """The request for a pending frontier row, if its site's patterns and budget let
        it go out (a row the patterns now exclude: its skip, recorded)."""
        if row["url"] in self.requested:
            return  # requested already in this run (a listing the start page links)
        request = spider.request_for(row)
        if row["state"] == "fetched":  # a hub or listing looked at again
            request.meta[REVISIT] = True
        spec = spider.sites.by_name.get(row["site"])
        if (spec is not None and not is_listing(row["priority"])
                and not spec.allows(row["url"])):
            # a page queued before the site's allow / deny patterns said no: not fetched now
            # (listings, robots.txt and seeds are not held to them, in a run or across runs)
            self.stats.inc_value("newscrawl/skipped/link/denied")
            yield {"visit": failure_visit(request, row["site"], "skipped", "denied")}
            return
        add_validators(request, row)
        if not self.budget.take(request):
            return  # waits for its site's listings, or stays queued for the next run
        self.budget.asked_for(request)
        self.requested.add(request.url)
        if row["source"] == "start":
            self.former_seeds.add(request.url)
        yield request

    # -- callback output --------------------------------------------------------------

    def process_spider_output(self, response: Response, result: Iterable[Any],
                              spider=None) -> Iterator[Any]:
        """Buffer a callback's output, admit its requests, attach them to its visit record.

        A ``CloseSpider`` from the callback is re-raised after what it yielded before."""
        buffered: list[Any] = []
        try:
            buffered.extend(result)  # keeps what came before an exception
        except CloseSpider:
            yield from self._emit(buffered, response)
            raise
        except Exception:
            self._send(self._answered(response))
            raise
        yield from self._emit(buffered, response)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any],
                                          spider=None) -> AsyncIterator[Any]:
        """``process_spider_output`` for an asynchronous callback."""
        buffered: list[Any] = []
        stop: CloseSpider | None = None
        try:
            async for element in result:
                buffered.append(element)
        except CloseSpider as error:
            stop = error
        except Exception:
            self._send(self._answered(response))
            raise
        for element in self._emit(buffered, response):
            yield element
        if stop is not None:
            raise stop

    def _emit(self, buffered: list[Any], response: Response | None) -> Iterator[Any]:
        items = [element for element in buffered if not isinstance(element, Request)]
        requests = sorted((element for element in buffered if isinstance(element, Request)),
                          key=lambda request: -request.priority)  # newest first, then budget
        answered = getattr(response, "request", None)  # None: a test's bare output
        if (answered is not None and is_listing(answered.priority)
                and any(isinstance(item, dict) and "body" in item for item in items)):
            self.budget.spend(answered.meta.get(SITE))  # a listing that is a page (a start page)
        scheduled = self.budget.overdue()  # before this answer's own pages take the budget
        self.requested.update(request.url for request in scheduled)  # a link to one: free
        outlinks = []
        known = self.frontier.get_many([r.url for r in requests if r.meta.get(SITE) is not None
                                        and r.url not in self.recorded])  # fmt: skip
        for request in requests:
            # requested before in this run: Scrapy's duplicate filter drops it, so it must
            # not spend a page of the budget (a link back to the homepage would)
            repeat = request.url in self.requested
            admitted, entry = self.admit(request, known)
            if entry is not None:
                outlinks.append(entry)
            if admitted and (repeat or self.budget.take(request)):
                if not repeat:
                    self.budget.asked_for(request)
                scheduled.append(request)
                self.requested.add(request.url)
        released = self._answered(response)  # after the listings it names were asked for
        self.requested.update(request.url for request in released)
        scheduled += released
        record = next((item for item in items if isinstance(item, dict) and "visit" in item),
                      None)  # fmt: skip
        if record is None and outlinks:
            record = {"visit": None}
            items.append(record)
        if record is not None:
            record["outlinks"] = outlinks
        yield from items
        yield from scheduled

    def admit(self, request: Request, known: dict[str, dict] | None = None
              ) -> tuple[bool, dict | None]:
        """Whether to fetch the request now, and the frontier row to record for it (or None).

        ``known``: the frontier rows of a callback's requests, looked up together
        (``Frontier.get_many``); without it the row is read here."""
        url = request.url
        if request.meta.get(SITE) is None:
            return True, None
        entry = entry_row(request)
        if request.meta.get(HELD):
            return False, self._held(request, entry, known)
        if url in self.held_now:  # held back by --since earlier in this run, asked for now
            self.held_now.discard(url)  # (a link, whatever its date): its row is held no more
            return True, entry
        if url in self.recorded:  # Scrapy's duplicate filter has it; a sitemap or feed
            # listing it after a page linked it still gives its row a date and a priority
            return True, (entry if request.meta.get(ENTRY) else None)
        row = self._row(url, known)
        if row is None:
            self.recorded.add(url)
            self.stats.inc_value("newscrawl/frontier/discovered")
            return True, entry | {"new": True}
        add_validators(request, row)
        return self._admit_known(request, row, entry)

    def _row(self, url: str, known: dict[str, dict] | None) -> dict | None:
        """The URL's frontier row: from `known` (a callback's rows, read together) if given."""
        return known.get(url) if known is not None else self.frontier.get(url)

    def _held(self, request: Request, entry: dict,
              known: dict[str, dict] | None) -> dict | None:
        """The row to record for a request not due in this run: a new URL is inserted
        queued, with its dates (and marked recorded, so that a link to it in this run has it
        fetched, as a link's URL is whatever its date, and its row made `held` no more).
        A URL known already records nothing: dating a row a link queued would keep it out
        of the later runs with ``--since`` (``Frontier.pending``), and dating a fetched one
        would hide a change from the next run that compares the listing's date with the
        row's."""
        url = request.url
        if url in self.recorded:
            return None
        row = self._row(url, known)
        if row is not None:
            return None
        self.recorded.add(url)
        self.held_now.add(url)
        self.stats.inc_value("newscrawl/frontier/discovered")
        return entry | {"new": True}

    def _admit_known(self, request: Request, row: dict, entry: dict) -> tuple[bool, dict | None]:
        state = row["state"]
        if state == "queued":
            self.recorded.add(request.url)
            return True, entry
        if (state == "fetched" and changed_since_fetch(entry, row)) or (
                state == "failed" and row.get("reason") in GONE_REASONS
                and changed_since_fetch(entry, row, "visited_at")):  # gone, and back?
            self.recorded.add(request.url)
            self.stats.inc_value("newscrawl/frontier/changed")
            return True, entry
        if state == "fetched" and row.get("kind") in REVISIT_KINDS:
            request.meta[REVISIT] = True
            return True, None
        if state == "failed" and (is_retryable(row) or row.get("source") == "robots"):
            return True, None
        if state == "skipped" and is_readmitted_skip(row, self.skip_cutoff):
            return True, None
        if request.url not in self.known_skipped:  # counted once, however many pages link it
            self.known_skipped.add(request.url)
            self.stats.inc_value("newscrawl/frontier/known")
        return False, None
