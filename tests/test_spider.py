"""NewsSpider: argument checks and discovery helpers in-process, crawls in a subprocess.

Crawls run against 127.0.0.1 only: ``spider_site`` (conftest.SPIDER_SITE, made for the edge
cases) and ``demo_site`` (fixtures/demo-site, the realistic one; skipped until it exists).
"""

from __future__ import annotations

import asyncio
import gzip
import re
from urllib.parse import urlsplit

import pytest
from conftest import CP1251_PAGE, DEMO_SITE
from parsel import Selector
from scrapy import exceptions as scrapy_exceptions
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, DNSLookupError
from twisted.python.failure import Failure

from crawler.config import SiteIndex, load_config, sites_from_urls
from crawler.discovery import (
    classify,
    error_kind,
    parse_limit,
    response_body,
    url_problem,
)
from crawler.listings import feed_entries, sitemap_entries
from crawler.spiders.news import MAX_TAG_ATTRIBUTES, NewsSpider, capped_attributes, links_cut
from tests.ports import refusing_port

PAGE_KEYS = {
    "url",
    "requested_url",
    "status",
    "content_type",
    "headers",
    "body",
    "fetched_at",
    "site",
    "depth",
    "source",
    "visit",  # what the frontier records about the fetch (crawler/visits.py)
}
SITEMAP = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.com/a.html</loc></url></urlset>"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel>
<item><link> https://example.com/a.html </link></item><item><link>/b.html</link></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<link rel="self" href="https://example.com/atom.xml"/>
<entry><link rel="alternate" href="https://example.com/a.html"/>
<link rel="enclosure" href="https://example.com/a.mp3"/></entry>
<entry><link href="https://example.com/b.html"/></entry></feed>"""
ENTITY_FEED = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><item><link>https://example.com/&xxe;</link></item></channel></rss>"""


# --- arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start_urls",
    ["ftp://x", "not a url", "", "http://", "https:///path", ["https://ok.example", "mailto:a@b"],
     "https://example.com:99999/", "https://user:secret@example.com/"],
)
def test_bad_start_url_raises_a_clear_value_error(start_urls):
    with pytest.raises(ValueError, match=r"start URL") as info:
        NewsSpider(start_urls=start_urls)
    assert "\n" not in str(info.value)
    assert "secret" not in str(info.value)  # a password is not written to the log


@pytest.mark.parametrize("typed", ["news.example.com", "news.example.com/world?page=2",
                                   "news.example.com:8080/"])
def test_a_start_url_typed_without_its_scheme_is_told_the_url_it_may_mean(typed):
    with pytest.raises(ValueError) as info:
        NewsSpider(start_urls=typed)
    assert str(info.value) == (f"invalid start URL {typed!r}: no scheme: did you mean"
                               f" 'https://{typed}'?")


@pytest.mark.parametrize("typed", ["http:/news.example.com", "https//news.example.com",
                                   "https:news.example.com", "mailto:a@b.example"])
def test_a_mistyped_scheme_is_not_taken_for_a_missing_one(typed):
    """"http:/news.example.com" was told "did you mean 'https://http:/news.example.com'?"
    (a review)."""
    with pytest.raises(ValueError) as info:
        NewsSpider(start_urls=typed)
    assert "did you mean" not in str(info.value)
    assert str(info.value).endswith("expected an http(s) URL with a host")


def test_a_start_url_without_a_path_is_the_sites_root(tmp_path):
    """As its pages link to it: one frontier row, not a second fetch of the home page."""
    spider = NewsSpider(start_urls="https://example.com, http://127.0.0.1:8802?x=1")
    assert spider.start_urls == ["https://example.com/", "http://127.0.0.1:8802/?x=1"]
    path = tmp_path / "sites.toml"
    path.write_text('[sites.a]\nstart_urls = ["https://a.example"]\n'
                    'feeds = ["https://a.example/rss"]\n', "utf-8")
    (site,) = load_config(path)
    assert site.start_urls == ("https://a.example/",) and site.feeds == ("https://a.example/rss",)


def test_a_site_with_an_international_name_owns_its_pages_as_scrapy_requests_them():
    """Scrapy requests https://bücher.de/ as https://xn--bcher-kva.de/: the site must own
    that form (every page was off-site before, the seeds' answers included)."""
    index = SiteIndex(sites_from_urls(["https://www.bücher.de/"]))
    for url in ("https://xn--bcher-kva.de/a", "https://www.xn--bcher-kva.de/b",
                "https://bücher.de/c", "https://news.xn--bcher-kva.de/d"):
        assert index.site_of(url) is not None, url
    assert index.site_of("https://bucher.de/") is None
    spider = NewsSpider(start_urls="https://bücher.de/")
    assert spider.allowed_domains == ["xn--bcher-kva.de"]


def test_arguments_from_the_command_line_are_strings():
    spider = NewsSpider(
        start_urls="https://www.example.com/, https://news.example.org/feed.xml",
        max_depth="2",
        max_pages="100",
    )
    assert spider.start_urls == ["https://www.example.com/", "https://news.example.org/feed.xml"]
    assert (spider.max_depth, spider.max_pages) == (2, 100)
    assert spider.allowed_domains == ["example.com", "news.example.org"]
    assert spider.start_hosts == ["www.example.com", "news.example.org"]


def test_arguments_from_python_are_lists_and_ints():
    spider = NewsSpider(start_urls=["https://example.com/"], max_depth=0, max_pages=0)
    assert (spider.max_depth, spider.max_pages) == (0, None)  # max_pages=0: no budget


@pytest.mark.parametrize("value", ["-1", "two", 1.5j])
def test_bad_limits_raise(value):
    with pytest.raises(ValueError, match="max_depth"):
        parse_limit(value, "max_depth")


def test_from_crawler_takes_the_page_budget_from_settings():
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_MAX_PAGES": 7})
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    assert spider.max_pages == 7
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/", max_pages=2)
    assert spider.max_pages == 2


def test_site_is_the_start_host_a_url_belongs_to():
    index = SiteIndex(sites_from_urls(["https://www.example.com/", "https://news.example.org/"]))
    assert index.site_of("https://example.com/a").name == "www.example.com"
    assert index.site_of("https://www.example.com/a").name == "www.example.com"
    assert index.site_of("https://m.news.example.org/a").name == "news.example.org"


# --- what a response is --------------------------------------------------------------------


