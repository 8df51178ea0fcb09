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

Sites. The spider crawls a list of sites (crawler/config.py ``SiteSpec``): from a sites config
(``config=sites.toml``, or ``sites=`` from Python) and/or ``start_urls`` (one site per host).
A URL belongs to the site whose host it is on; links are followed only when the site's
allow/deny patterns and, unless switched off, the article-URL heuristics
(crawler/urlpolicy.py) let them. ``since`` holds back sitemap and feed entries dated before
it: their requests are marked ``HELD``, which the frontier middleware records without
sending (without a frontier to record them they are dropped), so a later run without
``since`` still fetches them although their listing answers 304 by then.

Budgets. ``max_pages`` is the run's total; a site's ``max_pages`` is its own budget. The
frontier middleware spends them when it schedules page requests (crawler/budget.py:
``page_limits``); a page that arrives over budget all the same is not yielded (its frontier
row stays queued for the next run).

Frontier. Every callback also reports what it fetched as a visit (crawler/visits.py): on the
page item (key ``visit``) or as an item of its own, so the storage pipeline can flip the
URL's frontier row with the page write. The spider never reads the frontier: the
scheduling middleware (crawler/scheduling.py) decides which requests go out, and resumes
what a previous run left queued through ``request_for(row)``. 304 responses (conditional
GETs the middleware makes) are handled here, as unchanged.

State lives in request meta (``newscrawl_source``, ``newscrawl_site``, ``depth``) and in the
stats (the page budgets are the ``newscrawl/pages`` and ``newscrawl/sites/<site>/pages``
counters), never in the spider, so that a shared scheduler such as scrapy-redis can be
plugged in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from crawler import safexml
from crawler.config import SiteIndex, SiteSpec, load_config, merge_sites, parse_since
from crawler.discovery import (
    FEED_AUTODISCOVERY_XPATH,
    CorruptBody,
    TooLarge,
    classify,
    error_kind,
    page_item,
    parse_limit,
    response_body,
    skip_reason,
    too_long,
    url_problem,
    utc_now,
    xml_root_name,
)
from crawler.extensions import error_text
from crawler.frontier import UNFOLLOWED
from crawler.listings import (
    LISTING_PRIORITY,
    Entry,
    feed_entries,
    is_listing,
    is_older,
    joined,
    priority_of,
    robots_sitemaps,
    sitemap_entries,
)
from crawler.middlewares import (
    CONDITIONAL_HEADERS,
    ROBOTS_ANSWERED,
    DestinationRefused,
    RobotsUnavailable,
    Unsent,
    robots_unavailable,
)
from crawler.scheduling import frontier_enabled, request_unsent
from crawler.urlpolicy import bare_host, link_rejection, redacted, without_tracking
from crawler.visits import (
    ENTRY,
    FILTERS,
    HELD,
    SEED,
    SITE,
    SITEMAP_NESTING,
    SOURCE,
    failure_visit,
    response_visit,
)
from extractors.text import without_early_end

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
# The sitemaps of an index this many indexes deep are not read: the protocol has an index
# list sitemaps only, and sites nest one or two more; an endless chain of indexes (each
# listing the next) otherwise held a run as long as the server made new ones (20,000
# sitemap fetches in five minutes; `frontier.nesting` keeps the count across runs).
MAX_SITEMAP_NESTING = 4
# A page's <base> elements (one whose href is no URL is dropped: `_follow_links`).
_BASE = re.compile(r"<base\b[^>]*>", re.IGNORECASE)
# The start of a link element, as LinkExtractor reads them (<a>, <area>), or of what holds
# no elements (a comment, a script, a style): `links_cut`, with the ends of the latter.
_LINK_OR_SKIP = re.compile(r"<(?:(a|area)\b|(!--)|(script|style)\b)", re.IGNORECASE)
_SKIP_END = {"!--": re.compile(r"-->"), "script": re.compile(r"</script\s*>", re.IGNORECASE),
             "style": re.compile(r"</style\s*>", re.IGNORECASE)}
# A link whose host may be no DNS name (`urlpolicy.host_problem`): an empty label, one of 64
# characters or more, or one in punycode or with other letters than ASCII's.
_ODD_HOST = re.compile(r"[a-z]+://(?:\.|[^/?#]*?(?:\.\.|[^./?#:@\[\]]{64}|xn--|[^\x00-\x7f]))",
                       re.IGNORECASE)


