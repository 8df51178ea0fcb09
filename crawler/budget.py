"""Page budgets: which page requests a run schedules when a site or the run has ``max_pages``.

A budget is spent when a page request is scheduled, not when its answer arrives, so that it
saves fetches: a request that does not fit stays queued in the frontier for the next run.
Listings are free: start URLs, robots.txt, sitemaps and feeds (``listings.is_listing``). A
listing whose answer turns out to be a page (a start page) spends one page when it is read
(`spend`), as the spider counts it.

Which pages get a budget: the newest that the site's listings name. A run learns about them
only as its listings arrive (the start page names the feed, robots.txt the sitemap), so while
a budgeted site has listings asked for and not yet answered (its *listing phase*), its page
requests wait here instead of being scheduled; when the last one is answered they go out:
pages never fetched before section fronts looked at again (which mostly answer 304), each
group by priority (newest date first), as many as the budget holds. Without the wait a first
run spent its budget on the start page's links (section fronts, an about page) before the
feed that names the new stories had been read. The wait keeps, per site, at most as many
requests as the budget has room for (the best ones); the others stay queued in the
frontier. A phase ends ``LISTING_WAIT`` seconds after the site's first listing was asked for
at the latest (a slow or huge set of sitemaps: `overdue`, which the middleware polls), and
whenever the crawl goes idle, so that no page waits on a listing that will never answer.

A run budget shared by several sites goes to the sites in the order their listing phases
end.
"""

from __future__ import annotations

import heapq
import sys
import time
from collections.abc import Callable
from datetime import datetime
from itertools import count

from scrapy import Request

from crawler.listings import is_listing
from crawler.visits import REVISIT, SITE, VISITED_AT

# Seconds a budgeted site's pages wait for its listings, at most.
LISTING_WAIT = 120.0
# Request meta: a listing the budget waits for (a redirect hop inherits it, a duplicate
# request for the same URL does not).
AWAITED = "newscrawl_awaited"

Limits = Callable[[str], tuple[int | None, int | None]]


def first_url(request: Request) -> str:
    """The URL first requested (a redirect hop keeps it in ``redirect_urls``)."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


class _Held:
    """The page requests of one site waiting for its listings: a min-heap of the best
    ``room`` by (never fetched, longest unvisited, priority, found first), with lazy
    deletion (a URL found again with a higher priority gets a new entry; the old one is
    skipped)."""

    def __init__(self):
        self.heap: list[list] = []  # [fresh, unvisited, priority, -order, url, request, live]
        self.live = 0

    def prune(self) -> None:
        while self.heap and not self.heap[0][-1]:
            heapq.heappop(self.heap)

    def push(self, entry: list) -> None:
        heapq.heappush(self.heap, entry)
        self.live += 1

    def drop(self, entry: list) -> None:
        entry[-1] = False
        self.live -= 1

    def best_first(self) -> list[list]:
        return sorted((e for e in self.heap if e[-1]), reverse=True)


class PageBudget:
    """The page budgets of one run.

    ``limits(site)`` gives the site's own budget and the run's (None: no budget); ``stats``
    counts ``newscrawl/frontier/deferred`` (page requests left queued for the next run)
    and ``newscrawl/frontier/held`` (URLs that waited for their site's listings).
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
        self.held: dict[str, _Held] = {}
        self.entries: dict[str, list] = {}  # URL: its live heap entry
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
        if request.url in self.entries or self._waiting(site):
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
        request.meta[AWAITED] = True
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
        return site not in self.closed and bool(self.asked.get(site))

    def release(self, site: str) -> list[Request]:
        """End the site's listing phase: its held requests that fit the budget, best first."""
        self.closed.add(site)
        self.asked.pop(site, None)
        self.opened.pop(site, None)
        released = []
        for entry in self.held.pop(site, _Held()).best_first():
            del self.entries[entry[4]]
            if self.room(site) > 0:
                self.spend(site)
                released.append(entry[5])
            else:
                self.stats.inc_value("newscrawl/frontier/deferred")
        return released

    def overdue(self) -> list[Request]:
        """The requests of the sites whose listing phase has lasted ``wait`` seconds."""
        now = self.clock()
        late = [site for site, began in self.opened.items() if now - began >= self.wait]
        return [request for site in late for request in self.release(site)]

    def release_all(self) -> list[Request]:
        """End every listing phase (the crawl is idle: no listing is coming)."""
        sites = [site for site in {*self.asked, *self.held} if site not in self.closed]
        return [request for site in sites for request in self.release(site)]

    def _hold(self, site: str, request: Request) -> None:
        """Keep the request among its site's best ``room`` waiting ones; what falls out
        stays queued in the frontier."""
        url = request.url
        old = self.entries.get(url)
        entry = [int(not request.meta.get(REVISIT)), _unvisited(request), request.priority,
                 -next(self._order), url, request, True]
        if old is not None:
            if entry[:3] <= old[:3]:
                return  # waiting already, as well placed
            site = old[5].meta.get(SITE)  # where it waits (a site renamed since it was queued)
            self.held[site].drop(old)  # found again with a date: it moves up
            del self.entries[url]
        held = self.held.setdefault(site, _Held())
        held.prune()
        if held.live >= self.room(site):
            if not held.heap or entry[:4] <= held.heap[0][:4]:
                self.stats.inc_value("newscrawl/frontier/deferred")
                return
            evicted = heapq.heappop(held.heap)
            held.live -= 1
            del self.entries[evicted[4]]
            self.stats.inc_value("newscrawl/frontier/deferred")
        if old is None:
            self.stats.inc_value("newscrawl/frontier/held")
        held.push(entry)
        self.entries[url] = entry


def _unvisited(request: Request) -> float:
    """How long a page looked at again has gone unvisited, as a key (the longest first):
    with a budget smaller than a site's section fronts, the same ones, found first, were
    read again every run (mostly 304s) and the others never, nor the stories only they
    link to. 0 for a page never fetched."""
    visited = request.meta.get(VISITED_AT)
    if not visited:
        return 0.0
    try:
        return -datetime.fromisoformat(visited.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0
