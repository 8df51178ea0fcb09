"""Page budgets: which page requests a run schedules when a site or the run has ``max_pages``.

A budget is spent when a page request is scheduled, not when its answer arrives, so that it
saves fetches: a request that does not fit stays queued in the frontier for the next run.
Listings are free: start URLs, robots.txt, sitemaps, feeds and the section fronts looked at
again every run (``listings.is_listing``). A start URL that turns out to be a page is spent
when its page is read (`spend`), so that the budget counts it as the spider does.

Which pages get a budget: the newest that the site's listings name. A run learns about them
only as its listings arrive (the start page names the feed, robots.txt the sitemap), so while
a budgeted site has listings asked for and not yet answered (its *listing phase*), its page
requests wait here instead of being scheduled; when the last one is answered they go out,
highest priority (newest date) first, as many as the budget holds. Without the wait a first
run spent its budget on the start page's links (section fronts, an about page) before the
feed that names the new stories had been read. The wait keeps at most as many requests as
the budget has room for (the best ones); the others stay queued in the frontier. A phase
that lasts longer than ``LISTING_WAIT`` seconds (a slow or huge set of sitemaps) ends then,
and a phase ends whenever the crawl goes idle, so that no page waits on a listing that will
never be answered.
"""

from __future__ import annotations

import heapq
import sys
import time
from collections.abc import Callable
from itertools import count

from scrapy import Request

from crawler.listings import is_listing
from crawler.visits import SITE

# Seconds a budgeted site's pages wait for its listings, at most.
LISTING_WAIT = 120.0

Limits = Callable[[str], tuple[int | None, int | None]]


def first_url(request: Request) -> str:
    """The URL first requested (a redirect hop keeps it in ``redirect_urls``)."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


class PageBudget:
    """The page budgets of one run.

    ``limits(site)`` gives the site's own budget and the run's (None: no budget); ``stats``
    counts ``newscrawl/frontier/deferred`` (left queued for the next run) and
    ``newscrawl/frontier/held`` (waited for the site's listings).
    """

    def __init__(self, limits: Limits, stats, wait: float = LISTING_WAIT,
                 clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.stats = stats
        self.wait = wait
        self.clock = clock
        self.spent: dict[str, int] = {}
        self.asked: dict[str, set[str]] = {}  # site: listings asked for, not yet answered
        self.opened: dict[str, float] = {}  # site: when its listing phase began
        self.closed: set[str] = set()  # sites whose listing phase is over (once a run)
        self.held: dict[str, list[tuple[int, int, str, Request]]] = {}  # a heap per site
        self.held_urls: set[str] = set()
        self._order = count()

    # -- spending ---------------------------------------------------------------------

    def room(self, site: str) -> int:
        """Page requests the site may still schedule in this run."""
        own, run = self.limits(site)
        rooms = [] if own is None else [own - self.spent.get(site, 0)]
        if run is not None:
            rooms.append(run - sum(self.spent.values()))
        return min(rooms, default=sys.maxsize)

    def spend(self, site: str) -> None:
        self.spent[site] = self.spent.get(site, 0) + 1

    def take(self, request: Request) -> bool:
        """Whether a page request (not a listing) goes out now; if not, it waits for its
        site's listings or stays queued in the frontier for the next run."""
        site = request.meta.get(SITE)
        if site is None or is_listing(request.priority):
            return True
        if request.url in self.held_urls:
            self._hold(site, request)  # a later listing may give it a date (a priority)
            return False
        if self._waiting(site):
            self._hold(site, request)
            return False
        if self.room(site) > 0:
            self.spend(site)
            return True
        self.stats.inc_value("newscrawl/frontier/deferred")
        return False

    # -- the listing phase ------------------------------------------------------------

    def _budgeted(self, site: str) -> bool:
        return self.limits(site) != (None, None)

    def asked_for(self, request: Request) -> None:
        """A listing request is going out: its site's pages wait for its answer."""
        site = request.meta.get(SITE)
        if (site is None or site in self.closed or not is_listing(request.priority)
                or not self._budgeted(site)):
            return
        self.opened.setdefault(site, self.clock())
        self.asked.setdefault(site, set()).add(request.url)

    def answered(self, site: str | None, url: str) -> list[Request]:
        """A listing was answered (read, failed or dropped): the requests released if it was
        the last its site waited for."""
        waiting = self.asked.get(site or "")
        if not waiting or url not in waiting:
            return []
        waiting.discard(url)
        return [] if waiting else self.release(site)

    def _waiting(self, site: str) -> bool:
        if site in self.closed or not self.asked.get(site):
            return False
        return self.clock() - self.opened[site] < self.wait

    def release(self, site: str) -> list[Request]:
        """End the site's listing phase: its held requests that fit the budget, best first."""
        self.closed.add(site)
        self.asked.pop(site, None)
        released = []
        for _, _, url, request in sorted(self.held.pop(site, []), reverse=True):
            self.held_urls.discard(url)
            if self.room(site) > 0:
                self.spend(site)
                released.append(request)
            else:
                self.stats.inc_value("newscrawl/frontier/deferred")
        return released

    def overdue(self) -> list[Request]:
        """The requests of the sites whose listing phase has lasted ``wait`` seconds."""
        now = self.clock()
        late = [site for site, began in self.opened.items()
                if site not in self.closed and now - began >= self.wait]
        return [request for site in late for request in self.release(site)]

    def release_all(self) -> list[Request]:
        """End every listing phase (the crawl is idle: no listing is coming)."""
        sites = [site for site in {*self.asked, *self.held} if site not in self.closed]
        return [request for site in sites for request in self.release(site)]

    def _hold(self, site: str, request: Request) -> None:
        """Keep the request among the site's best ``room`` waiting ones (by priority, then
        the order found); what falls out stays queued in the frontier."""
        heap = self.held.setdefault(site, [])
        url = request.url
        if url in self.held_urls:
            old = next(entry for entry in heap if entry[2] == url)
            if request.priority <= old[0]:
                return
            heap.remove(old)  # found again with a date: it moves up (the heap is small)
            heapq.heapify(heap)
            self.held_urls.discard(url)
        else:
            self.stats.inc_value("newscrawl/frontier/held")
        entry = (request.priority, -next(self._order), url, request)
        if len(heap) < self.room(site):
            heapq.heappush(heap, entry)
        elif heap and entry[:2] > heap[0][:2]:
            self.held_urls.discard(heapq.heapreplace(heap, entry)[2])
            self.stats.inc_value("newscrawl/frontier/deferred")
        else:
            self.stats.inc_value("newscrawl/frontier/deferred")
            return
        self.held_urls.add(url)