def make_response(cls, body: bytes, url="https://example.com/x", content_type=None):
    headers = {"Content-Type": content_type} if content_type else {}
    return cls(url=url, body=body, headers=headers, request=Request(url))


@pytest.mark.parametrize(
    ("cls", "body", "url", "kind"),
    [
        (HtmlResponse, b"<!DOCTYPE html><html><body>hi</body></html>", "https://e.com/", "html"),
        (
            HtmlResponse,
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
            "https://e.com/x.xhtml",
            "html",
        ),
        (XmlResponse, SITEMAP, "https://e.com/no-extension", "sitemap"),
        (  # a sitemap served with a comment first, as HTML is
            TextResponse, b"\xef\xbb\xbf <!-- <html> -->\n" + SITEMAP.split(b"?>", 1)[1],
            "https://e.com/sitemap-bom", "sitemap",
        ),
        (HtmlResponse, b"\xef\xbb\xbf\n<!-- cms -->\n<!doctype HTML>\n<html>", "https://e.com/p",
         "html"),
        (  # the root's start tag past the first chunk the sniff reads
            TextResponse,
            SITEMAP.replace(b"?>", b"?>\n<!--" + b" generated " * 500 + b"-->", 1),
            "https://e.com/sitemap-commented",
            "sitemap",
        ),
        (TextResponse, SITEMAP, "https://e.com/sitemap", "sitemap"),
        (HtmlResponse, RSS, "https://e.com/rss", "feed"),
        (XmlResponse, b"<rdf:RDF><channel/></rdf:RDF>", "https://e.com/rss1", "feed"),  # no xmlns
        (XmlResponse, ATOM, "https://e.com/atom", "feed"),
        (TextResponse, b"User-agent: *\nDisallow: /\n", "https://e.com/robots.txt", "robots"),
        (TextResponse, b"Sitemap: https://e.com/s.xml\n", "https://e.com/list.txt", "robots"),
        (TextResponse, b'{"a": 1}', "https://e.com/api.json", "other"),
        (Response, b"%PDF-1.4", "https://e.com/file.pdf", "other"),
    ],
)
def test_classify_by_content(cls, body, url, kind):
    response = make_response(cls, body, url)
    assert classify(response, response_body(response, 1 << 20)) == kind


@pytest.mark.parametrize(("cls", "target"), [
    (TextResponse, "https://e.com/robots-live.txt"),  # a CDN's or a CMS's own file
    (HtmlResponse, "https://e.com/"),  # a site that sends every missing file home
])
def test_a_robots_txt_redirected_to_another_path_is_still_robots_txt(cls, target):
    """RFC 9309 follows robots.txt's redirects: what the last one names is the robots.txt.
    Read as a response of its own, one without `Sitemap:` lines was counted a page fetched
    that was no HTML (`not_html`), and a site's home page one stored as a page."""
    request = Request(target, meta={"redirect_urls": ["https://e.com/robots.txt"]})
    response = cls(url=target, body=b"User-agent: *\nDisallow: /private/\n", request=request)
    assert classify(response, response.body) == "robots"


def test_gzipped_sitemap_is_unpacked():
    response = make_response(Response, gzip.compress(SITEMAP), "https://e.com/s.xml.gz")
    body = response_body(response, 1 << 20)
    assert body == SITEMAP
    assert classify(response, body) == "sitemap"


def feed_links(body: bytes, base_url: str) -> list[str]:
    return [entry.url for entry in feed_entries(body, base_url)]


def test_feed_links_rss_and_atom():
    assert feed_links(RSS, "https://example.com/feed") == [
        "https://example.com/a.html",
        "https://example.com/b.html",
    ]
    assert feed_links(ATOM, "https://example.com/atom.xml") == [
        "https://example.com/a.html",
        "https://example.com/b.html",
    ]


def test_feed_entities_are_not_expanded():
    # a parser that resolved entities would put the machine's hostname into the link
    assert feed_links(ENTITY_FEED, "https://example.com/feed") == ["https://example.com/"]


def test_error_kinds():
    response = make_response(Response, b"", "https://e.com/gone")
    response.status = 404
    assert error_kind(Failure(HttpError(response))) == "http_404"
    assert error_kind(Failure(DNSLookupError())) == "dns"
    assert error_kind(Failure(ConnectionRefusedError())) == "connection"
    assert error_kind(Failure(RuntimeError())) == "other"


# --- crawls of the spider's test site ------------------------------------------------------


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture(scope="session")
def home_crawl(spider_site, crawl):
    return crawl(start_urls=[spider_site.base_url + "/"])


def test_home_crawl_reaches_links_sitemap_and_feeds(home_crawl):
    assert {path_of(url) for url in home_crawl.urls()} == {
        "/",
        "/news/a1.html",
        "/news/a2.html",
        "/news/a3.html",
        "/section/world/",
        "/news/cp1251.html",
        "/news/sitemap-only.html",  # via robots.txt -> sitemap index -> .xml.gz sitemap
        "/news/feed-only.html",  # via <link rel="alternate"> RSS
        "/news/atom-only.html",  # via <link rel="alternate"> Atom
    }
    assert home_crawl.stats["newscrawl/pages"] == len(home_crawl.items) == 9
    assert home_crawl.stats["newscrawl/sitemaps"] == 2
    assert home_crawl.stats["newscrawl/feeds"] == 2


def test_page_items_follow_the_contract(home_crawl, spider_site):
    for item in home_crawl.items:
        assert set(item) == PAGE_KEYS
        assert item["status"] == 200
        assert item["site"] == "127.0.0.1"
        assert item["source"] in {"start", "sitemap", "feed", "link"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["fetched_at"])
        assert item["content_type"].startswith("text/html")
        assert item["headers"]["Content-Type"] == item["content_type"]
        assert all(isinstance(v, str) for v in item["headers"].values())
    home = home_crawl.by_url(spider_site.base_url + "/")
    assert (home["source"], home["depth"]) == ("start", 0)


def test_redirect_keeps_the_requested_url(home_crawl, spider_site):
    item = home_crawl.by_url(spider_site.base_url + "/section/world/")
    assert item["requested_url"] == spider_site.base_url + "/section/world"
    assert (item["source"], item["depth"]) == ("link", 1)
    assert home_crawl.by_url(spider_site.base_url + "/news/a3.html")["depth"] == 2


