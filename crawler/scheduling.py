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
  callback's requests are looked up together (``Frontier.get_many``, 250 URLs a query),
  ``CHUNK`` (1,000) at a time as it yields them (`_Output`): a long sitemap is never
  held whole as requests, nor the reactor for the whole of it (an asynchronous callback
  output, as Scrapy's asyncio reactor runs every callback's, gives the reactor a turn after
  each chunk). A URL the crawl knows spelled otherwise (the query's parameters
  in another order, other percent-escapes: one document to Scrapy's duplicate filter) is
  requested under the known spelling (`_respelled`);
* records a request the spider holds back (``HELD``: an entry dated before ``--since``)
  without sending it: a new URL stays queued, with its dates, and the runs whose
  ``--since`` excludes those dates do not resume it (``Frontier.pending``);
* adds ``If-None-Match`` / ``If-Modified-Since`` to a request for a URL fetched before;
* attaches the admitted URLs (``outlinks``) to the callback's visit record, so the storage
  pipeline commits them with the page that listed them;
* spends the page budgets (crawler/budget.py): a budgeted site's page requests wait for its
  listings, then go out newest first; what does not fit is recorded but not scheduled, and
  the next run starts with it;
* bounds the runtime queue: Scrapy's scheduler holds at most ``NEWSCRAWL_QUEUE_LIMIT``
  requests (a ``Request`` and what Scrapy keeps for it cost about 3 KB each; a sitemap of
  50,000 URLs would hold 150 MB). A page request of a site without a budget admitted while
  the scheduler is full is recorded in the frontier, queued, and not scheduled
  (*spilled*); once the scheduler has drained below half the limit, it is refilled from the
  frontier's queued rows, highest priority first. A run's start resumes at most a limit's
  worth of queued pages the same way. So the crawl process's memory holds the frontier's
  URLs (the sets below), not a request per URL.

It sits below DepthMiddleware (900), UrlLengthMiddleware (800) and RefererMiddleware (700)
(order 650), so it only sees requests they let through, and a request that waits for its
site's listings keeps the ``Referer`` of the page that linked it.
Switched off (``NotConfigured``) without the storage pipeline or with
``NEWSCRAWL_FRONTIER_ENABLED = False``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import sleep
from twisted.internet import task

from crawler import storage
from crawler.budget import AWAITED, PageBudget, first_url
from crawler.discovery import utc_now
from crawler.frontier import (
    GONE_REASONS,
    REDIRECT_SKIPS,
    REVISIT_KINDS,
    SKIPPED_RETRY_DAYS,
    UNFOLLOWED,
    Frontier,
    SQLiteFrontier,
    is_readmitted_skip,
    is_retryable,
    skip_cutoff,
)
from crawler.listings import is_listing
from crawler.urlpolicy import url_key
from crawler.visits import (
    ENTRY,
    FILTERS,
    HELD,
    SITE,
    SITEMAP_NESTING,
    SOURCE,
    failure_visit,
    mark_revisit,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)
STORAGE_PIPELINE = "crawler.pipelines.StoragePipeline"
POLL_SECONDS = 5.0  # how often the pages whose wait for their listings is over are released
# NEWSCRAWL_QUEUE_LIMIT: requests Scrapy's scheduler holds at most (0: no limit); the rest
# wait in the frontier and are scheduled as it drains below half of it.
QUEUE_LIMIT = 2000
REFILL_PAUSE = 1.0  # seconds between two looks at the frontier that found nothing to refill
# Idle rounds (Scrapy looks every 5 s) the crawl waits for spilled rows to be committed.
SPILL_WAITS = 6


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
            "nesting": meta.get(SITEMAP_NESTING), **meta.get(ENTRY, {})}  # fmt: skip