def site_specs(start_urls: Any, config: str | None, sites: list[SiteSpec] | None) -> list[SiteSpec]:
    """The sites to crawl from the spider arguments; ValueError when there are none."""
    configured = list(sites or []) or (load_config(config) if config else [])
    urls = start_urls.split(",") if isinstance(start_urls, str) else list(start_urls or [])
    urls = [url.strip() for url in urls if url and url.strip()]
    if not configured and not urls:
        raise ValueError("no start URLs given")
    return merge_sites(configured, urls)


def links_cut(text: str, cap: int) -> tuple[str, int]:
    """`text` up to its link element number `cap` + 1 (<a> or <area>), and how many link
    elements it loses (`text` whole, 0, where it has `cap` or fewer, or `cap` is 0).

    Reading a link costs the reactor about 0.2 ms (LinkExtractor's, the request's and the
    frontier's work), all before the next response is handled: a page of 200,000 links held
    a crawl for 54 s. A tag in a comment, a script or a style is none; a page with no more
    tags than `cap` is not searched."""
    if not cap or text.count("<") <= cap:
        return text, 0
    starts = _link_starts(text)
    if len(starts) <= cap:
        return text, 0
    return text[:starts[cap]], len(starts) - cap


def _link_starts(text: str) -> list[int]:
    """Where the link elements of `text` start, outside comments, scripts and styles (one
    left open holds the rest of the page, as a browser reads it). One pass: each search
    starts where the last one ended."""
    starts, at = [], 0
    while (found := _LINK_OR_SKIP.search(text, at)) is not None:
        if found[1]:
            starts.append(found.start())
            at = found.end()
            continue
        end = _SKIP_END[(found[2] or found[3]).lower()].search(text, found.end())
        if end is None:
            break
        at = end.end()
    return starts


# The most attributes a start tag keeps for the link extractor: libxml2's HTML parser
# compares each attribute of a tag with every one before it, so a tag of 60,000 distinct
# attributes (1 MB) held the reactor for 10 s, one of 200,000 (3.3 MB) for minutes.
MAX_TAG_ATTRIBUTES = 1000
# A start tag's attributes as HTML reads them (a name runs to white space, "/", ">" or
# "="; a value is quoted or runs to white space or ">"), every quantifier possessive: one
# pass, no backtracking. `capped_attributes` matches a tag with MAX_TAG_ATTRIBUTES of them
# or more only, and keeps those (the rest of the tag, its ">" and what follows, is kept).
_ATTRIBUTE = (r"""(?:[\s/]*+[^\s/>][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+)""")
_MANY_ATTRIBUTES = re.compile(
    rf"(<[a-zA-Z][^\s/>]*+{_ATTRIBUTE}{{{MAX_TAG_ATTRIBUTES}}}){_ATTRIBUTE}*+")


def capped_attributes(text: str) -> tuple[str, int]:
    """`text` with each start tag cut to its first MAX_TAG_ATTRIBUTES attributes, and how
    many tags were cut (`text` itself, 0, where none has more; a page without a tag that
    long is not searched)."""
    if len(text) < 2 * MAX_TAG_ATTRIBUTES:
        return text, 0
    return _MANY_ATTRIBUTES.subn(r"\1", text)


def release_decoded(response: Response) -> None:
    """Drop what Scrapy caches on a response read as text: the decoded body (Scrapy's
    meta-refresh middleware decodes every HTML page) and the selector the links were read
    with, its lxml tree. The response lives on until its page is extracted and stored, and
    only its bytes go there; on a 5,000-page crawl this keeps the crawl process's peak RSS
    about 20 MB lower (145 -> 125 MB). Read as text again, it is decoded again."""
    if isinstance(response, TextResponse):
        response._cached_ubody = None  # Scrapy has no public way to forget these
        response._cached_selector = None


def _unread_robots(error: RobotsUnavailable) -> str:
    """How a start URL that robots.txt left unsent failed its site (`NewsSpider._start_failed`):
    as robots.txt's download failed (``start_errors/connection``: the host is down, and the
    run says so), or, where robots.txt answered a server error, unsent by policy
    (``start_skipped/robots_unavailable``)."""
    if error.cause is None:
        return "start_skipped/robots_unavailable"
    return f"start_errors/{error_kind(Failure(error.cause)) or 'other'}"