def test_sitemap_entries_are_depth_one(home_crawl, spider_site):
    item = home_crawl.by_url(spider_site.base_url + "/news/sitemap-only.html")
    assert (item["source"], item["depth"]) == ("sitemap", 1)


def test_body_bytes_are_kept_as_served(home_crawl, spider_site):
    item = home_crawl.by_url(spider_site.base_url + "/news/cp1251.html")
    assert item["body"] == CP1251_PAGE
    assert item["content_type"] == "text/html"


def test_robots_disallowed_urls_are_never_fetched(home_crawl, spider_site):
    assert home_crawl.stats["robotstxt/forbidden"] == 2  # one linked, one in the sitemap
    assert not [p for p in spider_site.requested_paths if p.startswith("/private/")]


def test_crawl_stays_on_the_start_domain(home_crawl):
    assert {urlsplit(url).hostname for url in home_crawl.urls()} == {"127.0.0.1"}
    assert not re.search(r"GET https?://example\.org", home_crawl.log.read_text("utf-8"))


def test_non_html_is_skipped_and_counted(home_crawl):
    assert home_crawl.stats["newscrawl/skipped/non_html"] == 1  # the JSON; the PDF is never
    assert not [url for url in home_crawl.urls() if url.endswith((".json", ".pdf"))]


def test_a_broken_link_is_counted_as_an_error(home_crawl):
    assert home_crawl.stats["newscrawl/errors/http_404"] == 1
    assert "newscrawl/start_failed" not in home_crawl.stats


@pytest.mark.parametrize("start", ["/sitemap_index.xml", "/robots.txt"])
def test_start_from_sitemap_or_robots(spider_site, crawl, start):
    # max_depth=1: the entries only, not the pages they link to
    result = crawl(start_urls=[spider_site.base_url + start], max_depth=1)
    assert {path_of(url) for url in result.urls()} == {"/news/a1.html", "/news/sitemap-only.html"}
    assert {(item["source"], item["depth"]) for item in result.items} == {("sitemap", 1)}


def test_pages_from_a_sitemap_are_crawled_on(spider_site, crawl):
    result = crawl(start_urls=[spider_site.base_url + "/sitemap_index.xml"])
    home = result.by_url(spider_site.base_url + "/")  # linked from /news/a1.html
    assert (home["source"], home["depth"]) == ("link", 2)


@pytest.mark.parametrize(
    ("start", "paths"),
    [
        ("/feed.xml", {"/news/a2.html", "/news/feed-only.html"}),
        ("/atom.xml", {"/news/atom-only.html"}),
    ],
)
def test_start_from_a_feed(spider_site, crawl, start, paths):
    result = crawl(start_urls=[spider_site.base_url + start], max_depth=1)
    assert {path_of(url) for url in result.urls()} == paths
    assert {(item["source"], item["depth"]) for item in result.items} == {("feed", 1)}


def test_max_pages_yields_exactly_that_many(spider_site, crawl):
    result = crawl(start_urls=[spider_site.base_url + "/"], max_pages=3)
    assert len(result.items) == 3
    assert result.stats["newscrawl/pages"] == 3
    assert result.stats["finish_reason"] == "max_pages"


def test_max_depth_zero_yields_only_the_start_page(spider_site, crawl):
    result = crawl(start_urls=[spider_site.base_url + "/"], max_depth=0)
    assert [path_of(url) for url in result.urls()] == ["/"]


def test_max_depth_one_stops_before_depth_two(spider_site, crawl):
    result = crawl(start_urls=[spider_site.base_url + "/"], max_depth="1")
    paths = {path_of(url) for url in result.urls()}
    assert "/news/a3.html" not in paths
    assert "/news/feed-only.html" not in paths  # feed at depth 1, its entries at 2
    assert {"/", "/news/a1.html", "/news/sitemap-only.html", "/section/world/"} <= paths
    assert max(item["depth"] for item in result.items) == 1


def test_failed_start_url_is_counted(spider_site, crawl):
    result = crawl(start_urls=[spider_site.base_url + "/nowhere.html"])
    assert result.items == []
    assert result.stats["newscrawl/start_failed"] == 1
    assert result.stats["newscrawl/errors/http_404"] == 1


def test_unreachable_start_url_is_counted(crawl):
    """Its robots.txt could not be fetched either: the start URL is not sent (RFC 9309),
    and fails its site for the reason robots.txt's download gave."""
    with refusing_port() as port:
        result = crawl(start_urls=[f"http://127.0.0.1:{port}/"])
    assert result.items == []
    assert result.stats["newscrawl/start_failed"] == 1
    assert result.stats["newscrawl/start_errors/connection"] == 1
    assert result.stats["newscrawl/robots_unavailable/unsent"] == 1


def test_unreachable_start_url_is_counted_as_an_error_where_robots_txt_is_not_obeyed(crawl):
    with refusing_port() as port:
        result = crawl(start_urls=[f"http://127.0.0.1:{port}/"],
                       settings={"ROBOTSTXT_OBEY": False})
    assert result.items == []
    assert result.stats["newscrawl/start_failed"] == 1
    assert result.stats["newscrawl/errors/connection"] == 1


# --- crawls of the demo site -----------------------------------------------------------------
# expected.json: "articles" {path: {"discovery": ["feed", "link", "sitemap"], ...}},
# "non_articles" [path], "robots_disallowed" [path].


def demo_paths(demo_expected, found_by: str | None = None) -> set[str]:
    """Article paths of the demo site, or those a given discovery route finds."""
    return {
        path
        for path, article in demo_expected["articles"].items()
        if found_by is None or found_by in article["discovery"]
    }


def demo_feeds(demo_site) -> list[str]:
    home = (DEMO_SITE / "index.html").read_text("utf-8", errors="replace")
    hrefs = Selector(text=home).xpath(
        "//link[@rel='alternate'][contains(@type, 'rss') or contains(@type, 'atom')]/@href"
    )
    return [demo_site.base_url + href for href in hrefs.getall()]


@pytest.fixture(scope="session")
def demo_home_crawl(demo_site, crawl):
    return crawl(start_urls=[demo_site.base_url + "/"])


def test_demo_home_crawl_reaches_every_article(demo_home_crawl, demo_expected):
    paths = {path_of(url) for url in demo_home_crawl.urls()}
    assert demo_paths(demo_expected) <= paths
    # tag and author listings are not worth a fetch (crawler/urlpolicy.py): every article
    # is reached without them
    wasted = {"/tag/energy/", "/author/jane-doe/"}
    assert set(demo_expected["non_articles"]) - wasted <= paths
    assert not wasted & paths
    assert {urlsplit(url).hostname for url in demo_home_crawl.urls()} == {"127.0.0.1"}


