"""NewsSpider: find pages from homepages, sitemaps, robots.txt and feeds; yield raw pages.

    scrapy crawl news -a start_urls=https://example.com/,https://example.com/feed.xml \\
        -a max_depth=2 -a max_pages=100

Every request goes through ``parse``, which decides by the response body what it got:

* a sitemap or sitemap index (also ``.xml.gz``): its ``<loc>`` entries are requested;
* an RSS 2.0 / RSS 1.0 / Atom feed: its entry links are requested;
* ``robots.txt``: its ``Sitemap:`` lines are requested;
* an HTML page: one PageItem (docs/architecture.md) is yielded, then its on-site links and
  ``<link rel="alternate">`` feeds are followed; an HTML *start* page also has its host's
  ``/robots.txt`` requested once, to find sitemaps;
* anything else (PDF, images, JSON...): skipped and counted.

Depth. A page's depth is its link distance from a start URL (Scrapy's DepthMiddleware).
robots.txt and sitemaps describe the whole site, so they stay at depth 0 (``depth_reset``)
and the pages they list are depth 1. A feed is a document like a page: found on a page of
depth d it is d + 1, and its entries d + 2; given as a start URL its entries are depth 1.
``max_depth=0`` therefore yields the start pages only, sitemap entries included.

State lives in request meta (``newscrawl_source``, ``depth``) and in the stats (the page budget
is the ``newscrawl/pages`` counter), never in the spider, so that a shared scheduler such as
scrapy-redis can be plugged in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders.sitemap import iterloc
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.discovery import (
    FEED_AUTODISCOVERY_XPATH,
    bare_host,
    classify,
    error_kind,
    feed_links,
    page_item,
    parse_limit,
    parse_start_urls,
    response_body,
    site_of,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

SOURCE = "newscrawl_source"  # request meta key: start, robots, sitemap, feed or link


class NewsSpider(Spider):
    """Crawl news sites from homepages, sections, sitemaps, robots.txt or feeds."""

    name = "news"

    def __init__(
        self,
        start_urls: str | list[str] | None = None,
        max_depth: int | str | None = None,
        max_pages: int | str | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.start_urls = parse_start_urls(start_urls)
        self.max_depth = parse_limit(max_depth, "max_depth")
        self.max_pages = parse_limit(max_pages, "max_pages") or None  # 0 = no budget
        hosts = [urlsplit(url).hostname or "" for url in self.start_urls]
        self.start_hosts = list(dict.fromkeys(hosts))
        self.allowed_domains = sorted({bare_host(host) for host in self.start_hosts})
        # LinkExtractor compares domains with the URL's netloc, port included
        netlocs = {bare_host(urlsplit(url).netloc) for url in self.start_urls}
        link_domains = sorted(netlocs | set(self.allowed_domains))
        self.link_extractor = LinkExtractor(allow_domains=link_domains)
        self.max_body = 0  # DOWNLOAD_MAXSIZE, set in from_crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.max_pages is None:
            spider.max_pages = settings.getint("NEWSCRAWL_MAX_PAGES") or None
        if spider.max_depth and not settings.frozen:  # DEPTH_LIMIT=0 would mean unlimited
            settings.set("DEPTH_LIMIT", spider.max_depth, priority="spider")
        spider.max_body = settings.getint("DOWNLOAD_MAXSIZE")
        return spider

    async def start(self):
        for url in self.start_urls:
            yield self._request(url, "start")

    def parse(self, response: Response, **kwargs: Any) -> Iterable[Any]:
        """Dispatch on what the response turns out to be."""
        body = response_body(response, self.max_body)
        kind = classify(response, body)
        handlers = {
            "html": self.parse_html,
            "sitemap": self.parse_sitemap,
            "feed": self.parse_feed,
            "robots": self.parse_robots,
        }
        return handlers.get(kind, self.parse_other)(response, body)

    def parse_html(self, response: Response, body: bytes) -> Iterator[Any]:
        """Yield the page as a PageItem, then follow its links while depth and budget allow."""
        if response.status != 200:
            logger.debug("%s: skipped, status %s", response.url, response.status)
            return
        stats = self.crawler.stats
        if not self._budget_left():
            stats.inc_value("newscrawl/skipped/max_pages")
            return
        stats.inc_value("newscrawl/pages")
        site = site_of(response.url, self.start_hosts)
        yield page_item(response, site, response.meta.get(SOURCE, "link"))
        if not self._budget_left():
            raise CloseSpider("max_pages")
        if self._may_follow(response):
            yield from self._follow_links(response)

    def _follow_links(self, response: Response) -> Iterator[Request]:
        for link in self.link_extractor.extract_links(response):
            yield self._request(link.url, "link")
        for href in response.xpath(FEED_AUTODISCOVERY_XPATH).getall():
            yield self._request(response.urljoin(href.strip()), "feed")
        if response.meta.get(SOURCE) == "start":
            robots_url = urljoin(response.url, "/robots.txt")
            yield self._request(robots_url, "robots", depth_reset=True)

    def parse_sitemap(self, response: Response, body: bytes) -> Iterator[Request]:
        """Request a sitemap index's sitemaps (depth 0) or a urlset's pages (depth + 1)."""
        self.crawler.stats.inc_value("newscrawl/sitemaps")
        sitemap = Sitemap(body)
        if sitemap.type == "sitemapindex":
            for url in iterloc(sitemap):
                yield self._request(url, "sitemap", depth_reset=True)
        elif self._may_follow(response) and self._budget_left():
            for url in iterloc(sitemap):
                yield self._request(url, "sitemap")

    def parse_feed(self, response: Response, body: bytes) -> Iterator[Request]:
        """Request the entries of an RSS or Atom feed."""
        self.crawler.stats.inc_value("newscrawl/feeds")
        if self._may_follow(response) and self._budget_left():
            for url in feed_links(body, response.url):
                yield self._request(url, "feed")

    def parse_robots(self, response: Response, body: bytes) -> Iterator[Request]:
        """Request the sitemaps named by robots.txt ``Sitemap:`` lines."""
        for url in sitemap_urls_from_robots(body, base_url=response.url):
            yield self._request(url, "sitemap", depth_reset=True)

    def parse_other(self, response: Response, body: bytes) -> Iterable[Any]:
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        logger.debug("%s: skipped, not HTML (%s)", response.url, content_type or "no type")
        self.crawler.stats.inc_value("newscrawl/skipped/non_html")
        return ()

    def on_error(self, failure: Failure) -> None:
        """Log one line and count ``newscrawl/errors/<kind>``; a failed start URL is counted."""
        request = failure.request
        source = request.meta.get(SOURCE)
        kind = error_kind(failure)
        if source == "start":
            self.crawler.stats.inc_value("newscrawl/start_failed")
        counted = kind is not None and source != "robots"  # a missing robots.txt is normal
        if counted:
            self.crawler.stats.inc_value(f"newscrawl/errors/{kind}")
        level = logging.WARNING if counted or source == "start" else logging.DEBUG
        logger.log(level, "%s: %s (%s)", request.url, kind or "ignored", failure.getErrorMessage())

    def _request(self, url: str, source: str, *, depth_reset: bool = False) -> Request:
        meta: dict[str, Any] = {SOURCE: source}
        if depth_reset:
            meta["depth_reset"] = True
        return Request(url, callback=self.parse, errback=self.on_error, meta=meta)

    def _may_follow(self, response: Response) -> bool:
        """Whether requests one level deeper than ``response`` are within ``max_depth``."""
        return self.max_depth is None or response.meta.get("depth", 0) < self.max_depth

    def _budget_left(self) -> bool:
        """Whether fewer than ``max_pages`` pages have been yielded (the stats are the state)."""
        pages = self.crawler.stats.get_value("newscrawl/pages", 0)
        return self.max_pages is None or pages < self.max_pages