class NewsSpider(Spider):
    """Crawl news sites from homepages, sections, sitemaps, robots.txt or feeds."""

    name = "news"
    handle_httpstatus_list = [304]  # noqa: RUF012 - Scrapy's documented class attribute

    def __init__(
        self,
        start_urls: str | list[str] | None = None,
        max_depth: int | str | None = None,
        max_pages: int | str | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        specs = site_specs(start_urls, kwargs.pop("config", None), kwargs.pop("sites", None))
        # the sites a config named: they take what was stored under their old names
        self.configured = frozenset(spec.name for spec in specs if spec.named)
        self.since = parse_since(kwargs.pop("since", None))
        super().__init__(*args, **kwargs)
        self.sites = SiteIndex(specs)
        self.start_urls = [url for spec in specs for url in spec.seeds]
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
        self.max_links = 0  # NEWSCRAWL_MAX_PAGE_LINKS (from_crawler; 0: none)
        self._links_warned: set[str] = set()  # hosts a page of which had links cut
        self.max_url = 0  # URLLENGTH_LIMIT (from_crawler; 0: none)
        self.max_sitemap = 0  # the larger of it and NEWSCRAWL_SITEMAP_MAXSIZE (from_crawler)
        self.records_held = False  # whether a frontier records HELD requests (from_crawler)
        self._invalid_in: set[str] = set()  # listings that gave an entry not to crawl

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.max_pages is None:
            spider.max_pages = settings.getint("NEWSCRAWL_MAX_PAGES") or None
        if spider.max_depth and not settings.frozen:  # DEPTH_LIMIT=0 would mean unlimited
            settings.set("DEPTH_LIMIT", spider.max_depth, priority="spider")
        spider.max_body = settings.getint("DOWNLOAD_MAXSIZE")
        spider.max_url = settings.getint("URLLENGTH_LIMIT")
        spider.max_links = settings.getint("NEWSCRAWL_MAX_PAGE_LINKS")
        sitemap_max = settings.getint("NEWSCRAWL_SITEMAP_MAXSIZE")
        spider.max_sitemap = 0 if not spider.max_body else max(spider.max_body, sitemap_max)
        spider.records_held = frontier_enabled(settings)
        return spider

    @property
    def site_names(self) -> list[str]:
        return self.sites.names

    async def start(self):
        for spec in self.sites.specs:
            for url in spec.seeds:
                if self._too_long_to_start(url, spec):
                    continue
                request = self._request(url, "start", spec, priority=LISTING_PRIORITY + 1)
                request.meta[SEED] = True  # kept by its redirects and retries
                yield request

    def _too_long_to_start(self, url: str, spec: SiteSpec) -> bool:
        """A start URL Scrapy would drop for its length, said and counted as a failed start
        (its run fails, unless another start URL gets an answer)."""
        problem = too_long(urldefrag(url)[0], self.max_url)  # as `_request` requests it
        if problem:
            logger.warning("%s: not requested, %s", redacted(url), problem)
            self._start_failed(spec.name, "start_skipped/url_too_long")
        return bool(problem)

    def request_for(self, row: dict) -> Request:
        """The request for a frontier row (used by the middleware to resume a queue)."""
        entry = {key: row[key] for key in ("lastmod", "published", "title", "language")
                 if row.get(key)}  # fmt: skip
        meta = {SOURCE: row["source"], SITE: row["site"], "depth": row["depth"], ENTRY: entry}
        if row.get("nesting"):
            meta[SITEMAP_NESTING] = row["nesting"]
        self._site_meta(meta, self.sites.by_name.get(row["site"]), row["priority"])
        return Request(row["url"], callback=self.parse, errback=self.on_error, meta=meta,
                       priority=row["priority"])

    # -- responses ----------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterable[Any]:
        """Dispatch on what the response turns out to be."""
        if response.status == 304:
            # to a request that named no version (no If-None-Match, no If-Modified-Since): a
            # server's or a cache's fault, no page in it. Taken as "unchanged", it marked a
            # URL never fetched as fetched, and its story was never stored
            if not any(response.request.headers.get(name) for name in CONDITIONAL_HEADERS):
                return self._failed(response, HttpError(
                    response, "304 Not Modified to a request without validators"))
            self.crawler.stats.inc_value("newscrawl/not_modified")
            return [{"visit": response_visit(response, self._site_name(response.url), None)}]
        # a 204, at the end of its redirects or not, is no page and no verdict on the URL (a
        # site in maintenance): skipped as not HTML, the story was never fetched again (an
        # empty robots.txt is one: no rules)
        if response.status == 204 and response.meta.get(SOURCE) != "robots":
            return self._failed(response, HttpError(response, "204 No Content"))
        try:
            body = response_body(response, response.meta.get("download_maxsize", self.max_body))
        except (TooLarge, CorruptBody) as error:  # a gzip file unpacking too far, or not at all
            return self._failed(response, error)
        kind = classify(response, body)
        handlers = {
            "html": self.parse_html,
            "sitemap": self.parse_sitemap,
            "feed": self.parse_feed,
            "robots": self.parse_robots,
        }
        return handlers.get(kind, self.parse_other)(response, body)

    def _failed(self, response: Response, error: Exception) -> Iterable[Any]:
        """The response as a failed download, told to `on_error` (an `HttpError`: reason
        `http_<status>`, a failure the next runs try again: `frontier.RETRYABLE_PREFIXES`)."""
        failure = Failure(error)
        failure.request = response.request
        return self.on_error(failure)

    def parse_html(self, response: Response, body: bytes) -> Iterator[Any]:
        """Follow the page's links while depth allows, then yield it as a PageItem."""
        site = self._site_name(response.url)
        if response.status != 200:
            logger.debug("%s: skipped, status %s", response.url, response.status)
            yield {"visit": response_visit(response, site, "html", state="skipped",
                                           reason=f"http_{response.status}")}
            return
        stats = self.crawler.stats
        if not self.budget_left(site):
            stats.inc_value("newscrawl/skipped/max_pages")  # stays queued for the next run
            return
        stats.inc_value("newscrawl/pages")
        stats.inc_value(f"newscrawl/sites/{site}/pages")
        follows = self._may_follow(response)
        if follows:
            yield from self._follow_links(response)
        item = page_item(response, site, response.meta.get(SOURCE, "link"))
        visit = response_visit(response, site, "html")
        item["visit"] = visit if follows else self._unfollowed(visit)
        release_decoded(response)
        yield item
        if self.max_pages is not None and self._pages() >= self.max_pages:
            raise CloseSpider("max_pages")
        if not any(self.budget_left(name) for name in self.site_names):
            raise CloseSpider("max_pages")

    def _follow_links(self, response: Response) -> Iterator[Request]:
        stats = self.crawler.stats
        # its links as a browser sees them: lxml stops at the first </html> (see decode)
        text = self._within_link_cap(without_early_end(response.text), response.url)
        text = self._within_attribute_cap(text, response.url)
        try:
            get_base_url(response)  # (cached: the link extractor reads it again)
        except ValueError:  # a <base href> no URL can be made of ("http://[::1/"): the
            text = _BASE.sub("", text)  # page's own URL, as a browser falls back to
            stats.inc_value("newscrawl/skipped/base_href")
        if text is not response.text:  # (as UTF-8: the page's own codec may not take U+FFFD)
            response = response.replace(body=text.encode("utf-8"), encoding="utf-8")
        for link in self.link_extractor.extract_links(response):
            spec = self.sites.site_of(link.url)
            if spec is None:
                continue
            # user:pw@www.example.com passes LinkExtractor's domain check (a bad port does
            # not), and so does a subdomain no DNS lookup can be made for: only a link with
            # an "@" or such a host is looked at, not every link of every page
            if ("@" in link.url or _ODD_HOST.match(link.url)) and url_problem(link.url):
                stats.inc_value("newscrawl/skipped/link/invalid_url")
                continue
            rejected = link_rejection(link.url) if spec.link_heuristics else None
            if rejected or not spec.allows(link.url):
                stats.inc_value(f"newscrawl/skipped/link/{rejected or 'denied'}")
                continue
            yield self._request(link.url, "link", spec)
        site = self.sites.site_of(response.url)
        for href in response.xpath(FEED_AUTODISCOVERY_XPATH).getall():
            url = joined(get_base_url(response), href.strip())  # as response.urljoin
            if url_problem(url):
                stats.inc_value("newscrawl/skipped/link/invalid_url")
                continue
            yield self._request(url, "feed", site, priority=LISTING_PRIORITY)
        if response.meta.get(SOURCE) == "start":
            yield self._robots_request(response.url)

    def _within_link_cap(self, text: str, url: str) -> str:
        """`text` cut after its first `max_links` links (`links_cut`), counted and said (a
        warning for a host's first such page, then debug lines)."""
        kept, lost = links_cut(text, self.max_links)
        if lost:
            stats = self.crawler.stats
            stats.inc_value("newscrawl/links_over_cap/pages")
            stats.inc_value("newscrawl/links_over_cap/links", lost)
            host = urlsplit(url).netloc
            level = logging.DEBUG if host in self._links_warned else logging.WARNING
            self._links_warned.add(host)
            logger.log(level, "%s: %d links beyond the first %d not followed "
                       "(NEWSCRAWL_MAX_PAGE_LINKS)", redacted(url), lost, self.max_links)
        return kept

    def _within_attribute_cap(self, text: str, url: str) -> str:
        """`text` with its tags cut to their first MAX_TAG_ATTRIBUTES attributes for the link
        parser (`capped_attributes`), counted and logged; the page goes to extraction whole."""
        kept, cut = capped_attributes(text)
        if cut:
            self.crawler.stats.inc_value("newscrawl/skipped/tag_attributes", cut)
            logger.debug("%s: %d tags cut to their first %d attributes for link reading",
                         redacted(url), cut, MAX_TAG_ATTRIBUTES)
        return kept

    def _robots_request(self, url: str) -> Request:
        """The request for the robots.txt of `url`'s host, for its Sitemap: lines (answered
        by `RobotsTxtMiddleware`'s own download of it, where robots.txt is obeyed)."""
        return self._request(urljoin(url, "/robots.txt"), "robots", self.sites.site_of(url),
                             depth_reset=True, priority=LISTING_PRIORITY)

    def parse_sitemap(self, response: Response, body: bytes) -> Iterator[Any]:
        """Request a sitemap index's sitemaps (depth 0) or a urlset's pages (depth + 1)."""
        self.crawler.stats.inc_value("newscrawl/sitemaps")
        errors: list[str] = []
        entries = sitemap_entries(body, errors)
        self._warn_if_broken(response, "sitemap", len(entries), errors)
        visit = self._listing_visit(response, "sitemap", entries)
        if xml_root_name(body) == "sitemapindex":  # sitemaps: held to deny, not to allow
            yield from self._indexed_sitemaps(response, entries)
        elif self._may_follow(response):  # over the budget: queued in the frontier, not lost
            yield from self._entry_requests(entries, "sitemap", response.url)
        else:
            visit = self._unfollowed(visit)
        yield {"visit": visit}

    def _indexed_sitemaps(self, response: Response, entries: list[Entry]) -> Iterator[Request]:
        """The requests for the sitemaps a sitemap index lists, but past MAX_SITEMAP_NESTING
        indexes (counted and logged, not queued)."""
        nesting = response.meta.get(SITEMAP_NESTING, 0) + 1
        if nesting > MAX_SITEMAP_NESTING:
            self.crawler.stats.inc_value("newscrawl/skipped/sitemap_nesting", len(entries))
            logger.warning("%s: a sitemap index under %d others; its %d sitemaps are not read",
                           response.url, nesting - 1, len(entries))
            return
        for entry in self._listed(entries, response.url, pages=False):
            request = self._request(entry.url, "sitemap", self.sites.site_of(entry.url),
                                    depth_reset=True, priority=LISTING_PRIORITY)
            request.meta[SITEMAP_NESTING] = nesting
            yield from self._due(request, entry)

    def parse_feed(self, response: Response, body: bytes) -> Iterator[Any]:
        """Request the entries of an RSS or Atom feed."""
        self.crawler.stats.inc_value("newscrawl/feeds")
        errors: list[str] = []
        entries = feed_entries(body, response.url, errors)
        self._warn_if_broken(response, "feed", len(entries), errors)
        visit = self._listing_visit(response, "feed", entries)
        if self._may_follow(response):  # over the budget: queued in the frontier, not lost
            yield from self._entry_requests(entries, "feed", response.url)
        else:
            visit = self._unfollowed(visit)
        yield {"visit": visit}

    def _listing_visit(self, response: Response, kind: str, entries: list[Entry]) -> dict:
        """The visit of a sitemap or feed read, with the earliest date it gives an entry's
        edit ahead of our clock (a date-only lastmod is its day's last second): the entry
        is fetched again only once that date is past, and the first run after it reads the
        listing in full (`reread_at`), where a 304 would have hidden the edit."""
        visit = response_visit(response, self._site_name(response.url), kind)
        now = utc_now()
        ahead = [entry.lastmod for entry in entries if entry.lastmod and entry.lastmod > now]
        if ahead:
            visit["reread_at"] = min(ahead)
            self.crawler.stats.inc_value("newscrawl/listings/dated_ahead")
        return visit

    def parse_robots(self, response: Response, body: bytes) -> Iterator[Any]:
        """Request the sitemaps named by robots.txt ``Sitemap:`` lines."""
        for url in robots_sitemaps(body, response.url):
            spec = self._valid(url, response.url) and self.sites.site_of(url)
            if spec:
                yield self._request(url, "sitemap", spec, depth_reset=True,
                                    priority=LISTING_PRIORITY)
        yield {"visit": response_visit(response, self._site_name(response.url), "robots")}

    def _warn_if_broken(self, response: Response, kind: str, entries: int,
                        errors: list[str]) -> None:
        """A listing the XML parser had to repair (cut short, malformed) is read as far as
        it goes, and said so: its missing entries are not found this run."""
        if errors:
            self.crawler.stats.inc_value("newscrawl/listings/xml_errors")
            logger.warning("%s: %s with XML errors (%s); read %d entries", response.url, kind,
                           errors[0], entries)

    def parse_other(self, response: Response, body: bytes) -> Iterable[Any]:
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        site = self._site_name(response.url)
        source = response.meta.get(SOURCE)
        if source in ("start", "sitemap"):  # asked for as a page or a listing: it is neither
            error = safexml.parse(body)[1] if b"<" in body[:512] else None
            logger.warning("%s: not a page, sitemap or feed (%s%s)", response.url,
                           content_type or "no content type", f"; {error}" if error else "")
            if response.meta.get(SEED):  # a start URL that gives nothing to crawl fails its site
                self._start_failed(site, "start_skipped/not_html")
        else:
            logger.debug("%s: skipped, not HTML (%s)", response.url, content_type or "no type")
        self.crawler.stats.inc_value("newscrawl/skipped/non_html")
        return [{"visit": response_visit(response, site, "other", state="skipped",
                                         reason="not_html")}]

    def on_error(self, failure: Failure) -> Iterable[Any]:
        """Log one line, count ``newscrawl/errors/<kind>`` and report the failed visit."""
        request = failure.request
        # the site of this run's start URL (not an earlier run's): its failure fails the site
        seed = self._requested_site(request) if request.meta.get(SEED) else None
        if failure.check(Unsent):  # never sent: still queued, no visit
            self.crawler.signals.send_catch_log(request_unsent, request=request)
            if seed and failure.check(RobotsUnavailable):
                self._start_failed(seed, _unread_robots(failure.value))
                return [self._robots_request(request.url)]  # its failure, for the run's counts
            return []
        source = request.meta.get(SOURCE)
        kind = error_kind(failure)
        # refused by policy (robots.txt, off site...) or over the size limit: say which
        if seed and kind in (None, "too_large"):
            self._start_failed(seed, f"start_skipped/{kind or skip_reason(failure)}")
        elif seed:  # what a run that fetched nothing says of its start URLs
            self._start_failed(seed, f"start_errors/{kind}")
        visit = self._failure_visit(failure, kind)
        # a fetch error as the site's counts have it (`run_sites.failed`): not a skip (a
        # missing robots.txt is normal, a page over the size limit looked at again in a week)
        counted = visit["state"] == "failed"
        if visit["state"] == "skipped" and visit["reason"] != "no_robots":  # (normal)
            self.crawler.stats.inc_value(f"newscrawl/skipped/{visit['reason']}")
        elif counted:
            self.crawler.stats.inc_value(f"newscrawl/errors/{visit['reason']}")
        level = logging.WARNING if counted or source == "start" else logging.DEBUG
        if failure.check(DestinationRefused) or (  # the middleware said why, once per host
                self._robots_said(request) and counted):
            level = logging.DEBUG
        logger.log(level, "%s: %s (%s)", redacted(request.url), kind or "ignored",
                   error_text(failure))
        return [{"visit": visit}]

    def _start_failed(self, site: str, why: str) -> None:
        """Count a start URL of this run that failed its site, and why (``newscrawl/<why>``:
        ``start_skipped/<reason>``, ``start_errors/<kind>``)."""
        stats = self.crawler.stats
        stats.inc_value("newscrawl/start_failed")
        stats.inc_value(f"newscrawl/sites/{site}/start_failed")
        stats.inc_value(f"newscrawl/{why}")

    def _robots_said(self, request: Request) -> bool:
        """Whether `RobotsTxtMiddleware` said why this robots.txt request failed (a server
        error, 429, its download's error): it fetches each host's robots.txt itself, and
        warns, where robots.txt is obeyed, and answers this request with what it got (not
        one too big to keep or redirected, downloaded again on its own)."""
        return bool(request.meta.get(ROBOTS_ANSWERED))

    def _failure_visit(self, failure: Failure, kind: str | None) -> dict:
        request, site = failure.request, self._requested_site(failure.request)
        if kind == "too_large":  # (a gzip bomb's is an IgnoreRequest)
            return failure_visit(request, site, "skipped", kind)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            return failure_visit(request, site, "skipped", skip_reason(failure))
        status = failure.value.response.status if failure.check(HttpError) else None
        if (request.meta.get(SOURCE) == "robots" and status and 400 <= status < 500
                and not robots_unavailable(status)):
            # no robots.txt (RFC 9309: allow all) is normal, not a failure; retried every run
            return failure_visit(request, site, "skipped", "no_robots", status)
        return failure_visit(request, site, "failed", kind or "other", status)

    # -- requests -----------------------------------------------------------------------

    def _listed(self, entries: list[Entry], listing: str, pages: bool = True) -> Iterator[Entry]:
        """Entries on one of our sites with a URL that can be crawled, and allowed by its
        allow / deny patterns; not ``pages`` (the sitemaps a sitemap index names), by its
        deny patterns only: an allow pattern describes the site's stories, which a sitemap's
        URL is not, and a deny pattern may name an archive's sitemaps to skip."""
        for entry in entries:  # checked first: a URL urlsplit refuses has no site either
            spec = self._valid(entry.url, listing) and self.sites.site_of(entry.url)
            if spec and (spec.allows(entry.url) if pages else not spec.denies(entry.url)):
                yield entry

    def _valid(self, url: str, listing: str) -> bool:
        """Whether a URL a listing (a sitemap, a feed, robots.txt) gives can be crawled; one
        that cannot is skipped, counted, and logged: one WARNING per listing, the rest at
        DEBUG (the listing's other entries are read all the same)."""
        problem = url_problem(url) or too_long(  # as it would be requested (`_request`)
            without_tracking(urldefrag(url)[0]), self.max_url)
        if problem is None:
            return True
        self.crawler.stats.inc_value("newscrawl/skipped/listed/invalid_url")
        level = logging.DEBUG if listing in self._invalid_in else logging.WARNING
        self._invalid_in.add(listing)
        logger.log(level, "%s: skipped an entry that is not a URL to crawl, %s (%s)",
                   listing, redacted(url), problem)
        return False

    def _entry_requests(self, entries: list[Entry], source: str,
                        listing: str) -> Iterator[Request]:
        for entry in self._listed(entries, listing):
            yield from self._due(self._request(entry.url, source, self.sites.site_of(entry.url),
                                               entry=entry, priority=priority_of(entry.newest)),
                                 entry)

    def _due(self, request: Request, entry: Entry) -> Iterator[Request]:
        """The request for a listed entry; one that ``since`` excludes is marked ``HELD``
        with the entry's dates instead of dropped: the listing's validators are stored, so
        the next runs get a 304 and never read the entry again, and only its frontier row
        (queued, dated) lets a run without ``since`` or with an earlier one fetch it."""
        if not is_older(entry, self.since):
            yield request
            return
        self.crawler.stats.inc_value("newscrawl/skipped/since")
        if self.records_held:  # without a frontier it is dropped: nobody would hold it
            request.meta[HELD] = True
            request.meta[ENTRY] = entry.meta()  # a sitemap index's entry too: its row is dated
            yield request

    def _request(self, url: str, source: str, site: SiteSpec | None, *, depth_reset: bool = False,
                 entry: Entry | None = None, priority: int = 0) -> Request:
        url = urldefrag(url)[0]  # one frontier row per document, whatever the #fragment
        if source not in ("start", "robots"):  # as found: a person's start URL is as given
            url = without_tracking(url)
        meta: dict[str, Any] = {SOURCE: source, SITE: site.name if site else bare_host(
            urlsplit(url).hostname or "")}
        self._site_meta(meta, site, priority)
        if depth_reset:
            meta["depth_reset"] = True
        if entry is not None:
            meta[ENTRY] = entry.meta()
        return Request(url, callback=self.parse, errback=self.on_error, meta=meta,
                       priority=priority)

    def _site_meta(self, meta: dict[str, Any], site: SiteSpec | None,
                   priority: int) -> None:
        """What a request's meta takes from its site: the digest of its filters, and for a
        sitemap (one robots.txt or a sitemap index names: a listing found in a sitemap, not
        a page it lists) or a start URL (a page, a feed or a sitemap: its answer says which)
        the size a sitemap may have (50 MB), where DOWNLOAD_MAXSIZE is smaller (20 MB by
        default)."""
        if site is not None:
            meta[FILTERS] = site.filters
        source = meta[SOURCE]
        sitemap = is_listing(priority) if source == "sitemap" else source == "start"
        if sitemap and self.max_sitemap > self.max_body:
            meta["download_maxsize"] = self.max_sitemap

    def _requested_site(self, request: Request) -> str:
        """The site of the URL first requested (a redirect hop may be on another host)."""
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        return request.meta.get(SITE) or self._site_name(first)

    def _site_name(self, url: str) -> str:
        spec = self.sites.site_of(url)
        return spec.name if spec else bare_host(urlsplit(url).hostname or "")

    def _may_follow(self, response: Response) -> bool:
        """Whether requests one level deeper than ``response`` are within the depth limits."""
        return self.follows_at(response.meta.get("depth", 0), response.url)

    def follows_at(self, depth: int, url: str) -> bool:
        """Whether the links of the page at ``url``, at ``depth``, are within the depth
        limits (the run's and its site's)."""
        limit = self.depth_limit(self.sites.site_of(url))
        return limit is None or depth < limit

    def depth_limit(self, spec: SiteSpec | None) -> int | None:
        """The depth a site's pages have their links followed below: the lower of the
        run's limit and the site's (None: no limit)."""
        limits = [limit for limit in (self.max_depth, spec.max_depth if spec else None)
                  if limit is not None]
        return min(limits, default=None)

    @staticmethod
    def _unfollowed(visit: dict) -> dict:
        """The visit of a page whose links were not followed (the depth limit): so marked,
        so that a run that would follow them reads it in full, not as a 304."""
        return visit | {"filters": UNFOLLOWED}

    def _pages(self, site: str | None = None) -> int:
        key = f"newscrawl/sites/{site}/pages" if site else "newscrawl/pages"
        return self.crawler.stats.get_value(key, 0)

    def _budget_left_total(self) -> bool:
        return self.max_pages is None or self._pages() < self.max_pages

    def page_limits(self, site: str) -> tuple[int | None, int | None]:
        """The site's own page budget and the run's (None: none), as the frontier middleware
        spends them when it schedules page requests (crawler/budget.py)."""
        spec = self.sites.by_name.get(site)
        return (spec.max_pages if spec else None), self.max_pages

    def budget_left(self, site: str) -> bool:
        """Whether the run's and the site's page budgets allow another page of ``site``."""
        spec = self.sites.by_name.get(site)
        own = spec.max_pages if spec else None
        return self._budget_left_total() and (own is None or self._pages(site) < own)