def test_demo_sitemap_only_articles_come_from_the_sitemap(demo_home_crawl, demo_expected):
    only_in_sitemap = {
        path
        for path, article in demo_expected["articles"].items()
        if article["discovery"] == ["sitemap"]
    }
    assert only_in_sitemap
    for item in demo_home_crawl.items:
        if path_of(item["url"]) in only_in_sitemap:
            assert (item["source"], item["depth"]) == ("sitemap", 1)


def test_demo_robots_disallowed_never_fetched(demo_home_crawl, demo_site, demo_expected):
    disallowed = set(demo_expected["robots_disallowed"])
    assert disallowed
    assert not disallowed & {path_of(url) for url in demo_home_crawl.urls()}
    assert not disallowed & {path.split("?")[0] for path in demo_site.requested_paths}
    assert demo_home_crawl.stats["robotstxt/forbidden"] >= 1


def test_demo_sitemap_alone_yields_its_entries(demo_site, demo_expected, crawl):
    result = crawl(start_urls=[demo_site.base_url + "/sitemap.xml"], max_depth=1)
    found = {path_of(url) for url in result.urls()}
    assert found & demo_paths(demo_expected) == demo_paths(demo_expected, "sitemap")
    assert {item["source"] for item in result.items} == {"sitemap"}


def test_demo_feeds_alone_yield_their_entries(demo_site, demo_expected, crawl):
    feeds = demo_feeds(demo_site)
    assert feeds
    found: set[str] = set()
    for feed in feeds:
        result = crawl(start_urls=[feed], max_depth=1)
        assert {item["source"] for item in result.items} == {"feed"}
        found |= {path_of(url) for url in result.urls()}
    assert found & demo_paths(demo_expected) == demo_paths(demo_expected, "feed")


def test_a_retried_request_that_redirects_off_site_is_still_offsite():
    """Scrapy's RetryMiddleware sets dont_filter, which a redirect copies; it must not
    let the redirect leave the sites."""
    from crawler.middlewares import OffsiteMiddleware, OffsiteRefused
    crawler = get_crawler(NewsSpider)
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls="https://news.example/")
    middleware = OffsiteMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    redirected = Request("https://elsewhere.example/landed", dont_filter=True,
                         meta={"redirect_urls": ["https://news.example/a"]})
    with pytest.raises(OffsiteRefused):
        middleware.process_request(redirected)
    assert middleware.process_request(Request("https://news.example/b", dont_filter=True)) is None
    allowed = Request("https://elsewhere.example/x", meta={"allow_offsite": True})
    assert middleware.process_request(allowed) is None


def parsed(spider: NewsSpider, body: bytes, url: str, source: str, cls=XmlResponse,
           seed: bool | None = None) -> list:
    """The spider's output for a response; a "start" request is this run's seed unless
    `seed` is False (an earlier run's start URL, requested again from the frontier)."""
    meta = {"newscrawl_source": source, "newscrawl_site": "example.com"}
    if seed or (seed is None and source == "start"):
        meta["newscrawl_seed"] = True
    request = Request(url, meta=meta)
    return list(spider.parse(cls(url=url, body=body, request=request)))


def test_a_sitemap_cut_short_is_read_as_far_as_it_goes_and_said_so(caplog):
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    cut = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>https://example.com/a.html</loc></url>"
           b"<url><loc>https://example.com/b.html</loc></url><url><loc>https://exa")
    out = parsed(spider, cut, "https://example.com/sitemap.xml", "sitemap")
    urls = [r.url for r in out if isinstance(r, Request)]
    assert urls == ["https://example.com/a.html", "https://example.com/b.html"]
    assert crawler.stats.get_value("newscrawl/listings/xml_errors") == 1
    assert "sitemap with XML errors (line 1" in caplog.text
    assert "read 2 entries" in caplog.text  # not the cut one, half a URL
    parsed(spider, SITEMAP, "https://example.com/ok.xml", "sitemap")
    assert crawler.stats.get_value("newscrawl/listings/xml_errors") == 1


@pytest.mark.parametrize("tail", [b"/news/2025/03/01/tr", b"/news/2025/03/01/tr-</loc>",
                                  b":8<url><loc>&bogus;<</lo"])
def test_a_listing_cut_off_never_gives_its_last_entry_half_written(tail):
    """A download or a .gz cut off, a sitemap written half-way: the last `<loc>` the parser
    repaired was requested and became a frontier row, a URL no listing named
    (`.../tr-`, or `http://127.0.0.1:8` cut inside the port). A listing cut inside its
    last entry now gives the entries before it."""
    head = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>https://example.com/a.html</loc></url><url><loc>https://example.com")
    assert [e.url for e in sitemap_entries(head + tail, [])] == ["https://example.com/a.html"]


def test_a_sitemap_entry_with_a_field_left_open_keeps_the_entries_after_it():
    """libxml2 closes an unclosed `<lastmod>` at its entry's `</url>` and nests the rest of
    the sitemap in that entry: the first entry was all it gave. An extension's own `<url>`
    inside an entry is a field, not an entry."""
    body = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            b' xmlns:x="urn:x"><url><loc>https://example.com/a.html</loc>'
            b"<lastmod>2025-03-01</url>"
            b"<url><loc>https://example.com/b.html</loc><lastmod>2025-03-02</lastmod>"
            b"<x:url><loc>https://example.com/x.html</loc></x:url></url>"
            b"<url><loc>https://example.com/c.html</loc></url></urlset>")
    entries = sitemap_entries(body, errors := [])
    assert [(e.url, e.lastmod) for e in entries] == [
        ("https://example.com/a.html", "2025-03-01T23:59:59Z"),
        ("https://example.com/b.html", "2025-03-02T23:59:59Z"),
        ("https://example.com/c.html", None)]
    assert errors and "mismatch" in errors[0]
    # a root written with a prefix, its entries without: the entries are the root's children
    prefixed = (b'<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">'
                b"<url><loc>https://example.com/a.html</loc></url></sm:urlset>")
    assert [e.url for e in sitemap_entries(prefixed)] == ["https://example.com/a.html"]
    nested = prefixed.replace(b"</loc></url>", b"</loc><lastmod>2025-01-01</url><url><loc>"
                              b"https://example.com/b.html</loc></url>")
    assert [e.url for e in sitemap_entries(nested)] == ["https://example.com/a.html",
                                                        "https://example.com/b.html"]
    # a prefix never declared: libxml2 keeps it in the name, which lxml's QName refuses
    # (a ValueError out of the spider's callback); read, its error said
    undeclared = b"<sm:urlset><url><loc>https://example.com/a.html</loc></url></sm:urlset>"
    errors = []
    assert [e.url for e in sitemap_entries(undeclared, errors)] == ["https://example.com/a.html"]
    assert "Namespace prefix sm on urlset is not defined" in errors[0]
    feed = (b"<x:rss><channel><item><link>https://example.com/b.html</link></item></channel>"
            b"</x:rss>")
    assert [e.url for e in feed_entries(feed, "https://example.com/")] == [
        "https://example.com/b.html"]