def add_validators(request: Request, row: dict, follows: bool = True) -> bool:
    """Make the request conditional on what we stored for the URL, unless the links of the
    page it answers are to be followed (``follows``: within the depth limits) and were not
    read as they would be now: under other filters than its site's now
    (`crawler.config.SiteSpec.filters`), or not at all (`UNFOLLOWED`: a run with a lower
    depth limit). A listing is then read in full, so that the entries the old allow / deny
    patterns or depth limit left out (never recorded) are seen. False when that left it
    unconditional."""
    if not (row.get("etag") or row.get("last_modified")):
        return True
    stored = row.get("filters")
    if follows and stored and request.meta.get(FILTERS, stored) != stored:
        return False
    if row.get("reread_at") and row["reread_at"] <= utc_now():
        return True  # a listing that dated an entry's edit ahead, now past: read in full
    if row.get("etag"):
        request.headers["If-None-Match"] = row["etag"]
    if row.get("last_modified"):
        request.headers["If-Modified-Since"] = row["last_modified"]
    return True


def changed_since_fetch(entry: dict, row: dict, key: str = "fetched_at") -> bool:
    """Whether the listing's lastmod is newer than our last fetch of the URL (`key`: or
    than our last visit), and past: a date-only lastmod is its day's last second, so that
    an edit later that day brings the page back once, after the day, not on every run."""
    lastmod = entry.get("lastmod")
    return bool(lastmod and row.get(key) and row[key] < lastmod <= utc_now())


# Sent by the spider for a request it was told was not sent (`crawler.middlewares.Unsent`:
# its host given up, its robots.txt unread, the crawl stopping), with `request`: nothing
# records it, and a listing a budgeted site waits for is answered so (`request_dropped`).
request_unsent = object()