@pytest.mark.parametrize(("body", "codec"), [
    (b"/b.html</loc></url>", "utf-8"),  # cut between two entries, or never closed
    (b"/b.html</loc></url></urlset>\n<junk", "utf-8"),  # something after the end
    (b"/b.html?x=1&y=2</loc></url></urlset>", "utf-8"),  # an error mid-document
    (b"/b.html?x=1&y=2</loc></url></urlset>", "utf-16"),
    (b"/b.html?x=1&y=2</loc></url></urlset>", "utf-16-be"),  # a BOM, no declaration
])  # fmt: skip
def test_a_listing_with_an_error_but_its_last_entry_whole_keeps_it(body, codec):
    declared = "" if codec.endswith("-be") else f'<?xml version="1.0" encoding="{codec}"?>'
    codec = "utf-16" if codec.endswith("-be") else codec  # (Python's writes a BOM)
    head = (f'{declared}<urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9"><url><loc>https://example.com/a.html</loc></url>'
            "<url><loc>https://example.com")
    errors: list[str] = []
    document = (head + body.decode()).encode(codec)
    urls = [e.url for e in sitemap_entries(document, errors)]
    assert errors and urls[0] == "https://example.com/a.html" and "/b.html" in urls[-1]
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://example.com/'
           b"a.html</link></item><item><link>https://example.com/b")
    assert [e.url for e in feed_entries(rss, "https://example.com/", [])] == [
        "https://example.com/a.html"]
    assert [e.url for e in feed_entries(rss + b".html</link></item></channel></rss>",
                                        "https://example.com/", [])][-1].endswith("/b.html")
    # cut in the channel's <image> after its items: the last item is whole
    image = rss + b".html</link></item><image><url>https://example.com/lo"
    assert [e.url for e in feed_entries(image, "https://example.com/", [])][-1].endswith(
        "/b.html")


def test_a_gzip_listing_that_does_not_unpack_is_a_failed_fetch_with_its_reason(caplog):
    """zlib's error escaped the callback: a traceback, the URL left queued and failing so
    every run, and exit 0 for a run whose only start URL it was."""
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    corrupt = b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4
    out = parsed(spider, corrupt, "https://example.com/s.xml.gz", "start", cls=Response)
    assert [(o["visit"]["state"], o["visit"]["reason"]) for o in out] == [("failed", "bad_gzip")]
    assert crawler.stats.get_value("newscrawl/errors/bad_gzip") == 1
    assert crawler.stats.get_value("newscrawl/start_errors/bad_gzip") == 1
    assert "s.xml.gz: bad_gzip (cannot gunzip the body" in caplog.text


def test_a_gzip_listing_that_unpacks_past_its_limit_is_a_too_large_skip():
    crawler = get_crawler(NewsSpider, {"DOWNLOAD_MAXSIZE": 1024 * 1024,
                                       "NEWSCRAWL_SITEMAP_MAXSIZE": 1024 * 1024})
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    big = gzip.compress(b"<urlset>" + b" " * (2 * 1024 * 1024) + b"</urlset>")
    out = parsed(spider, big, "https://example.com/s.xml.gz", "sitemap", cls=Response)
    assert [(o["visit"]["state"], o["visit"]["reason"]) for o in out] == [
        ("skipped", "too_large")]
    assert crawler.stats.get_value("newscrawl/skipped/too_large") == 1


def test_a_start_url_may_be_a_sitemap_as_large_as_sitemaps_org_allows():
    """A start URL may be a sitemap (README), but it got DOWNLOAD_MAXSIZE (20 MB), not the
    50 MB a sitemap may have: a 23 MB sitemap was `too_large` as a start URL, read from a
    config's `sitemaps`."""
    crawler = get_crawler(NewsSpider, {"DOWNLOAD_MAXSIZE": 20 * 1024 * 1024,
                                       "NEWSCRAWL_SITEMAP_MAXSIZE": 50 * 1024 * 1024})
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/sitemap.xml")

    async def seeds():
        return [request async for request in spider.start()]

    (request,) = asyncio.run(seeds())
    assert request.meta["download_maxsize"] == 50 * 1024 * 1024


@pytest.mark.parametrize("head", ['<base href="http://[::1/">',
                                  '<meta http-equiv="refresh" content="600; url=http://[::1/">'])
def test_a_base_or_refresh_url_that_is_no_url_loses_no_page(head):
    """The join raised ValueError: the page was recorded failed ("Invalid IPv6 URL") on
    every run, and a start page so made the run exit 1."""
    from crawler.middlewares import MetaRefreshMiddleware

    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    body = (f'<html><head>{head}<link rel="alternate" type="application/rss+xml" '
            'href="/feed.xml"></head><body><p>x</p><a href="/a">a</a></body></html>').encode()
    url = "https://example.com/2024/01/01/story"
    response = HtmlResponse(url, body=body, request=Request(url))
    refresh = MetaRefreshMiddleware.from_crawler(crawler)
    assert refresh.process_response(response.request, response) is response
    out = parsed(spider, body, url, "link", cls=HtmlResponse)
    assert [r.url for r in out if isinstance(r, Request)] == [
        "https://example.com/a", "https://example.com/feed.xml"]  # read from the page's URL
    assert [item["url"] for item in out if isinstance(item, dict)] == [url]


def test_an_entry_that_is_no_url_to_crawl_is_skipped_and_the_rest_of_its_listing_read(caplog):
    """A port out of range made Scrapy's Request raise, and the whole listing was lost, on
    every run; a user name or password failed the download with a traceback (and would be
    stored). Now each such entry is skipped, counted, and said once per listing."""
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://example.com:99999/b.html</loc></url>"
               b"<url><loc>https://user:secret@example.com/c.html</loc></url>"
               b"<url><loc>https://example.com/a.html</loc></url></urlset>")
    out = parsed(spider, sitemap, "https://example.com/sitemap.xml", "sitemap")
    assert [r.url for r in out if isinstance(r, Request)] == ["https://example.com/a.html"]
    assert crawler.stats.get_value("newscrawl/skipped/listed/invalid_url") == 2
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "Port out of range" in warnings[0].getMessage()
    assert "secret" not in caplog.text
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel>'
           b"<item><link>https://example.com:0x/a</link></item>"
           b"<item><link>https://example.com/d.html</link></item></channel></rss>")
    out = parsed(spider, rss, "https://example.com/feed.xml", "feed", cls=XmlResponse)
    assert [r.url for r in out if isinstance(r, Request)] == ["https://example.com/d.html"]
    robots = b"Sitemap: https://example.com:70000/s.xml\nSitemap: https://example.com/s.xml\n"
    out = parsed(spider, robots, "https://example.com/robots.txt", "robots", cls=TextResponse)
    assert [r.url for r in out if isinstance(r, Request)] == ["https://example.com/s.xml"]
    assert crawler.stats.get_value("newscrawl/skipped/listed/invalid_url") == 4
    # a URL urlsplit refuses ("Invalid IPv6 URL"): it raised out of the site lookup, or of
    # urljoin for a feed's link and a robots.txt line, and the listing's other entries went
    for kind, body, cls in [
        ("sitemap", b'<?xml version="1.0"?><urlset><url><loc>http://[::1/b</loc></url>'
                    b"<url><loc>https://example.com/e.html</loc></url></urlset>", HtmlResponse),
        ("sitemap", b'<?xml version="1.0"?><sitemapindex><sitemap><loc>http://[1:2/s.xml</loc>'
                    b"</sitemap><sitemap><loc>https://example.com/e.xml</loc></sitemap>"
                    b"</sitemapindex>", HtmlResponse),
        ("feed", b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>http://[::1/y'
                 b"</link></item><item><link>https://example.com/e.html</link></item>"
                 b"</channel></rss>", XmlResponse),
        ("feed", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
                 b'<link href="http://[::1/y"/></entry><entry><link href="/e.html"/></entry>'
                 b"</feed>", XmlResponse),
        ("robots", b"Sitemap: http://[12345::1]/s.xml\nSitemap: https://example.com/e.xml\n",
         TextResponse),
    ]:
        out = parsed(spider, body, f"https://example.com/{kind}", kind, cls=cls)
        assert [r.url.rsplit("/", 1)[-1] for r in out if isinstance(r, Request)] == [
            "e.xml" if b".xml<" in body or b"e.xml\n" in body else "e.html"], kind
    assert crawler.stats.get_value("newscrawl/skipped/listed/invalid_url") == 9
    page = (b"<html><body><a href='https://example.com:99999/x'>x</a>"
            b"<a href='https://me:pw@example.com/y'>y</a><a href='/z'>z</a>"
            b"<a href='https://me:secret@www.example.com/w'>w</a>"
            b"<a href='https://me:secret@news.example.com/n'>n</a>"
            b"<link rel='alternate' type='application/rss+xml' href='https://example.com:-1/f'>"
            b"<link rel='alternate' type='application/rss+xml' href='http://[::1/feed.xml'>"
            b"</body></html>")
    out = parsed(spider, page, "https://example.com/2024/01/01/story", "link", cls=HtmlResponse)
    assert [r.url for r in out if isinstance(r, Request)] == ["https://example.com/z"]
    # the first two: Scrapy's LinkExtractor drops them (their netloc is no site's domain);
    # on www. and a subdomain its domain test passes them (netloc.endswith(".example.com"))
    assert crawler.stats.get_value("newscrawl/skipped/link/invalid_url") == 4
    # a subdomain no DNS lookup can be made for (its request never ended: the crawl hung)
    page = (f"<html><body><a href='https://{'a' * 70}.example.com/x'>x</a>"
            "<a href='https://xn--zz-\u00e9.example.com/y'>y</a><a href='/z'>z</a>"
            "<a href='https://www..example.com/e'>e</a><a href='https://.example.com/d'>d</a>"
            "<a href='https://news.example.com/ok'>ok</a></body></html>").encode()
    out = parsed(spider, page, "https://example.com/2024/01/01/story", "link", cls=HtmlResponse)
    assert [r.url for r in out if isinstance(r, Request)] == [
        "https://example.com/z", "https://news.example.com/ok"]
    assert crawler.stats.get_value("newscrawl/skipped/link/invalid_url") == 8
    long_port = url_problem(f"http://h:{'9' * 100_000}x/")  # said in one short line
    long_host = url_problem(f"http://a!{'b' * 100_000}.com/")
    assert len(long_port) < 300 and len(long_host) < 300


def test_a_failure_of_a_url_with_a_password_is_logged_without_it(caplog):
    import logging

    from crawler.middlewares import DestinationRefused

    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    request = Request("https://me:secret@www.example.com/y", meta={
        "newscrawl_source": "link", "newscrawl_site": "example.com"})
    failure = Failure(DestinationRefused("refused: a user name or password"))
    failure.request = request
    with caplog.at_level(logging.DEBUG):
        spider.on_error(failure)
    assert "https://***@www.example.com/y" in caplog.text and "secret" not in caplog.text


def test_scrapys_redirect_line_shows_no_password():
    import logging

    from crawler.extensions import REDIRECT_LOGGER, OneLineNetworkErrorsExtension

    OneLineNetworkErrorsExtension()  # installs the log filters, as a crawl does
    record = logging.LogRecord(REDIRECT_LOGGER, logging.DEBUG, __file__, 1,
                               "Redirecting (%(reason)s) to %(redirected)s from %(request)s",
                               (), None)
    record.args = {"reason": 302, "redirected": Request("http://u:secret@example.com/a"),
                   "request": Request("http://example.com/b")}
    for handler_filter in logging.getLogger(REDIRECT_LOGGER).filters:
        handler_filter.filter(record)
    assert record.getMessage() == ("Redirecting (302) to <GET http://***@example.com/a> from "
                                   "<GET http://example.com/b>")