class FrontierMiddleware:
    """Spider middleware: resume the frontier, admit requests, record what pages list."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self._frontier: Frontier | None = None
        self.recorded: set[str] = set()  # URLs recorded as listed in this run
        self.spellings: dict[str, str] = {}  # url_key -> the first of them spelled otherwise
        self.held_now: set[str] = set()  # ...of them, those --since held back (new rows)
        self.known_skipped: set[str] = set()  # known URLs not fetched again, counted once
        self.refiltered_sites: set[str | None] = set()  # sites whose filters changed, logged
        self.requested: set[str] = set()  # URLs this run has scheduled (seeds included)
        self.seeds: set[str] | None = None  # this run's start URLs, once its start is read
        self.budget = PageBudget(self._limits, self.stats)
        self._poll: task.LoopingCall | None = None  # releases the pages whose wait is over
        self.skipped_retry_days = crawler.settings.getfloat("NEWSCRAWL_SKIPPED_RETRY_DAYS",
                                                            SKIPPED_RETRY_DAYS)
        self.skip_cutoff = skip_cutoff(self.skipped_retry_days)
        self.queue_limit = crawler.settings.getint("NEWSCRAWL_QUEUE_LIMIT", QUEUE_LIMIT)
        self.spilled: set[str] = set()  # admitted, left queued in the frontier, not requested
        self.passed: set[str] = set()  # pending rows looked at and not requested (budget...)
        self.backlog = False  # pending rows from earlier runs not looked at yet
        self.resumed = 0  # ...and those requested, so far
        self._refill_after = 0.0  # monotonic time: no look at the frontier before it
        self._spill_waits = 0  # idle rounds waited for spilled rows to be committed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        settings = crawler.settings
        if not frontier_enabled(settings):
            raise NotConfigured  # switched off, or nobody would write the frontier
        middleware = cls(crawler)
        connect = crawler.signals.connect
        connect(middleware.spider_opened, signal=signals.spider_opened)
        connect(middleware.spider_closed, signal=signals.spider_closed)
        connect(middleware.spider_idle, signal=signals.spider_idle)
        connect(middleware.request_dropped, signal=signals.request_dropped)
        connect(middleware.request_dropped, signal=request_unsent)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            connect(middleware.item_done, signal=signal)
        return middleware

    @property
    def frontier(self) -> Frontier:
        if self._frontier is None:
            path = storage.crawl_db(self.crawler)
            storage.open_db(path).close()  # create and migrate it if need be
            self._frontier = SQLiteFrontier(path, self.skipped_retry_days)
        return self._frontier

    def spider_opened(self, spider=None) -> None:
        self._poll = task.LoopingCall(self._on_poll)
        self._poll.start(POLL_SECONDS, now=False)

    def _on_poll(self) -> None:
        self._send(self.budget.overdue())
        self._send([r for r in self._refill(records=False) if isinstance(r, Request)])

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
        URL requested already), or that was not sent (`request_unsent`), is never answered.
        (A second request for a listing still in flight is dropped too, but it is not the
        one waited for: no ``AWAITED`` mark.)"""
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
        """Nothing is in flight, so no listing is coming: whatever waits goes out, and
        what the frontier holds for the run (spilled, or left by earlier runs).

        A spilled URL whose row the frontier does not have yet (its batch is not
        committed) is waited for, SPILL_WAITS idle rounds at most; after that it stays
        queued for the next run, and the log says how many. One whose row is there but
        not for this run to schedule (a site renamed since it was queued) is let go."""
        released = self.budget.release_all()
        self._send(released)  # marked requested before the frontier is looked at
        self._refill_after = 0.0
        refilled = [r for r in self._refill(records=False) if isinstance(r, Request)]
        self._send(refilled)
        if released or refilled:
            self._spill_waits = 0
            raise DontCloseSpider
        if self.spilled:  # what is still waited for: the rows not committed yet
            self.spilled.difference_update(self.frontier.get_many(sorted(self.spilled)))
        if self.spilled and self._spill_waits < SPILL_WAITS:
            self._spill_waits += 1
            raise DontCloseSpider
        if self.spilled:
            logger.warning("frontier: %d spilled URLs were not seen committed; they stay "
                           "queued for the next run", len(self.spilled))

    # -- start ------------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The spider's seeds (conditional when known), then the frontier's pending rows.

        A seed new to the frontier is recorded as found at the start (source ``start``,
        depth 0), before its own page's link to itself can record it as a link; one the
        frontier knows spelled otherwise is requested as the frontier has it."""
        seeds: set[str] = set()
        new_seeds: list[dict] = []
        async for request in start:
            if isinstance(request, Request):
                row = self.frontier.get_many([request.url]).get(request.url)
                if row is not None and row["url"] != request.url:  # known, spelled otherwise
                    request = request.replace(url=row["url"])
                seeds.add(request.url)
                self.requested.add(request.url)  # a link back to it is a duplicate
                self.budget.asked_for(request)
                if row:
                    self._conditional(request, row)
                    if row["state"] == "fetched":  # a start page read again
                        mark_revisit(request, row)
                elif request.meta.get(SITE) is not None and request.url not in self.recorded:
                    self._record_new(request.url)
                    self.stats.inc_value("newscrawl/frontier/discovered")
                    new_seeds.append(entry_row(request) | {"new": True})
            yield request
        if new_seeds:
            yield {"visit": None, "outlinks": new_seeds}
        self.seeds = seeds
        for element in self._resume_pending(seeds):
            yield element
        self.stats.set_value("newscrawl/frontier/resumed", self.resumed)
        logger.info("frontier: %d seeds, %d URLs pending from earlier runs%s", len(seeds),
                    self.resumed, ", more to come as the queue drains" if self.backlog else "")

    def _resume_pending(self, seeds: set[str]) -> Iterator[Any]:
        """What the frontier has pending for the run's sites (`Frontier.pending`): never
        fetched, then revisits, then the pages whose links a depth limit left unread and
        this run's would follow (`Frontier.unfollowed`). Of the queued pages and those that
        may wait (`_may_wait`), a limit's worth; the others are scheduled as Scrapy's queue
        drains (`_refill`)."""
        spider = self.crawler.spider
        pages = 0
        rows = chain(self.frontier.pending(spider.site_names, getattr(spider, "since", None)),
                     self.frontier.unfollowed(self._depth_limits()))
        for row in rows:
            if row["url"] in seeds:
                continue
            waits = _waiting(row) and self._may_wait(row["site"], row["priority"])
            if waits and pages >= self.queue_limit:
                self.backlog = True
                continue
            for element in self._resume(spider, row):
                if isinstance(element, Request):
                    self.resumed += 1
                    pages += waits
                yield element

    def _resume(self, spider, row: dict, records: bool = True) -> Iterator[Any]:
        """The request for a pending frontier row, if its site's patterns and budget let
        it go out (a row the patterns now exclude: its skip, recorded; with ``records``
        False, where no record can be yielded, left for a later look)."""
        if row["url"] in self.requested:
            return  # requested already in this run (a listing the start page links)
        if row["source"] == "start" and self.seeds is not None and row["url"] not in self.seeds:
            # an earlier run's start URL that this run's are not (taken out of the config, a
            # site's URL changed): not looked at again unless a page or listing links it
            self.stats.inc_value("newscrawl/frontier/former_seeds")
            return
        self.spilled.discard(row["url"])
        spec = spider.sites.by_name.get(row["site"])
        if (spec is not None and not is_listing(row["priority"])
                and not spec.allows(row["url"])):
            # a page queued before the site's allow / deny patterns said no: not fetched now
            # (listings, robots.txt and seeds are not held to them, in a run or across runs);
            # looked at every run, recorded and counted once
            if records and row.get("reason") != "denied":
                self.passed.add(row["url"])
                self.stats.inc_value("newscrawl/skipped/link/denied")
                yield {"visit": failure_visit(spider.request_for(row), row["site"], "skipped",
                                              "denied")}
            return
        request = spider.request_for(row)
        if row["state"] == "fetched":  # a hub or listing looked at again
            mark_revisit(request, row)
        self._conditional(request, row)
        if not self.budget.take(request):
            self.passed.add(row["url"])
            return  # waits for its site's listings, or stays queued for the next run
        self.budget.asked_for(request)
        self.requested.add(request.url)
        yield request

    # -- the bounded runtime queue ----------------------------------------------------

    def _queued(self) -> int | None:
        """Requests in Scrapy's scheduler (None: not known, e.g. outside a crawl)."""
        try:
            return len(self.crawler.engine.scheduler)
        except (RuntimeError, AttributeError, TypeError):  # no engine (yet), no scheduler,
            return None  # or a scheduler that cannot say

    def _depth_limits(self) -> dict[str, int | None]:
        """Each of the run's sites' depth limit (None: none), for `Frontier.unfollowed`."""
        spider = self.crawler.spider
        limit = getattr(spider, "depth_limit", None)
        if limit is None:  # a spider of another kind (a test's): none read
            return {}
        return {spec.name: limit(spec) for spec in spider.sites.specs}

    def _may_wait(self, site: str | None, priority: int) -> bool:
        """Whether a request may wait in the frontier while Scrapy's queue is full: a page
        (a listing may not: discovery must not wait) of a site whose pages may."""
        return not is_listing(priority) and self._site_waits(site)

    def _site_waits(self, site: str | None) -> bool:
        """Whether a site's pages may wait in the frontier: with a bounded queue, and
        without a page budget (a budget is spent when a request is scheduled, and holds
        few anyway)."""
        return (bool(self.queue_limit) and site is not None
                and self._limits(site) == (None, None))

    def _spills(self, request: Request, entry: dict | None, held: bool,
                queued: int | None) -> bool:
        """Whether an admitted request is left queued in the frontier instead of scheduled:
        the scheduler holds the limit (``queued``: with the requests on their way to it),
        the request may wait (`_may_wait`), and its frontier row is queued (a new or queued
        URL, one a listing says changed, or one spilled earlier in this run), so that
        `_refill` finds it; not one ``--since`` held back and a link now asks for."""
        if queued is None or queued < self.queue_limit or request.dont_filter:
            return False
        return (((entry is not None and not held) or request.url in self.spilled)
                and self._may_wait(request.meta.get(SITE), request.priority))

    def _refill(self, records: bool = True, ahead: int = 0) -> list[Any]:
        """Requests for the frontier's queued rows this run has not requested (of the sites
        whose pages may wait), up to the limit, highest priority first, once the scheduler
        has drained below half of it (``ahead``: requests on their way to it); and the visit
        records of rows now denied (with ``records``). Rows spilled in this run are among
        them once their batch is committed; a look that finds fewer than it wanted waits
        REFILL_PAUSE for the next."""
        if not (self.spilled or self.backlog) or not self.queue_limit:
            return []
        queued = self._queued()
        if queued is None or 2 * (queued + ahead) >= self.queue_limit:
            return []
        now = time.monotonic()
        if now < self._refill_after:
            return []
        spider = self.crawler.spider
        want, found, requests = self.queue_limit - queued - ahead, [], 0
        sites = [site for site in spider.site_names if self._site_waits(site)]
        limits = {site: limit for site, limit in self._depth_limits().items() if site in sites}
        for row in chain(self.frontier.queued(sites, getattr(spider, "since", None)),
                         self.frontier.unfollowed(limits)):
            url = row["url"]
            if url in self.requested or url in self.passed:
                continue  # in Scrapy's queue or on its way, or turned down in this run
            spilled = url in self.spilled
            for element in self._resume(spider, row, records):
                if isinstance(element, Request):
                    requests += 1
                    self.resumed += not spilled
                    self.stats.inc_value("newscrawl/frontier/refilled")
                found.append(element)
            if requests >= want:
                break
        else:
            self.backlog = False  # every queued row looked at
            self._refill_after = now + REFILL_PAUSE
        self.stats.set_value("newscrawl/frontier/resumed", self.resumed)
        return found

    # -- callback output --------------------------------------------------------------

    def process_spider_output(self, response: Response, result: Iterable[Any],
                              spider=None) -> Iterator[Any]:
        """Admit a callback's requests (``CHUNK`` at a time), attach them to its visit
        record, which goes out with its other items at the end.

        A ``CloseSpider`` from the callback is re-raised after what it yielded before."""
        output = _Output(self, response)
        try:
            for element in result:
                yield from output.add(element)
        except CloseSpider:
            yield from output.finish()
            raise
        except Exception:
            yield from output.abort()
            raise
        yield from output.finish()

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any],
                                          spider=None) -> AsyncIterator[Any]:
        """``process_spider_output`` for an asynchronous callback (in Scrapy's asyncio
        reactor, every callback's output), which gives the reactor a turn after each chunk
        of requests: a sitemap or a feed of 50,000 entries held it 8 s in one go, no
        download read or sent meanwhile, since the requests spilled to the frontier are not
        passed on, and only what is passed on lets Scrapy wait."""
        output = _Output(self, response)
        stop: CloseSpider | None = None
        try:
            async for element in result:
                chunks = output.chunks
                for out in output.add(element):
                    yield out
                if output.chunks != chunks:
                    await sleep(0)
        except CloseSpider as error:
            stop = error
        except Exception:
            for out in output.abort():
                yield out
            raise
        for out in output.finish():
            yield out
        if stop is not None:
            raise stop

    def _schedule(self, requests: list[Request], outlinks: list[dict]) -> list[Request]:
        """Admit requests of one callback, newest first: the frontier rows to record go to
        `outlinks`; returned, those to schedule (within the budget; a page admitted while
        the scheduler is full stays queued in the frontier instead)."""
        scheduled: list[Request] = []
        # how full the scheduler is, asked once (a priority queue counts its queues to say)
        queued = self._queued() if self.queue_limit and requests else None
        known = self.frontier.get_many([r.url for r in requests if r.meta.get(SITE) is not None
                                        and r.url not in self.recorded])  # fmt: skip
        for request in sorted(requests, key=lambda request: -request.priority):
            request = self._respelled(request, known)
            # requested before in this run: Scrapy's duplicate filter drops it, so it must
            # not spend a page of the budget (a link back to the homepage would)
            repeat = request.url in self.requested
            held = request.url in self.held_now
            admitted, entry = self.admit(request, known)
            if entry is not None:
                outlinks.append(entry)
            ahead = None if queued is None else queued + len(scheduled)
            if admitted and not repeat and self._spills(request, entry, held, ahead):
                if request.url not in self.spilled:
                    self.spilled.add(request.url)
                    self.stats.inc_value("newscrawl/frontier/spilled")
                continue
            if admitted and (repeat or self.budget.take(request)):
                if not repeat:
                    self.budget.asked_for(request)
                scheduled.append(request)
                self.requested.add(request.url)
                self.spilled.discard(request.url)  # spilled earlier, scheduled now
        return scheduled

    def _respelled(self, request: Request, known: dict[str, dict]) -> Request:
        """The request under the spelling the crawl knows its URL by, where it knows it by
        another (`crawler.urlpolicy.url_key`: the query's parameters in another order, other
        percent-escapes): the frontier row's (``known``), or the first recorded in this
        run. Scrapy's duplicate filter takes both for one document: the second spelling's
        row would stay queued in this run and be fetched as a second page by the next."""
        url = request.url
        if request.meta.get(SITE) is None or url in self.recorded:
            return request
        row = known.get(url)
        if row is not None:
            spelling = row["url"]
        else:
            key = url_key(url) or url
            spelling = self.spellings.get(key) or (key if key in self.recorded else None)
        if not spelling or spelling == url:
            return request
        self.stats.inc_value("newscrawl/frontier/respelled")
        return request.replace(url=spelling)

    def _count_target(self, visit: dict | None) -> None:
        """A redirect's target new to the frontier is a new URL of the run: its row is
        written with the visit (`FrontierBatch`, ``final_new``), and counted as discovered,
        as a link's or a listing's new URL is."""
        final = (visit or {}).get("final_url")
        if not final or final == visit["url"] or final in self.recorded:
            return
        if self.frontier.get_many([final]):  # known, maybe spelled otherwise
            return
        self._record_new(final)
        self.stats.inc_value("newscrawl/frontier/discovered")
        visit["final_new"] = True

    def _record_new(self, url: str) -> None:
        """Mark a URL new to the frontier as recorded in this run, under its key too."""
        self.recorded.add(url)
        key = url_key(url)
        if key is not None:
            self.spellings.setdefault(key, url)

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
            self._record_new(url)
            self.stats.inc_value("newscrawl/frontier/discovered")
            return True, entry | {"new": True}
        admitted = self._admit_known(request, row, entry)
        if admitted[0]:
            self._conditional(request, row)
        return admitted

    def _conditional(self, request: Request, row: dict) -> None:
        """`add_validators`, counting (and logging once a site) the URLs read in full
        because their links were read under other filters, or not followed, when they were
        fetched."""
        follows = getattr(self.crawler.spider, "follows_at", None)
        if add_validators(request, row, follows is None or follows(
                request.meta.get("depth", 0), request.url)):
            return
        self.stats.inc_value("newscrawl/frontier/refiltered")
        site = row.get("site")
        if site not in self.refiltered_sites:
            self.refiltered_sites.add(site)
            logger.info("site %s: pages whose links were not read as they are now (its allow"
                        " / deny / link_heuristics or depth limit changed) are read in full,"
                        " not as 304s", site)

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
        self._record_new(url)
        self.held_now.add(url)
        self.stats.inc_value("newscrawl/frontier/discovered")
        return entry | {"new": True}

    def _admit_known(self, request: Request, row: dict, entry: dict) -> tuple[bool, dict | None]:
        state = row["state"]
        if state == "queued":
            self.recorded.add(request.url)
            return True, entry
        # gone with a 404 or 410, or skipped as it redirected: and changed since?
        answered = row.get("reason") in {"failed": GONE_REASONS,
                                         "skipped": REDIRECT_SKIPS}.get(state, ())
        if (state == "fetched" and changed_since_fetch(entry, row)) or (
                answered and changed_since_fetch(entry, row, "visited_at")):
            self.recorded.add(request.url)
            self._uncount_known(request.url)
            self.stats.inc_value("newscrawl/frontier/changed")
            return True, entry
        if state == "fetched" and row.get("kind") in REVISIT_KINDS:
            mark_revisit(request, row)
            return True, None
        if state == "failed" and (is_retryable(row) or row.get("source") == "robots"):
            return True, None
        if state == "skipped" and is_readmitted_skip(row, self.skip_cutoff):
            return True, None
        if request.url in self.requested:  # requested by this run (a seed, a row resumed
            return False, None  # from the queue): fetched now, not known from an earlier run
        if request.url not in self.known_skipped:  # counted once, however many pages link it
            self.known_skipped.add(request.url)
            self.stats.inc_value("newscrawl/frontier/known")
        return False, None

    def _uncount_known(self, url: str) -> None:
        """Take a URL out of the known skipped, where a later listing has it fetched after
        all (the feed, read first, lists it; the sitemap then with a lastmod after its
        fetch): a URL counts once in the summary, as what this run last made of it."""
        if url in self.known_skipped:
            self.known_skipped.discard(url)
            self.stats.inc_value("newscrawl/frontier/known", -1)