@pytest.mark.parametrize(("url", "shown"), [
    ("http://u:secret@x.example/a@b", "http://***@x.example/a@b"),
    ("https:/u:secret@x.example", "https:/***@x.example"),
    ("http:\\\\u:secret@x.example/", "http:\\\\***@x.example/"),
    ("http://x.example/@me", "http://x.example/@me"), ("http://x.example?q=a@b", None),
])
def test_redacted_hides_what_comes_before_the_at_of_a_host(url, shown):
    from crawler.urlpolicy import redacted
    assert redacted(url) == (shown or url)


def test_a_start_url_that_is_no_page_sitemap_or_feed_fails_its_site(caplog):
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/sitemap.xml")
    crawler.stats.open_spider()
    [record] = parsed(spider, b"this is <<< not xml", "https://example.com/sitemap.xml", "start",
                      cls=TextResponse)
    assert record["visit"]["reason"] == "not_html"
    assert crawler.stats.get_value("newscrawl/sites/example.com/start_failed") == 1
    assert "not a page, sitemap or feed" in caplog.text


def test_an_earlier_runs_start_url_that_is_no_page_fails_no_site():
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    parsed(spider, b"not xml", "https://example.com/old.xml", "start", cls=TextResponse,
           seed=False)
    assert crawler.stats.get_value("newscrawl/sites/example.com/start_failed") is None


def test_links_written_after_an_early_closing_html_tag_are_followed():
    """lxml stops at the first </html>; a browser, and the spider, read on."""
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    page = (b"<html><body><header><a href='/section'>Section</a></header></body></html>\n"
            b"<main><p>Story <a href='/2024/01/02/next-story'>next</a></p></main>")
    out = parsed(spider, page, "https://example.com/2024/01/01/story", "link", cls=HtmlResponse)
    urls = {r.url for r in out if isinstance(r, Request)}
    assert {"https://example.com/section", "https://example.com/2024/01/02/next-story"} <= urls
    [item] = [r for r in out if not isinstance(r, Request)]
    assert item["body"] == page  # the page is stored as it was served
    # a legacy encoding with a byte it cannot decode (U+FFFD, which cp1252 cannot encode)
    latin = b'<meta charset="iso-8859-1"><p>caf\xe9 \x81</p>' + page
    out = parsed(spider, latin, "https://example.com/2024/01/03/x", "link", cls=HtmlResponse)
    assert "https://example.com/2024/01/02/next-story" in {
        r.url for r in out if isinstance(r, Request)}


@pytest.mark.parametrize("error", [
    DNSLookupError("no such host"), ConnectionRefusedError(),
    scrapy_exceptions.CannotResolveHostError("nonexistent.invalid"),
    scrapy_exceptions.ResponseDataLossError(), scrapy_exceptions.DownloadTimeoutError(),
    scrapy_exceptions.DownloadCancelledError()])
def test_network_failures_are_logged_as_one_line(error):
    import logging

    from crawler.extensions import _OneLineNetworkErrors

    record = logging.LogRecord("scrapy.core.scraper", logging.ERROR, __file__, 1,
                               "Error downloading", (), (type(error), error, None))
    assert _OneLineNetworkErrors().filter(record) and record.exc_info is None


def test_a_connection_error_is_told_in_words_not_as_a_list_of_failure_reprs():
    """Scrapy raises its DownloadFailedError from Twisted's ResponseNeverReceived, whose text
    is a list of Failure reprs: the warning line showed that."""
    from scrapy.exceptions import DownloadFailedError
    from twisted.internet.error import ConnectionDone, ConnectionLost
    from twisted.web._newclient import ResponseNeverReceived

    from crawler.extensions import error_text

    wrapped = ResponseNeverReceived([Failure(ConnectionDone()), Failure(ConnectionLost())])
    try:
        raise DownloadFailedError(str(wrapped)) from wrapped
    except DownloadFailedError as error:
        failure = Failure(error)
    assert error_text(failure) == ("Connection was closed cleanly.; Connection to the other "
                                   "side was lost in a non-clean fashion.")
    assert error_text(DownloadFailedError("timed out")) == "timed out"
    assert error_text(ConnectionRefusedError()) == "Connection was refused by other side."
    assert error_text(ValueError()) == "ValueError"


def test_other_errors_keep_their_traceback():
    import logging

    from crawler.extensions import _OneLineNetworkErrors

    error = OSError(28, "No space left on device")
    record = logging.LogRecord("scrapy.core.scraper", logging.ERROR, __file__, 1,
                               "Error processing", (), (OSError, error, None))
    assert _OneLineNetworkErrors().filter(record) and record.exc_info is not None


def test_a_page_leaves_the_spider_without_its_decoded_text_and_selector():
    """The response lives until its page is stored; only its bytes are needed there, so
    the text the links were read from and the selector's tree are let go."""
    import weakref

    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    page = b"<html><body><p>Story <a href='/2024/01/02/next'>next</a></p></body></html>"
    request = Request("https://example.com/2024/01/01/story",
                      meta={"newscrawl_source": "link", "newscrawl_site": "example.com"})
    response = HtmlResponse(url=request.url, body=page, request=request)
    assert response.text  # decoded before the spider, as the meta-refresh middleware does
    tree = weakref.ref(response.selector)
    out = list(spider.parse(response))
    assert "https://example.com/2024/01/02/next" in {r.url for r in out if isinstance(r, Request)}
    assert tree() is None and response._cached_ubody is None
    assert "Story" in response.text  # read as text again, decoded again


def test_a_robots_txt_the_spider_downloaded_itself_is_one_warning_when_it_fails(caplog):
    """Over 512 KiB (or redirected, where it answered), robots.txt is not kept for the
    spider's request, which is downloaded on its own; its failure (a timeout, the
    middleware's download having answered) was logged at DEBUG only, as though the
    middleware had said it: a fetch error with no WARNING line at all."""
    from scrapy.exceptions import DownloadTimeoutError

    crawler = get_crawler(NewsSpider, {"ROBOTSTXT_OBEY": True})
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    request = Request("https://example.com/robots.txt", meta={
        "newscrawl_source": "robots", "newscrawl_site": "example.com"})
    failure = Failure(DownloadTimeoutError("Getting https://example.com/robots.txt took"
                                           " longer than 3.0 seconds."))
    failure.request = request
    (record,) = spider.on_error(failure)
    assert record["visit"]["state"] == "failed"
    assert [r.levelname for r in caplog.records].count("WARNING") == 1