def _waiting(row: dict) -> bool:
    """Whether a pending row is a page to fetch that may wait its turn (`_may_wait`): one
    never fetched (queued), or one whose links a depth limit left unread; not a revisit."""
    return row["state"] == "queued" or row.get("filters") == UNFOLLOWED


# A callback's requests admitted together: one frontier lookup, sorted newest first.
CHUNK = 1000


class _Output:
    """One callback's output on its way through `FrontierMiddleware`.

    Requests are admitted ``CHUNK`` at a time as the callback yields them, so a sitemap
    of 50,000 URLs is never 50,000 ``Request`` objects at once; a callback that yields
    fewer (every page) has all its requests admitted together at the end, newest first
    against the budget, after its page (a start page that is a page spends its one page
    first). Items (the visit record, the page) go out at the end, the record carrying the
    frontier rows of every request admitted (`outlinks`), so that they commit with it.
    """

    def __init__(self, middleware: FrontierMiddleware, response: Response | None):
        self.middleware = middleware
        self.response = response  # None: a test's bare output
        self.items: list[Any] = []
        self.requests: list[Request] = []
        self.outlinks: list[dict] = []
        self.chunks = 0  # the chunks admitted before the end

    def add(self, element: Any) -> list[Request]:
        if not isinstance(element, Request):
            self.items.append(element)
            return []
        self.requests.append(element)
        if len(self.requests) < CHUNK:
            return []
        self.chunks += 1
        scheduled = self.middleware._schedule(self.requests, self.outlinks)
        self.requests = []
        return scheduled

    def finish(self) -> list[Any]:
        middleware = self.middleware
        answered = getattr(self.response, "request", None)
        if (answered is not None and is_listing(answered.priority)
                and any(isinstance(item, dict) and "body" in item for item in self.items)):
            middleware.budget.spend(answered.meta.get(SITE))  # a listing that is a page
        scheduled = middleware.budget.overdue()  # before this answer's own pages take it
        middleware.requested.update(request.url for request in scheduled)
        scheduled += middleware._schedule(self.requests, self.outlinks)
        released = middleware._answered(self.response)  # after the listings it names
        middleware.requested.update(request.url for request in released)
        scheduled += released
        items = self.items
        record = next((item for item in items if isinstance(item, dict) and "visit" in item),
                      None)  # fmt: skip
        if record is None and self.outlinks:
            record = {"visit": None}
            items.append(record)
        if record is not None:
            record["outlinks"] = self.outlinks
            middleware._count_target(record.get("visit"))
        refilled = middleware._refill(ahead=len(scheduled))  # the frontier's next rows
        return [*items, *(element for element in refilled if not isinstance(element, Request)),
                *scheduled, *(element for element in refilled if isinstance(element, Request))]

    def abort(self) -> list[Any]:
        """The callback failed: its listing is answered all the same, and the frontier rows
        of the requests that went out before are recorded (nothing else it yielded is)."""
        self.middleware._send(self.middleware._answered(self.response))
        return [{"visit": None, "outlinks": self.outlinks}] if self.chunks else []