@pytest.mark.parametrize(("obey", "warnings"), [(True, 0), (False, 1)])
def test_a_robots_txt_server_error_is_said_once_whether_robots_txt_is_obeyed_or_not(
        caplog, obey, warnings):
    """Obeyed, RobotsTxtMiddleware says it (its own fetch); not obeyed, that middleware
    never runs, and the spider's line, made DEBUG for the first case, was the only one."""
    from crawler.middlewares import ROBOTS_ANSWERED

    crawler = get_crawler(NewsSpider, {"ROBOTSTXT_OBEY": obey})
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    request = Request("https://example.com/robots.txt", meta={
        "newscrawl_source": "robots", "newscrawl_site": "example.com"})
    if obey:  # answered with the middleware's own download
        request.meta[ROBOTS_ANSWERED] = True
    failure = Failure(HttpError(Response(request.url, status=500, request=request)))
    failure.request = request
    spider.on_error(failure)
    assert [r.levelname for r in caplog.records].count("WARNING") == warnings


def test_links_cut_keeps_a_page_whole_up_to_the_cap_and_counts_what_it_cuts():
    page = "<p>x</p>" + "".join(f'<a href="/s/{i}">s</a><AREA href="/m/{i}">' for i in range(3))
    assert links_cut(page, 6) == (page, 0)
    assert links_cut(page, 0) == (page, 0)  # 0: no cap
    kept, lost = links_cut(page, 4)
    assert lost == 2 and kept.endswith('<AREA href="/m/1">') and "/s/2" not in kept
    assert links_cut("<abbr>x</abbr><aside>" * 5, 1) == ("<abbr>x</abbr><aside>" * 5, 0)
    # a tag in a comment, a script or a style is no link (a script's templates: the page's
    # own links were cut before they were read)
    hidden = ("<!-- <a href='/c'> -->" + "<script>var t = '<a href=\"/s\">';</script>" * 3
              + "<STYLE>a::before { content: '<a>' }</STYLE>")
    assert links_cut(hidden + '<a href="/real">r</a>', 1) == (hidden + '<a href="/real">r</a>', 0)
    assert links_cut('<a href="/1">1</a><script>' + '<a href="/s">' * 5, 1) == (
        '<a href="/1">1</a><script>' + '<a href="/s">' * 5, 0)  # open to the end


def test_a_page_with_more_links_than_the_cap_has_only_its_first_ones_followed(caplog):
    """A page of 200,000 links held a crawl for 54 s, the reactor reading its links while
    no other response was handled (and put 200,000 URLs in the frontier); now its first
    NEWSCRAWL_MAX_PAGE_LINKS are followed, the rest counted and said, once per host."""
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_MAX_PAGE_LINKS": 3})
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    body = ('<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
            "</head><body>" + "".join(f'<a href="/s/{i}">story {i}</a>' for i in range(10))
            + "</body></html>").encode()
    for url in ("https://example.com/hub", "https://example.com/hub2"):
        out = parsed(spider, body, url, "link", cls=HtmlResponse)
        assert [r.url for r in out if isinstance(r, Request)] == [
            "https://example.com/s/0", "https://example.com/s/1", "https://example.com/s/2",
            "https://example.com/feed.xml"]
        assert [item["url"] for item in out if isinstance(item, dict)] == [url]
    assert crawler.stats.get_value("newscrawl/links_over_cap/pages") == 2
    assert crawler.stats.get_value("newscrawl/links_over_cap/links") == 14
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == ["https://example.com/hub: 7 links beyond the first 3 not followed "
                        "(NEWSCRAWL_MAX_PAGE_LINKS)"]


def test_a_tag_of_thousands_of_attributes_reaches_the_link_parser_cut(monkeypatch):
    """libxml2 compares each attribute of a tag with every one before it: a tag of 60,000
    distinct attributes (1 MB) held the crawl's reactor for 10 s as its links were read,
    one of 200,000 for minutes. The link parser now gets the tag with its first
    MAX_TAG_ATTRIBUTES; the links around it are followed, and the page is stored whole."""
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://example.com/")
    crawler.stats.open_spider()
    seen = []
    extract = spider.link_extractor.extract_links
    monkeypatch.setattr(spider.link_extractor, "extract_links",
                        lambda response: seen.append(response.text) or extract(response))
    attributes = " ".join(f'data-a{i}="x>y"' for i in range(5 * MAX_TAG_ATTRIBUTES))
    body = (f'<html><body><a href="/s/1">one</a><div {attributes}><a href="/s/2">two</a>'
            f"</div></body></html>").encode()
    out = parsed(spider, body, "https://example.com/hub", "link", cls=HtmlResponse)
    assert [r.url for r in out if isinstance(r, Request)] == [
        "https://example.com/s/1", "https://example.com/s/2"]
    assert [item["body"] for item in out if isinstance(item, dict)] == [body]
    tree = Selector(text=seen[0])
    assert len(tree.xpath("//div/@*")) == MAX_TAG_ATTRIBUTES
    assert crawler.stats.get_value("newscrawl/skipped/tag_attributes") == 1


def test_capped_attributes_leaves_tags_within_the_cap_alone():
    few = "<div " + " ".join(f"a{i}" for i in range(MAX_TAG_ATTRIBUTES - 1)) + "><p x=1>"
    assert capped_attributes(few) == (few, 0)
    page = "<p>x</p>" * 1000
    assert capped_attributes(page)[0] is page
    many = "<div " + " ".join(f"a{i}='>'" for i in range(MAX_TAG_ATTRIBUTES + 5)) + ">x"
    kept, cut = capped_attributes(many)
    assert cut == 1 and kept.endswith(f"a{MAX_TAG_ATTRIBUTES - 1}='>'>x")


def test_the_summary_says_how_many_links_the_cap_left_unfollowed():
    from crawler.runner import CrawlResult, summary
    stats = {"newscrawl/pages": 5, "newscrawl/links_over_cap/pages": 2,
             "newscrawl/links_over_cap/links": 14}
    assert ("  14 links not followed: 2 pages had more than NEWSCRAWL_MAX_PAGE_LINKS"
            in summary(CrawlResult(1, stats, 1.0, [], "ok")).splitlines())
    assert "NEWSCRAWL_MAX_PAGE_LINKS" not in summary(CrawlResult(1, {"newscrawl/pages": 5},
                                                               1.0, [], "ok"))
