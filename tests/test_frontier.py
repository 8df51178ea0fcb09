"""The frontier's parts in-process: listings, URL heuristics, the sites config, the frontier
SQL (the atomic flip, requeue on lastmod, retries), the middleware's admission, the lock and
site health. The crawls themselves are in test_scheduled.py."""

from __future__ import annotations

import asyncio
import io
import logging
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from crawler import scheduling, storage
from crawler.config import ConfigError, SiteIndex, load_config, merge_sites, parse_since
from crawler.discovery import with_path
from crawler.frontier import (
    MAX_ATTEMPTS,
    SPELLINGS_SQL,
    FrontierBatch,
    SQLiteFrontier,
    adopt,
    frontier_counts,
    is_retryable,
    merge_pathless,
)
from crawler.listings import (
    EPOCH_2000,
    LISTING_FLOOR,
    LISTING_PRIORITY,
    Entry,
    feed_entries,
    is_older,
    parse_date,
    priority_of,
    sitemap_entries,
)
from crawler.lock import LockedError, LockFileError, crawl_lock
from crawler.progress import progress_line
from crawler.scheduling import SPILL_WAITS, FrontierMiddleware, changed_since_fetch
from crawler.spiders.news import NewsSpider
from crawler.status import SiteHealth, health_table, run_status, site_health
from crawler.urlpolicy import link_rejection
from crawler.visits import SITE, SOURCE, failure_visit, response_visit

ROOT = Path(__file__).resolve().parent.parent
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://n.example/a</loc><lastmod>2025-03-05T08:02:00+02:00</lastmod>
  <news:news><news:publication><news:name>N</news:name><news:language>et</news:language>
  </news:publication><news:publication_date>2025-03-05</news:publication_date>
  <news:title>Ferry cut</news:title></news:news></url>
<url><loc>https://n.example/b</loc></url>
</urlset>"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><language>en</language>
<item><title>A</title><link>/a</link><pubDate>Tue, 04 Mar 2025 10:15:00 +0000</pubDate></item>
</channel></rss>"""


# -- listings -------------------------------------------------------------------------


def test_dates_are_normalised_to_utc():
    assert parse_date("2025-03-05T08:02:00+02:00") == "2025-03-05T06:02:00Z"
    assert parse_date("2025-03-05") == "2025-03-05T00:00:00Z"
    assert parse_date("Tue, 04 Mar 2025 10:15:00 +0000") == "2025-03-04T10:15:00Z"
    assert parse_date("yesterday") is None
    # the year 1 was written "1-01-01T00:00:00Z" (sorted after every real date), and a
    # date moved past the year 9999 raised OverflowError
    assert parse_date("0001-01-01") is None
    assert parse_date("9999-12-31T23:00:00-05:00") is None
    assert parse_since("2025-01-31") == "2025-01-31T00:00:00Z"
    with pytest.raises(ValueError, match="--since"):
        parse_since("soon")


@pytest.mark.parametrize("written", [
    "Mon, 01 Jan 0000 00:00:00 GMT", "Sat, 01 Jan 0024 10:00:00 +0000", "01-Jan-0000 00:00 GMT"])
def test_an_rfc822_year_written_with_leading_zeros_is_no_date(written):
    """Python's parsedate widens a two-digit year (00: 2000); "0000" was widened too, and
    `--since 2025-01-01` held the entry back as a story of 2000. Undated: fetched."""
    assert parse_date(written) is None
    feed = RSS.replace(b"Tue, 04 Mar 2025 10:15:00 +0000", written.encode("ascii"))
    [entry] = feed_entries(feed, "https://n.example/")
    assert entry.published is None and not is_older(entry, "2025-01-01T00:00:00Z")


def test_an_rfc822_two_digit_year_is_still_read():
    assert parse_date("Mon, 01 Jan 24 10:00:00 GMT") == "2024-01-01T10:00:00Z"
    assert parse_date("Monday, 01-Jan-24 10:00:00 GMT") == "2024-01-01T10:00:00Z"  # RFC 850


def test_a_lastmod_without_a_time_is_the_last_second_of_its_day():
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
               b"https://n.example/a</loc><lastmod>2026-11-28</lastmod></url><url><loc>"
               b"https://n.example/b</loc><lastmod>2026-11-28T00:00:00Z</lastmod></url></urlset>")
    first, second = sitemap_entries(sitemap)
    assert first.lastmod == "2026-11-28T23:59:59Z"  # an edit that day may follow our fetch
    assert second.lastmod == "2026-11-28T00:00:00Z"
    assert parse_date("2026-11-28", end_of_day=True) == "2026-11-28T23:59:59Z"


def test_an_entrys_priority_orders_stories_to_the_second_below_any_listing():
    minutes = [priority_of(f"2026-11-28T10:{m:02d}:00Z") for m in (0, 1, 59)]
    assert minutes == sorted(set(minutes)) and minutes[1] - minutes[0] == 60
    assert priority_of(None) == 0
    ahead = priority_of("2999-12-31T23:59:59Z")  # a date ahead of our clock counts as now
    assert abs(ahead - (datetime.now(UTC) - EPOCH_2000).total_seconds()) < 5
    assert (datetime(3000, 1, 1, tzinfo=UTC) - EPOCH_2000).total_seconds() < LISTING_FLOOR
    assert LISTING_FLOOR < LISTING_PRIORITY


def test_google_news_sitemap_fields():
    first, second = sitemap_entries(NEWS_SITEMAP)
    assert first == Entry("https://n.example/a", "2025-03-05T06:02:00Z",
                          "2025-03-05T00:00:00Z", "Ferry cut", "et")
    assert second == Entry("https://n.example/b")


def test_feed_entries_carry_dates_and_language():
    (entry,) = feed_entries(RSS, "https://n.example/feed")
    assert entry == Entry("https://n.example/a", None, "2025-03-04T10:15:00Z", "A", "en")
    assert is_older(entry, "2025-03-05T00:00:00Z")
    assert not is_older(entry, "2025-03-01T00:00:00Z")
    assert not is_older(Entry("https://n.example/undated"), "2025-03-05T00:00:00Z")


def test_feed_fields_are_read_by_name_whatever_their_namespace():
    """The fields the parsel reading found (namespaces removed), as plain lxml reads them."""
    rss1 = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://'
            b'purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><language>'
            b"et</language></channel><item><title>A <b>bold</b> title</title><link> /a </link>"
            b"<dc:date>2025-02-02T01:02:03Z</dc:date></item></rdf:RDF>")
    assert feed_entries(rss1, "https://n.example/feed") == [Entry(
        "https://n.example/a", None, "2025-02-02T01:02:03Z", "A bold title", "et")]
    # an item's atom:link (rel="self") is its first <link>: its guid is the link then
    rss2 = (b'<rss xml:lang="de" xmlns:atom="http://www.w3.org/2005/Atom"><channel><language>'
            b'en</language><item><atom:link href="/self" rel="self"/><link/><guid>https://'
            b"n.example/b</guid></item></channel></rss>")
    assert feed_entries(rss2, "https://n.example/feed") == [Entry("https://n.example/b",
                                                                  language="de")]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><entry xml:lang="fr">'
            b'<link rel="self" href="/self"/><link rel="alternate"/><link href="/c"/>'
            b"<updated>2025-01-01</updated></entry><entry><link href=''/><link href='/d'/>"
            b"</entry></feed>")
    assert feed_entries(atom, "https://n.example/feed") == [Entry(
        "https://n.example/c", "2025-01-01T23:59:59Z", None, None, "fr")]


def test_an_rss_item_without_a_link_is_read_by_its_permalink_guid():
    items = [
        "<guid isPermaLink='true'>https://n.example/a</guid>",
        "<guid>https://n.example/b</guid>",  # isPermaLink is true unless it says otherwise
        "<guid isPermaLink='false'>https://n.example/c</guid>",
        "<guid>n.example-4711</guid>",  # an id that is no URL, without saying so
        "<link>https://n.example/e</link><guid>https://n.example/?p=5</guid>",
    ]
    feed = ("<rss version='2.0'><channel>" + "".join(f"<item>{item}</item>" for item in items)
            + "</channel></rss>").encode()
    assert [entry.url for entry in feed_entries(feed, "https://n.example/feed")] == [
        "https://n.example/a", "https://n.example/b", "https://n.example/e"]


@pytest.mark.parametrize(("url", "reason"), [
    ("https://n.example/tag/energy/", "tag"),
    ("https://n.example/author/jane-doe/", "author"),
    ("https://n.example/search?q=ferry", "search"),
    ("https://n.example/login", "login"),
    ("https://n.example/share?url=https%3A%2F%2Fn.example%2Fa", "share"),
    ("https://n.example/print?id=5", "share"),
    ("https://n.example/email?story=5", "share"),
    ("https://n.example/printing-press-closes", None),
    ("https://n.example/world/page/4/", "pagination"),
    ("https://n.example/world/?page=12", "pagination"),
    ("https://n.example/world/page/2/", None),
    ("https://n.example/2025/03/05/ferry-timetable-cut", None),
    ("https://n.example/world/", None),
])
def test_article_url_heuristics(url, reason):
    assert link_rejection(url) == reason


# -- the sites config -----------------------------------------------------------------

GOOD = """
[defaults]
max_pages = 50

[sites."news.example.com"]
start_urls = ["https://news.example.com/"]
feeds = "https://news.example.com/feed.xml"
deny = ['/live/']
max_depth = 2

[sites.other]
sitemaps = ["https://www.other.example.org/sitemap.xml"]
max_pages = 0
link_heuristics = false
"""


def write(tmp_path, text, name="sites.toml"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_zero_limits_mean_what_they_mean_on_the_command_line(tmp_path):
    [site] = load_config(write(tmp_path, """
[sites.n]
start_urls = ["https://n.example/"]
max_pages = 0
max_depth = 0
"""))
    assert (site.max_pages, site.max_depth) == (None, 0)  # no budget; the start pages only


def test_a_good_config(tmp_path):
    news, other = load_config(write(tmp_path, GOOD))
    assert news.seeds == ("https://news.example.com/", "https://news.example.com/feed.xml")
    assert (news.max_pages, news.max_depth, news.link_heuristics) == (50, 2, True)
    assert not news.allows("https://news.example.com/live/123")
    assert (other.max_pages, other.hosts, other.link_heuristics) == (None, ("other.example.org",),
                                                                     False)
    index = SiteIndex([news, other])
    assert index.site_of("https://m.other.example.org/x").name == "other"
    assert index.site_of("https://elsewhere.example/") is None


@pytest.mark.parametrize(("text", "message"), [
    ("[sites.a]\nstart_urls = ['ftp://x']", "sites.a.start_urls[0]: invalid URL"),
    ("[sites]\na = 'https://a.example/'", "sites.a: expected a table"),
    ("[sites.\"\"]\nstart_urls = ['https://a.example/']", "sites: a site's name is empty"),
    ("[sites.a]\nstart_urls = ['https://a.example/']\ndeny = ['(']",
     "sites.a.deny[0]: invalid regex"),
    # re.compile raises OverflowError / RecursionError, not re.error, for these: a traceback
    ("[sites.a]\nstart_urls = ['https://a.example/']\ndeny = ['a{1,99999999999}']",
     "sites.a.deny[0]: invalid regex 'a{{1,99999999999}}': the repetition number is too large"),
    ("[sites.a]\nstart_urls = ['https://a.example/']\nallow = ['" + "(" * 2000 + ")" * 2000
     + "']", "sites.a.allow[0]: invalid regex"),
    ("[sites.a]\nstart_urls = ['https://a.example/']\nmax_pages = -1", "sites.a.max_pages"),
    ("[sites.a]\nstart_urls = ['https://a.example/']\nmaxpages = 1",
     "sites.a.maxpages: unknown key"),
    ("[sites.a]\nstart_urls = ['https://a.example/']\nrules = 'nope'",
     "sites.a.rules: no such folder"),
    ("[sites.a]\nfeeds = []", "sites.a: no start_urls, feeds or sitemaps"),
    ("[sites.a]\nstart_urls = ['https://a.example/']\n[sites.b]\nfeeds = ['https://a.example/f']",
     "sites.b: host a.example also belongs to site a"),
    ("[defaults]\nmax_pages = 1", "sites: no sites defined"),
    ("[defaults]\nmax_pages = 'ten'\n[sites.a]\nstart_urls = ['https://a.example/']",
     "defaults.max_pages: expected a whole number"),
    ("[sites.a\n", "not valid TOML"),
    # tomllib reads nesting by recursion: a RecursionError's 3,000-line traceback, exit 1
    ("[sites.a]\nstart_urls = ['https://a.example/']\nx = " + "[" * 5000 + "]" * 5000,
     "not valid TOML: nested too deeply"),
    ("[sites.a]\nstart_urls = ['https://me:secret@a.example/']",
     "sites.a.start_urls[0]: invalid URL 'https://***@a.example/': a user name or password"),
    ("[sites.a]\nstart_urls = ['https://a.example:99999/']",
     "sites.a.start_urls[0]: invalid URL 'https://a.example:99999/': Port out of range"),
    ("[sites.\"a\\nb\"]\nstart_urls = ['https://a.example/']",
     "sites: the site name 'a\\nb' holds a control character"),
    ("[sites.a]\nstart_urls = ['https://a.example/']\nrules = '.'",
     "sites.a.rules: {folder} holds this config too"),
    ("[defaults]\nrules = ''\n[sites.a]\nstart_urls = ['https://a.example/']",
     "defaults.rules: {folder} holds this config too"),
])
def test_config_errors_name_file_site_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message.format(folder=tmp_path.resolve()) in str(error.value)
    assert "\n" not in str(error.value)
    assert "secret" not in str(error.value)


def test_a_site_name_may_hold_any_printable_script(tmp_path):
    """A zero-width non-joiner (Persian, Indic scripts) or a no-break space is no control
    character: `str.isprintable` refused them."""
    for name in ("خبرگزاری\u200cها", "Le\u00a0Monde"):
        path = write(tmp_path, f'[sites."{name}"]\nstart_urls = ["https://a.example/"]')
        assert [site.name for site in load_config(path)] == [name]


def test_a_config_saved_with_a_byte_order_mark_is_read():
    """Windows editors write one; tomllib read it as 'Invalid statement (at line 1)'."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.toml"
        path.write_bytes(b"\xef\xbb\xbf[sites.a]\nstart_urls = ['https://a.example/']\n")
        [site] = load_config(path)
    assert site.name == "a" and site.start_urls == ("https://a.example/",)


def test_a_command_line_url_may_not_take_a_configured_sites_name(tmp_path):
    """Its site is named for its host; a configured site of that name (on other hosts) was
    replaced by it, silently, and its own start URLs never fetched."""
    config = write(tmp_path, "[sites.\"127.0.0.1\"]\nstart_urls = ['http://localhost:8790/a/']")
    with pytest.raises(ValueError, match=r"^http://127.0.0.1:8790/: its site would be named "
                                         r"'127.0.0.1', as a configured site on localhost is"):
        merge_sites(load_config(config), ["http://127.0.0.1:8790/"])
    [site] = merge_sites(load_config(config), ["http://localhost:8790/b/"])  # joins it
    assert site.start_urls == ("http://localhost:8790/a/", "http://localhost:8790/b/")


def test_command_line_urls_join_a_configured_site(tmp_path):
    sites = merge_sites(load_config(write(tmp_path, GOOD)),
                        ["https://news.example.com/world/", "https://third.example/"])
    assert [s.name for s in sites] == ["news.example.com", "other", "third.example"]
    assert sites[0].start_urls[-1] == "https://news.example.com/world/"
    # a path-less URL is the site's root, here as in the config: one start URL, not two
    # (the second was queued every run and dropped by the duplicate filter)
    sites = merge_sites(load_config(write(tmp_path, GOOD)),
                        ["https://news.example.com", "https://www.other.example.org"])
    assert sites[0].start_urls == ("https://news.example.com/",)
    assert sites[1].start_urls == ("https://www.other.example.org/",)


# -- the frontier SQL -----------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    database = storage.open_db(tmp_path / "news.db")
    yield database
    database.close()


def visit(url, state="fetched", **extra):
    return {"url": url, "site": "n.example", "source": "link", "depth": 1, "state": state,
            "kind": "html", "discovered_at": "2025-03-06T00:00:00Z",
            "fetched_at": "2025-03-06T00:00:00Z" if state == "fetched" else None,
            "http_status": 200, "etag": '"e1"', "last_modified": None, "reason": None} | extra


def outlink(url, **extra):
    return {"url": url, "site": "n.example", "source": "sitemap", "depth": 1, "priority": 5,
            "discovered_at": "2025-03-06T00:00:00Z", "new": True} | extra


def page(url, is_article=True, **visit_extra):
    return {"url": url, "site": "n.example", "status": 200, "body": b"<html></html>",
            "fetched_at": "2025-03-06T00:00:00Z", "visit": visit(url, **visit_extra),
            "article": {"is_article": is_article, "paywall": "metered" if is_article else None,
                        "text": "t", "canonical_url": url}}  # fmt: skip


def commit(db, items, run_id):
    batch = FrontierBatch(run_id)
    pages, articles = [], []
    for item in items:
        batch.add(item)
        if "body" in item:
            pages.append(storage.page_row(item, run_id))
            if item["article"]["is_article"]:
                articles.append(storage.article_row(item["article"], item, run_id))
    storage.write_batch(db, pages, articles, also=[batch.write], keyed=batch.rekey)


def state(db, url):
    return db.execute("SELECT state FROM frontier WHERE url = ?", [url]).fetchone()[0]


def test_the_flip_commits_with_the_page_and_its_outlinks(db):
    run = storage.start_run(db, {})
    commit(db, [{"visit": visit("https://n.example/sitemap.xml", kind="sitemap"),
                 "outlinks": [outlink("https://n.example/a"), outlink("https://n.example/b")]}],
           run)  # fmt: skip
    assert state(db, "https://n.example/a") == "queued"
    commit(db, [page("https://n.example/a")], run)
    assert state(db, "https://n.example/a") == "fetched"
    assert frontier_counts(db) == {"fetched": 2, "queued": 1}
    (row,) = db.query("SELECT * FROM run_sites")
    assert (row["discovered"], row["fetched"], row["articles"], row["paywalled"]) == (2, 2, 1, 1)


def test_a_failed_batch_leaves_the_url_queued(db):
    run = storage.start_run(db, {})
    commit(db, [{"visit": None, "outlinks": [outlink("https://n.example/a")]}], run)
    item = page("https://n.example/a")
    batch = FrontierBatch(run)
    batch.add(item)
    bad = storage.page_row(item, run) | {"body": None}  # NOT NULL: the batch rolls back
    with pytest.raises(storage.StorageError):
        storage.write_batch(db, [bad], [], also=[batch.write])
    assert state(db, "https://n.example/a") == "queued"
    assert db["pages"].count == 0


def test_a_newer_lastmod_requeues_and_validators_are_kept(db, tmp_path):
    run = storage.start_run(db, {})
    commit(db, [page("https://n.example/a")], run)
    commit(db, [{"visit": None, "outlinks": [outlink("https://n.example/a",
                                                     lastmod="2025-03-01T00:00:00Z")]}], run)
    assert state(db, "https://n.example/a") == "fetched"  # older than our fetch
    commit(db, [{"visit": None, "outlinks": [outlink("https://n.example/a",
                                                     lastmod="2025-03-07T00:00:00Z")]}], run)
    frontier = SQLiteFrontier(tmp_path / "news.db")
    row = frontier.get("https://n.example/a")
    assert (row["state"], row["etag"], row["lastmod"]) == ("queued", '"e1"', "2025-03-07T00:00:00Z")
    assert [r["url"] for r in frontier.pending(["n.example"])] == ["https://n.example/a"]
    frontier.close()


def test_pending_has_listings_and_retryable_failures_newest_first(db, tmp_path):
    run = storage.start_run(db, {})
    commit(db, [
        page("https://n.example/", is_article=False),  # a hub: re-visited every run
        page("https://n.example/old"),  # an article: not again
        {"visit": visit("https://n.example/slow", "failed", reason="timeout", http_status=None)},
        {"visit": visit("https://n.example/gone", "failed", reason="http_404", http_status=404)},
        {"visit": None, "outlinks": [outlink("https://n.example/new1", priority=1),
                                     outlink("https://n.example/new2", priority=9)]},
    ], run)  # fmt: skip
    frontier = SQLiteFrontier(tmp_path / "news.db")
    pending = [row["url"].rsplit("/", 1)[1] for row in frontier.pending(["n.example"])]
    assert pending[:2] == ["new2", "new1"]
    assert sorted(pending[2:]) == ["", "slow"]
    frontier.close()
    failures = dict(db.execute("SELECT reason, count FROM run_site_failures").fetchall())
    assert failures == {"timeout": 1, "http_404": 1}


# -- the middleware's admission -------------------------------------------------------


@pytest.fixture
def middleware(tmp_path, db):
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_DB": str(tmp_path / "news.db"),
                                       "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 1}})
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls="https://n.example/")
    run = storage.start_run(db, {})
    commit(db, [page("https://n.example/known"), page("https://n.example/", is_article=False)],
           run)
    middleware = FrontierMiddleware.from_crawler(crawler)
    yield middleware
    middleware.spider_closed()


def request(url, **entry):
    return Request(url, meta={SOURCE: "sitemap", SITE: "n.example", "newscrawl_entry": entry})


def test_admission(middleware):
    admitted, entry = middleware.admit(request("https://n.example/new"))
    assert admitted and entry["new"]
    assert middleware.admit(request("https://n.example/known")) == (False, None)
    hub = request("https://n.example/")
    assert middleware.admit(hub) == (True, None)
    assert hub.headers["If-None-Match"] == b'"e1"'
    changed = request("https://n.example/known", lastmod="2025-03-08T00:00:00Z")
    admitted, entry = middleware.admit(changed)
    assert admitted and entry["lastmod"] == "2025-03-08T00:00:00Z"


def test_a_sitemap_listing_a_url_a_page_linked_first_still_dates_its_row(middleware):
    linked = Request("https://n.example/2026/story", meta={SOURCE: "link", SITE: "n.example"})
    assert middleware.admit(linked)[1]["new"]
    listed = request("https://n.example/2026/story", lastmod="2026-11-28T10:00:00Z")
    listed.priority = 849_175_200
    admitted, entry = middleware.admit(listed)
    assert admitted and entry["lastmod"] == "2026-11-28T10:00:00Z"
    assert entry["priority"] == 849_175_200 and "new" not in entry
    assert middleware.admit(Request(linked.url, meta=linked.meta)) == (True, None)


def test_a_date_only_lastmod_brings_a_page_back_once_its_day_is_over(middleware):
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    row = {"fetched_at": f"{today}T00:00:01Z"}
    assert not changed_since_fetch({"lastmod": f"{today}T23:59:59Z"}, row)  # not yet
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    assert changed_since_fetch({"lastmod": f"{yesterday}T23:59:59Z"},
                               {"fetched_at": f"{yesterday}T10:00:00Z"})


@pytest.mark.parametrize(("state", "reason", "status"), [
    ("failed", "http_404", 404),
    ("skipped", "redirect_duplicate", 301),  # it redirected to a page requested already
    ("skipped", "offsite", 302),
])
def test_a_page_gone_or_redirected_comes_back_when_a_listing_says_it_changed(
        middleware, db, state, reason, status):
    url = "https://n.example/2026/story"
    run = storage.start_run(db, {})
    day = timedelta(days=1)
    visited, edited = ((datetime.now(UTC) - n * day).strftime("%Y-%m-%dT%H:%M:%SZ")
                       for n in (2, 1))
    commit(db, [{"visit": visit(url, state, kind=None, reason=reason, http_status=status,
                                visited_at=visited)}], run)
    assert middleware.admit(request(url)) == (False, None)
    admitted, entry = middleware.admit(request(url, lastmod=edited))
    assert admitted and entry["lastmod"] == edited
    commit(db, [{"visit": None, "outlinks": [entry]}], run)
    assert frontier_row(db, url)["state"] == "queued"  # for a run killed before it is fetched


def test_a_redirects_new_target_is_a_new_url_of_the_run(middleware, db):
    """A page that answered 301 to a new slug adds the target's row to the frontier, which
    run_sites.discovered and the summary's "new URLs" did not count (a data team's
    walkthrough: 234 rows became 235, "0 new URLs"). A target known already is none."""
    run = storage.start_run(db, {})
    old, new, known = ("https://n.example/2026/old-slug", "https://n.example/2026/new-slug",
                       "https://n.example/known")
    response = Response(new, request=Request(new, meta={SITE: "n.example",
                                                          "redirect_urls": [old]}))
    for target in (new, known, new):  # the second time, recorded in this run already
        record = {"visit": visit(old, final_url=target)}
        [item] = middleware.process_spider_output(response, [record])
        commit(db, [item], run)
    assert middleware.stats.get_value("newscrawl/frontier/discovered") == 1
    assert db.execute("SELECT discovered FROM run_sites WHERE run_id = ?",
                      [run]).fetchone() == (1,)
    assert frontier_row(db, new)["state"] == "fetched"


def test_a_listing_that_never_answered_is_tried_every_run():
    row = {"reason": "http_503", "attempts": 9, "kind": None, "priority": LISTING_PRIORITY,
           "visited_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert is_retryable(row)
    assert not is_retryable(row | {"priority": 0})


@pytest.mark.parametrize(("state", "reason", "status"), [
    ("failed", "http_404", 404), ("failed", "http_410", 410), ("skipped", "robots", None)])
def test_a_listing_that_answered_404_or_was_refused_once_is_read_again_next_run(
        middleware, db, tmp_path, state, reason, status):
    """A section page, feed or sitemap that answered 404 once (a deploy, a moved section)
    or that robots.txt refused for one run was never requested again (or not for a week):
    the stories listed only there were never found. A listing is read every run."""
    run = storage.start_run(db, {})
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    urls = {"hub": "https://n.example/section/", "feed": "https://n.example/feed.xml",
            "sitemap": "https://n.example/sitemap.xml"}
    for kind, url in urls.items():
        commit(db, [{"visit": visit(url, kind=kind)}], run)  # read fine, then once not
        commit(db, [{"visit": visit(url, state, kind=None, reason=reason, http_status=status,
                                    visited_at=now)}], run)
    commit(db, [{"visit": visit("https://n.example/story", state, reason=reason,
                                http_status=status, visited_at=now)}], run)
    for url in urls.values():
        assert middleware.admit(request(url)) == (True, None), url
    assert middleware.admit(request("https://n.example/story")) == (False, None)  # a page
    frontier = SQLiteFrontier(tmp_path / "news.db")
    pending = {r["url"] for r in frontier.pending(["n.example"])}
    assert set(urls.values()) <= pending and "https://n.example/story" not in pending
    frontier.close()
    # refused once before it was ever fetched (a sitemap robots.txt names): no kind yet
    sitemap = "https://n.example/news-sitemap.xml"
    commit(db, [{"visit": None, "outlinks": [outlink(sitemap, priority=LISTING_PRIORITY)]}],
           run)
    commit(db, [{"visit": visit(sitemap, "skipped", kind=None, reason="robots",
                                visited_at=now)}], run)
    assert frontier_row(db, sitemap)["priority"] == LISTING_PRIORITY
    assert_listing_readmitted(middleware, tmp_path, sitemap, "robots")
    # a listing gone for good backs off after three failures in a row, as a page down does
    row = frontier_row(db, urls["hub"]) | {"attempts": MAX_ATTEMPTS}
    if state == "failed":
        assert not is_retryable(row)
        assert is_retryable(row, datetime.now(UTC) + timedelta(hours=6, seconds=1))
    # over the size limit, a listing waits as a page does (not downloaded every run)
    commit(db, [{"visit": visit(urls["feed"], "skipped", kind=None, reason="too_large",
                                visited_at=now)}], run)
    assert middleware.admit(request(urls["feed"])) == (False, None)


def assert_listing_readmitted(middleware, tmp_path: Path, url: str, source: str) -> None:
    """The listing `url` is sent again this run and is pending for the next one."""
    assert middleware.admit(Request(url, priority=LISTING_PRIORITY, meta={
        SOURCE: source, SITE: "n.example"})) == (True, None)
    frontier = SQLiteFrontier(tmp_path / "news.db")
    assert url in {r["url"] for r in frontier.pending(["n.example"])}
    frontier.close()


def test_a_sitemap_that_answered_an_unreadable_body_once_is_read_again_next_run(
        middleware, db, tmp_path):
    """A sitemap robots.txt names (or an index lists) that answered once with a body that
    is no sitemap (an empty 200 in a deploy, an error document) was skipped as `not_html`
    for good: never requested again, and the stories listed only there never found. A
    listing is tried every run whatever it answered last (README), but over the size limit."""
    run = storage.start_run(db, {})
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sitemap = "https://n.example/news-sitemap.xml"
    commit(db, [{"visit": None, "outlinks": [outlink(sitemap, source="sitemap",
                                                     priority=LISTING_PRIORITY)]}], run)
    commit(db, [{"visit": visit(sitemap, kind="sitemap", source="sitemap")}], run)
    commit(db, [{"visit": visit(sitemap, "skipped", kind="other", source="sitemap",
                                reason="not_html", visited_at=now)}], run)
    assert frontier_row(db, sitemap)["priority"] == LISTING_PRIORITY
    assert_listing_readmitted(middleware, tmp_path, sitemap, "sitemap")
    # a page (no listing) that answered a PDF stays skipped
    commit(db, [{"visit": visit("https://n.example/report", "skipped", kind="other",
                                reason="not_html", visited_at=now)}], run)
    assert middleware.admit(request("https://n.example/report")) == (False, None)


def test_a_redirected_page_that_is_gone_marks_its_article(db):
    run = storage.start_run(db, {})
    final = "https://n.example/news/a1"
    commit(db, [page(final)], run)
    gone = Request(final, meta={SITE: "n.example", "redirect_urls": ["https://n.example/old/a1"]})
    failed = failure_visit(gone, "n.example", "failed", "http_404", 404)
    assert failed["url"] == "https://n.example/old/a1" and failed["final_url"] == final
    commit(db, [{"visit": failed}], run)
    assert db.execute("SELECT gone_at IS NOT NULL FROM articles").fetchone() == (1,)
    assert frontier_row(db, final)["reason"] == "http_404"


@pytest.mark.parametrize(("moved", "live"), [(True, ["new"]), (False, ["old", "new"])])
def test_a_story_moved_for_good_to_a_new_slug_leaves_one_live_article(db, moved, live):
    """Its old URL answers 301 (or 308): the old article is gone, the new page's is the
    live one (the `stories` view still groups them); a 302 says nothing of the old page."""
    run = storage.start_run(db, {})
    old, new = "https://n.example/2025/talks-collapse", "https://n.example/2025/walkout-set"
    commit(db, [page(old, visited_at="2025-03-06T00:00:00Z")], run)
    answer = page(new, final_url=new, moved=moved, visited_at="2025-03-08T00:00:00Z")
    answer["visit"]["url"], answer["fetched_at"] = old, "2025-03-08T00:00:00Z"
    commit(db, [answer], run)
    rows = db.execute("SELECT url FROM articles WHERE gone_at IS NULL ORDER BY url")
    assert [url.rsplit("/", 1)[1] for (url,) in rows] == [
        {"new": "walkout-set", "old": "talks-collapse"}[name] for name in live]


@pytest.mark.parametrize(("reasons", "reason", "live"), [
    ([301], "redirect_duplicate", ["new"]), ([308], "offsite", ["new"]),
    ([302], "redirect_duplicate", ["old", "new"]), ([301, 302], "offsite", ["new"])])
def test_a_story_moved_for_good_to_a_page_not_fetched_again_is_gone(db, reasons, reason, live):
    """Its old URL redirects for good to a page this run fetched already (the scheduler's
    duplicate filter drops the hop) or to one off the site: the old article is gone all the
    same, not live until the skip is retried a week later."""
    run = storage.start_run(db, {})
    old, new = "https://n.example/2025/talks-collapse", "https://n.example/2025/walkout-set"
    commit(db, [page(old, visited_at="2025-03-06T00:00:00Z"), page(new)], run)
    hop = Request(new, meta={SITE: "n.example", "redirect_urls": [old],
                             "redirect_reasons": reasons})
    commit(db, [{"visit": failure_visit(hop, "n.example", "skipped", reason)}], run)
    rows = db.execute("SELECT url FROM articles WHERE gone_at IS NULL ORDER BY url")
    assert [url.rsplit("/", 1)[1] for (url,) in rows] == [
        {"new": "walkout-set", "old": "talks-collapse"}[name] for name in live]
    assert state(db, new) == "fetched"  # the page it moved to keeps its own row


@pytest.mark.parametrize(("answer", "queued"), [
    ({"state": "failed", "reason": "http_404", "http_status": 404}, True),
    ({"state": "fetched", "moved": True, "final_url": "https://n.example/2025/other"}, True),
    ({"state": "fetched"}, False)])
def test_a_story_reached_through_a_link_now_gone_is_looked_at_again(db, answer, queued):
    """The sitemap lists a link that redirected to the story; it answers 404 now (or moves
    elsewhere): the story's own URL, which nothing lists, is queued for the next run to see
    whether it is gone too (its article was live for ever)."""
    run = storage.start_run(db, {})
    link, story = "https://n.example/r/123", "https://n.example/2025/talks-collapse"
    reached = page(story, final_url=story, visited_at="2025-03-06T00:00:00Z")
    reached["requested_url"], reached["visit"]["url"] = link, link
    commit(db, [reached], run)
    assert state(db, story) == "fetched"
    commit(db, [{"visit": visit(link, **answer) | {"visited_at": "2025-03-09T00:00:00Z"}}],
           run)
    assert state(db, story) == ("queued" if queued else "fetched")
    assert db.execute("SELECT gone_at FROM articles").fetchone()[0] is None  # not yet


def story(words: int, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(["harbour", "council", "ferry", "budget", "tram", "strike",
                                "wind", "farm", "quota", "mackerel", "rail", "union"])
                    + str(rng.randrange(50)) for _ in range(words))


@pytest.mark.parametrize(("own_text", "copy_text"), [
    (story(300, 1), story(300, 2)),  # another story
    (story(300, 1), story(300, 1) + " copy"),  # an AMP or print copy
    (story(60, 1), story(300, 1)),  # the story's page shows a teaser, its AMP copy all of it
    (story(300, 1), story(60, 1)),  # ... or the other way round
    (story(300, 1), story(300, 1) + " " + story(400, 3))])  # the story has grown since
def test_a_canonical_naming_another_story_does_not_take_its_article(db, own_text, copy_text):
    """Page p names page q canonical for one run (a template's mistake): q's article, read
    from q, kept p's text for ever. Where p's text shares q's (an AMP, print or paywalled
    copy, a live story read again), the two are one article, p's the last read."""
    run = storage.start_run(db, {})
    p, q = "https://n.example/p", "https://n.example/q"
    own = page(q)
    own["article"] |= {"text": own_text}
    commit(db, [own], run)
    named = page(p)
    named["article"] |= {"canonical_url": q, "text": copy_text}
    commit(db, [named], run)
    same = story(300, 2) != copy_text
    assert dict(db.execute("SELECT url, page_url FROM articles")) == (
        {q: p} if same else {p: p, q: q})
    assert db.execute("SELECT text FROM articles WHERE url = ?", [q]).fetchone()[0] == (
        copy_text if same else own_text)


@pytest.mark.parametrize("template_first", [False, True])
def test_a_canonical_naming_another_story_in_the_same_batch_does_not_take_its_article(
        db, template_first):
    """As above, the two pages written in one batch (a first crawl of a site: a batch holds
    many pages). Only the articles stored before the batch were looked at, so the template
    took q's key: q's article held p's text, or p's article was lost."""
    run = storage.start_run(db, {})
    p, q = "https://n.example/p", "https://n.example/q"
    own, named = page(q), page(p)
    own["article"] |= {"text": story(300, 1)}
    named["article"] |= {"canonical_url": q, "text": story(300, 2)}
    commit(db, [named, own] if template_first else [own, named], run)
    assert dict(db.execute("SELECT url, page_url FROM articles")) == {p: p, q: q}
    assert db.execute("SELECT text FROM articles WHERE url = ?", [q]).fetchone()[0] == (
        story(300, 1))


@pytest.mark.parametrize("template_first", [False, True])
@pytest.mark.parametrize("canonical", ["https://n.example/q/", "https://www.n.example/q"])
def test_a_canonical_naming_another_story_spelled_otherwise_in_one_batch(
        db, template_first, canonical):
    """As above, where the story's own canonical is not the URL it was fetched at (a final
    slash, www.): one of the two articles was lost, the other written over it, in one batch
    (in two, both were kept)."""
    run = storage.start_run(db, {})
    p, q = "https://n.example/p", "https://n.example/q"
    own, named = page(q), page(p)
    own["article"] |= {"canonical_url": canonical, "text": story(300, 1)}
    named["article"] |= {"canonical_url": canonical, "text": story(300, 2)}
    commit(db, [named, own] if template_first else [own, named], run)
    texts = dict(db.execute("SELECT page_url, text FROM articles"))
    assert texts == {p: story(300, 2), q: story(300, 1)}
    assert db.execute("SELECT sum(articles) FROM run_sites").fetchone()[0] == 2


def test_a_permanent_redirect_marks_the_visit_moved():
    request = Request("https://n.example/b", meta={
        SITE: "n.example", "redirect_urls": ["https://n.example/a"], "redirect_reasons": [301]})
    response = HtmlResponse("https://n.example/b", body=b"<html></html>", request=request)
    assert response_visit(response, "n.example", "html")["moved"]
    request.meta["redirect_reasons"] = [302]
    assert "moved" not in response_visit(response, "n.example", "html")


def test_a_known_url_linked_from_many_pages_is_counted_once(middleware):
    for _ in range(3):
        list(middleware.process_spider_output(None, [request("https://n.example/known")]))
    assert middleware.stats.get_value("newscrawl/frontier/known") == 1


def test_a_known_url_a_later_listing_says_changed_is_counted_changed_only(middleware):
    """The feed (read first) lists a known URL without a newer date: known, not fetched.
    The sitemap then lists it with a lastmod after its fetch: fetched again, so changed,
    and no longer known skipped (it was both, the summary's known skipped one too many)."""
    stats = middleware.stats
    list(middleware.process_spider_output(None, [request("https://n.example/known")]))
    assert stats.get_value("newscrawl/frontier/known") == 1
    edited = request("https://n.example/known", lastmod="2025-03-08T00:00:00Z")
    out = middleware.process_spider_output(None, [edited])
    assert [r.url for r in out if isinstance(r, Request)] == [edited.url]
    list(middleware.process_spider_output(None, [request("https://n.example/known")]))
    assert stats.get_value("newscrawl/frontier/changed") == 1
    assert stats.get_value("newscrawl/frontier/known", 0) == 0


def test_outlinks_ride_on_the_visit_record(middleware):
    record = {"visit": visit("https://n.example/feed.xml", kind="feed")}
    out = list(middleware.process_spider_output(
        None, [request("https://n.example/new"), request("https://n.example/known"), record]))
    assert out[0] is record
    assert [e["url"] for e in record["outlinks"]] == ["https://n.example/new"]
    assert [r.url for r in out[1:]] == ["https://n.example/new"]


def test_a_url_already_requested_in_this_run_spends_no_budget(tmp_path, db):
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_DB": str(tmp_path / "news.db"),
                                       "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 1}})
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls="https://n.example/",
                                             max_pages=2)
    middleware = FrontierMiddleware.from_crawler(crawler)

    async def seeds():
        return [r async for r in middleware.process_start(crawler.spider.start())]
    try:
        started = asyncio.run(seeds())
        assert [r.url for r in started if isinstance(r, Request)] == ["https://n.example/"]
        [record] = [r for r in started if not isinstance(r, Request)]  # the seed, as a seed
        assert [(e["url"], e["source"], e["depth"]) for e in record["outlinks"]] == [
            ("https://n.example/", "start", 0)]
        links = [request(f"https://n.example/{path}") for path in ("", "a", "a", "b", "c")]
        seed = next(r for r in started if isinstance(r, Request))
        home = HtmlResponse(seed.url, body=b"<html></html>", request=seed)  # a hub, no page
        out = list(middleware.process_spider_output(home, links))
        again = list(middleware.process_spider_output(None, [request("https://n.example/c")]))
    finally:
        middleware.spider_closed()
    # the homepage is a duplicate (dropped by Scrapy's filter, free); the links wait for
    # the homepage's answer (its listings), and the second "a" waits as the first does;
    # "a" and "b" spend the budget of 2; "c" waits in the frontier for the next run, also
    # when another page links it again
    assert [r.url for r in out if isinstance(r, Request)] == [
        "https://n.example/", "https://n.example/a", "https://n.example/b"]
    assert not [r for r in again if isinstance(r, Request)]


def started_requests(tmp_path, start_urls: str) -> list:
    """What the frontier middleware makes of a run's start (requests and records), with the
    database in `tmp_path`."""
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_DB": str(tmp_path / "news.db"),
                                       "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 1}})
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls=start_urls)
    middleware = FrontierMiddleware.from_crawler(crawler)

    async def start():
        return [r async for r in middleware.process_start(crawler.spider.start())]
    try:
        return asyncio.run(start())
    finally:
        middleware.spider_closed()


def test_a_start_url_the_frontier_has_spelled_otherwise_is_requested_as_it_has_it(tmp_path,
                                                                                   db):
    """The config's feed is `?a=1&b=2`; an earlier run recorded it as a page linked it,
    `?b=2&a=1`: one row, one request (the second would stay queued, the duplicate filter
    dropping it every run)."""
    run = storage.start_run(db, {})
    commit(db, [{"visit": None, "outlinks": [outlink("https://n.example/feed?b=2&a=1")]}], run)
    started = started_requests(tmp_path, "https://n.example/feed?a=1&b=2")
    assert [r.url for r in started if isinstance(r, Request)] == ["https://n.example/feed?b=2&a=1"]
    assert not [r for r in started if not isinstance(r, Request)]  # no second row


def test_a_start_page_fetched_before_is_requested_as_a_revisit(tmp_path, db):
    """A section given as a start URL and read again was counted a fresh page: a healthy
    site's yield "dropped" (20% vs 67%) after its first run."""
    from crawler.visits import REVISIT

    run = storage.start_run(db, {})
    commit(db, [{"visit": visit("https://n.example/world/", kind="hub")}], run)
    started = started_requests(tmp_path, "https://n.example/world/,https://n.example/sport/")
    assert {r.url: bool(r.meta.get(REVISIT)) for r in started if isinstance(r, Request)} == {
        "https://n.example/world/": True, "https://n.example/sport/": False}


SITEMAP_INDEX = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 b"<sitemap><loc>https://n.example/2024.xml</loc><lastmod>2024-12-31</lastmod>"
                 b"</sitemap><sitemap><loc>https://n.example/2025.xml</loc></sitemap>"
                 b"</sitemapindex>")


def test_a_listing_entry_before_since_is_recorded_queued_and_waits_for_a_run_that_wants_it(
        tmp_path, db):
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_DB": str(tmp_path / "news.db"),
                                       "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 1}})
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls="https://n.example/",
                                             since="2025-03-06")
    middleware = FrontierMiddleware.from_crawler(crawler)
    index = Request("https://n.example/sitemap.xml", meta={SOURCE: "sitemap", SITE: "n.example"})
    response = XmlResponse(index.url, body=SITEMAP_INDEX, request=index)
    try:
        out = list(middleware.process_spider_output(
            response, crawler.spider.parse_sitemap(response, SITEMAP_INDEX)))
    finally:
        middleware.spider_closed()
    assert [r.url for r in out if isinstance(r, Request)] == ["https://n.example/2025.xml"]
    [record] = [r for r in out if not isinstance(r, Request)]
    commit(db, [record], storage.start_run(db, {}))
    assert frontier_row(db, "https://n.example/2024.xml")["state"] == "queued"
    frontier = SQLiteFrontier(tmp_path / "news.db")
    try:
        wanted = {since: sorted(r["url"].rsplit("/", 1)[1]
                                for r in frontier.pending(["n.example"], since))
                  for since in ("2025-03-06T00:00:00Z", "2024-12-01T00:00:00Z", None)}
    finally:
        frontier.close()
    assert wanted["2025-03-06T00:00:00Z"] == ["2025.xml", "sitemap.xml"]  # undated: due
    assert wanted["2024-12-01T00:00:00Z"] == wanted[None] == ["2024.xml", "2025.xml",
                                                              "sitemap.xml"]


def test_without_a_frontier_an_entry_before_since_is_dropped():
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_FRONTIER_ENABLED": False})
    spider = NewsSpider.from_crawler(crawler, start_urls="https://n.example/",
                                     since="2025-03-06")
    index = Request("https://n.example/sitemap.xml", meta={SOURCE: "sitemap", SITE: "n.example"})
    response = XmlResponse(index.url, body=SITEMAP_INDEX, request=index)
    out = list(spider.parse_sitemap(response, SITEMAP_INDEX))
    assert [r.url for r in out if isinstance(r, Request)] == ["https://n.example/2025.xml"]


# -- the bounded runtime queue --------------------------------------------------------


class Engine:
    """Scrapy's engine as the middleware sees it: a scheduler that says how many requests
    it holds, and `crawl` (how the idle and poll paths schedule)."""

    def __init__(self):
        self.scheduler: list[Request] = []

    def crawl(self, request):
        self.scheduler.append(request)


@pytest.fixture
def bounded(tmp_path):
    """A middleware whose scheduler holds 4 requests at most, with its crawler's engine."""
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_DB": str(tmp_path / "news.db"),
                                       "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 1},
                                       "NEWSCRAWL_QUEUE_LIMIT": 4})
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls="https://n.example/")
    crawler.engine = Engine()
    middleware = FrontierMiddleware.from_crawler(crawler)
    yield middleware, crawler.engine
    middleware.spider_closed()


def listed(*numbers):
    """Page requests a sitemap lists, story N dated N (a higher number: newer)."""
    requests = [request(f"https://n.example/story/{n}") for n in numbers]
    for n, r in zip(numbers, requests, strict=True):
        r.priority = n
    return requests


def numbers(requests):
    return [int(r.url.rsplit("/", 1)[1]) for r in requests if isinstance(r, Request)]


def test_a_full_scheduler_leaves_pages_queued_in_the_frontier_until_it_drains(bounded, db):
    middleware, engine = bounded
    out = list(middleware.process_spider_output(None, listed(*range(10))))
    [record] = [r for r in out if not isinstance(r, Request)]
    engine.scheduler += [r for r in out if isinstance(r, Request)]
    assert numbers(engine.scheduler) == [9, 8, 7, 6]  # the newest, up to the limit
    assert len(record["outlinks"]) == 10  # every one recorded, so the frontier holds the rest
    assert middleware.stats.get_value("newscrawl/frontier/spilled") == 6
    run = storage.start_run(db, {})
    commit(db, [record], run)
    # half full or more: a page's answer adds nothing; drained below half: refilled to 4
    engine.scheduler = engine.scheduler[:2]
    assert numbers(middleware.process_spider_output(None, [])) == []
    engine.scheduler = engine.scheduler[:1]
    assert numbers(middleware.process_spider_output(None, [])) == [5, 4, 3]
    # a link to a spilled URL with room for it: scheduled, and not refilled a second time
    engine.scheduler = engine.scheduler[:2]
    assert numbers(middleware.process_spider_output(None, listed(1))) == [1]
    engine.scheduler = []
    with pytest.raises(DontCloseSpider):  # idle, and the frontier holds more for the run
        middleware.spider_idle()
    assert numbers(engine.scheduler) == [2, 0]
    middleware.spider_idle()  # nothing left: the crawl may close
    assert middleware.stats.get_value("newscrawl/frontier/refilled") == 5


def test_a_long_listing_is_admitted_a_chunk_at_a_time(middleware, monkeypatch):
    monkeypatch.setattr(scheduling, "CHUNK", 3)
    made = []

    def sitemap():  # a sitemap callback: its requests, then its visit record
        for n in range(8):
            made.append(n)
            yield listed(n)[0]
        yield {"visit": None}
    out = middleware.process_spider_output(None, sitemap())
    first = next(out)
    assert isinstance(first, Request) and len(made) == 3  # not all eight made first
    rest = list(out)
    [record] = [r for r in rest if not isinstance(r, Request)]
    assert len(record["outlinks"]) == 8  # every row rides on the listing's record
    assert sorted(numbers([first, *rest])) == list(range(8))


def test_a_long_listing_gives_the_reactor_a_turn_after_each_chunk(bounded, monkeypatch):
    """A sitemap or feed of 50,000 entries held the reactor 8 s in one go: its requests
    spilled to the frontier (the scheduler full) are not passed on, and only what is passed
    on lets Scrapy wait, so no download was read or sent until its last entry was admitted."""
    middleware, engine = bounded
    engine.scheduler = [Request(f"https://n.example/busy/{n}") for n in range(4)]  # full
    monkeypatch.setattr(scheduling, "CHUNK", 3)
    turns, made = [], []

    async def sitemap():  # a callback's output, as Scrapy's asyncio reactor hands it on
        for n in range(8):
            yield listed(n)[0]
        yield {"visit": None}

    async def other_work():  # what the reactor would do meanwhile: a download's reads
        while True:
            turns.append(1)
            await asyncio.sleep(0)

    async def admit():
        worker = asyncio.create_task(other_work())
        await asyncio.sleep(0)
        async for element in middleware.process_spider_output_async(None, sitemap()):
            made.append(element)
        worker.cancel()

    asyncio.run(admit())
    assert numbers(made) == []  # every one spilled
    [record] = made
    assert len(record["outlinks"]) == 8
    assert len(turns) == 3  # one before the callback, and one after each of its two chunks


def test_spilled_rows_not_committed_yet_are_waited_for_a_while(bounded, caplog):
    middleware, engine = bounded
    engine.scheduler = [Request(f"https://n.example/busy/{n}") for n in range(4)]
    out = list(middleware.process_spider_output(None, listed(1, 2)))
    assert numbers(out) == []
    engine.scheduler = []
    for _ in range(SPILL_WAITS):  # the storage pipeline commits within seconds
        with pytest.raises(DontCloseSpider):
            middleware.spider_idle()
    with caplog.at_level(logging.WARNING):
        middleware.spider_idle()  # never committed (the record was lost): give up, and say so
    assert "2 spilled URLs" in caplog.text


def test_a_spilled_url_queued_under_another_site_is_not_waited_for(bounded, db):
    middleware, engine = bounded
    engine.scheduler = [Request(f"https://n.example/busy/{n}") for n in range(4)]
    out = list(middleware.process_spider_output(None, listed(1)))
    # its row was queued before, under the site's former name: this run does not resume it
    commit(db, [{"visit": None, "outlinks": [outlink("https://n.example/story/1",
                                                     site="old.example")]}],
           storage.start_run(db, {}))
    commit(db, [r for r in out if not isinstance(r, Request)], storage.start_run(db, {}))
    engine.scheduler = []
    middleware.spider_idle()  # no wait
    assert engine.scheduler == []


def test_a_backlog_from_earlier_runs_comes_in_a_limit_at_a_time(bounded, db):
    middleware, engine = bounded
    run = storage.start_run(db, {})
    commit(db, [{"visit": visit("https://n.example/feed.xml", kind="feed"), "outlinks": [
        outlink(f"https://n.example/story/{n}", priority=n) for n in range(10)]}], run)

    async def start():
        return [r async for r in middleware.process_start(middleware.crawler.spider.start())]
    started = asyncio.run(start())
    engine.scheduler += [r for r in started if isinstance(r, Request)]
    assert [r.url for r in engine.scheduler][:1] == ["https://n.example/"]  # the seed
    assert numbers(engine.scheduler[1:5]) == [9, 8, 7, 6]
    # a listing to look at again does not wait behind the backlog: discovery goes on
    assert [r.url for r in engine.scheduler[5:]] == ["https://n.example/feed.xml"]
    assert middleware.backlog
    engine.scheduler = []
    engine.scheduler += middleware.process_spider_output(None, [])
    assert numbers(engine.scheduler) == [5, 4, 3, 2]
    assert numbers(middleware.process_spider_output(None, [])) == []  # still full
    engine.scheduler = []
    assert numbers(middleware.process_spider_output(None, [])) == [1, 0]
    assert not middleware.backlog
    assert middleware.stats.get_value("newscrawl/frontier/resumed") == 11


# -- lock, run status, health ---------------------------------------------------------


def test_the_lock_names_the_job_that_holds_it(tmp_path):
    db = tmp_path / "news.db"
    named = r"another reextract is running on .* \(pid \d+, started"
    with crawl_lock(db, "reextract"), pytest.raises(LockedError, match=named), crawl_lock(db):
        pass
    with (crawl_lock(db), pytest.raises(LockedError, match=r"another crawl is running on"),
          crawl_lock(db, "reextract")):
        pass


def test_the_lock_refuses_a_second_holder_and_dies_with_the_first(tmp_path):
    db = tmp_path / "news.db"
    refused = pytest.raises(LockedError, match=r"another crawl is running on .*pid")
    with crawl_lock(db), refused, crawl_lock(db):
        pass
    with crawl_lock(db):
        pass
    # the same database by another path: a symlink to it, a symlinked folder
    (tmp_path / "link.db").symlink_to(db)
    (tmp_path / "folder").symlink_to(tmp_path, target_is_directory=True)
    for other in (tmp_path / "link.db", tmp_path / "folder" / "news.db"):
        with crawl_lock(db), refused, crawl_lock(other):
            pass


def test_a_lock_file_that_cannot_be_opened_or_written_is_one_line_naming_it(tmp_path,
                                                                            monkeypatch):
    import errno
    import os

    import crawler.lock

    db = tmp_path / "news.db"
    (tmp_path / "news.db.lock").mkdir()  # no file to open (as no permission would, for root)
    with pytest.raises(LockFileError) as raised, crawl_lock(db):
        pass
    assert str(raised.value) == (f"{db}: cannot open its lock file {tmp_path}/news.db.lock: "
                                 "Is a directory")
    assert not raised.value.transient  # a person must fix it
    (tmp_path / "news.db.lock").rmdir()

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(crawler.lock.os, "pwrite", full)
    with pytest.raises(LockFileError) as raised, crawl_lock(db):
        pass
    assert str(raised.value) == (f"{db}: cannot write its lock file {tmp_path}/news.db.lock: "
                                 "No space left on device: free some disk space or check the "
                                 "device, then run again")
    assert raised.value.transient  # running again may work
    monkeypatch.undo()
    with crawl_lock(db):  # the failed attempt left no lock behind
        pass


@pytest.mark.parametrize("proc_locks", [True, False], ids=["proc-locks", "flock-probe"])
def test_is_held_sees_a_crawl_and_never_blocks_one(tmp_path, monkeypatch, proc_locks):
    from pathlib import Path

    from crawler.lock import is_held

    if not proc_locks:  # as on a system without /proc/locks
        read = Path.read_text
        monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (
            (_ for _ in ()).throw(OSError("no /proc")) if str(self) == "/proc/locks"
            else read(self, *a, **k)))
    db = tmp_path / "news.db"
    assert not is_held(db)  # no lock file yet
    with crawl_lock(db):
        assert is_held(db) and is_held(tmp_path / "news.db")
    assert not is_held(db)
    with crawl_lock(db):  # the check left no lock behind
        pass


def test_run_status_partial_when_some_sites_failed():
    sites = SiteIndex(merge_sites([], ["https://a.example/", "https://b.example/"]))
    failed_b = {"newscrawl/sites/b.example/start_failed": 1}
    assert run_status({}, "finished", sites) == "ok"
    assert run_status(failed_b, "finished", sites) == "partial"
    assert run_status(failed_b | {"newscrawl/sites/a.example/start_failed": 1}, "finished",
                      sites) == "failed"
    assert run_status({}, "shutdown", sites) == "interrupted"


@pytest.mark.parametrize("spellings", [
    ["https://b.example", "https://b.example/"], ["https://b.example/", "https://b.example/#top"],
    ["HTTPS://b.example/", "https://b.example/"], ["https://b.example/?x=1&y=2",
                                                    "https://b.example/?y=2&x=1"]])
def test_a_site_whose_start_url_is_given_twice_still_fails(spellings):
    """Scrapy requests one spelling (the duplicate filter drops the other): one failure is
    all of its start URLs, not half (the run said ok, and exited 0, for a dead site)."""
    sites = SiteIndex(merge_sites([], ["https://a.example/", *spellings]))
    assert sites.by_name["b.example"].seeds == (with_path(spellings[0]),)
    failed_b = {"newscrawl/sites/b.example/start_failed": 1}
    assert run_status(failed_b, "finished", sites) == "partial"


def site_row(run_id, pages, articles, **extra):
    counts = dict.fromkeys(("discovered", "not_modified", "non_articles", "paywalled", "failed",
                            "skipped", "http_403", "http_429", "http_5xx", "revisited"), 0)
    return {"run_id": run_id, "site": "n.example", "fetched": pages, "pages": pages,
            "articles": articles, **counts, **extra}


def finished_run(db, status: str = "ok") -> int:
    run_id = storage.start_run(db, {})
    storage.finish_run(db, run_id, status, {})
    return run_id


def test_health_flags_a_yield_drop_and_a_block(db):
    for run_id in range(1, 6):
        finished_run(db)
        db["run_sites"].insert(site_row(run_id, 40, 30 if run_id < 5 else 4))
    (health,) = site_health(db, runs=10)
    assert health.baseline == 0.75
    assert health.flags == ["yield dropped (10% vs usual 75%)"]
    assert "ALERT n.example: yield dropped" in health_table([health])
    blocked = SiteHealth("n.example", site_row(9, 2, 2, http_403=20, failed=20), [])
    assert blocked.flags == ["blocked (20x403, 0x429)"]
    quiet = SiteHealth("n.example", site_row(9, 1, 0), [site_row(8, 40, 30)])
    assert quiet.flags == []  # an incremental run with little new is not judged
    refused = SiteHealth("n.example", site_row(9, 0, 0, fetched=0, skipped=1), [])
    assert refused.flags == ["failing (nothing fetched: 0 failed, 1 skipped)"]  # robots, policy
    dead = SiteHealth("n.example", site_row(9, 0, 0, fetched=0, failed=3), [])
    assert dead.flags == ["failing (nothing fetched: 3 failed, 0 skipped)"]
    # the listings answered, the stories answer 500: judged by its requests, not its pages
    erring = SiteHealth("n.example", site_row(9, 1, 0, failed=46, http_5xx=45), [])
    assert erring.flags == ["failing (most requests failed: 45 of 47, 45x5xx)"]
    some = SiteHealth("n.example", site_row(9, 40, 30, failed=4, http_5xx=4), [])
    assert some.flags == []  # a few failures among many pages: retried next run
    dead_links = SiteHealth("n.example", site_row(9, 2, 1, failed=8), [],
                            {"http_404": 7, "http_410": 1})
    assert dead_links.flags == []  # stories taken down are no trouble of the site's
    timing_out = SiteHealth("n.example", site_row(9, 2, 1, failed=8), [],
                            {"timeout": 6, "http_404": 2})
    assert timing_out.flags == ["failing (most requests failed: 6 of 10, 0x5xx)"]


def test_health_flags_new_stories_failing_while_the_listings_answer_304():
    """An ordinary incremental run: 10 listings answer 304, and every new story 403s (or
    502s). Most of the run's fresh answers failed: flagged, as the README says."""
    listings = {"fetched": 10, "not_modified": 10}
    blocked = SiteHealth("n.example", site_row(9, 0, 0, **listings, failed=8, http_403=8), [])
    assert blocked.flags == ["blocked (8x403, 0x429)"]
    erring = SiteHealth("n.example", site_row(9, 0, 0, **listings, failed=6, http_5xx=6), [])
    assert erring.flags == ["failing (most requests failed: 6 of 16, 6x5xx)"]
    one = SiteHealth("n.example", site_row(9, 0, 0, **listings, failed=1, http_403=1), [])
    assert one.flags == []  # one story answering 403 is no block


def test_section_pages_read_again_are_no_fresh_pages_for_the_yield(db):
    """A backfill's runs are nearly all stories; a healthy incremental run after it reads
    its section pages again (changed: new stories on them) and the two new stories. The
    yield counted those sections as pages (2 of 7, 29%, against the usual 100%): every
    healthy site was flagged until the median caught up."""
    for run_id in range(1, 5):
        finished_run(db)
        db["run_sites"].insert(site_row(run_id, 10, 10))
    run = finished_run(db)
    commit(db, [page(f"https://n.example/section/{n}", False, kind="hub", revisit=True)
                for n in range(5)] + [page(f"https://n.example/new/{n}") for n in range(2)],
           run)
    (counted,) = db.query("SELECT pages, revisited, articles FROM run_sites WHERE run_id = ?",
                          [run])
    assert counted == {"pages": 7, "revisited": 5, "articles": 2}
    # a page read again that is an article (a depth limit raised) is fresh for the yield:
    # counted as read again, its article went over 100% (18 of 23 - 18 pages: 360%)
    again = finished_run(db)
    commit(db, [page("https://n.example/new/0", revisit=True)], again)
    (counted,) = db.query("SELECT pages, revisited, articles FROM run_sites WHERE run_id = ?",
                          [again])
    assert counted == {"pages": 1, "revisited": 0, "articles": 1}
    (health,) = site_health(db, runs=10)
    assert SiteHealth.yield_of(health.latest) is None  # 2 fresh pages: too few to judge
    assert health.flags == []
    layout_changed = SiteHealth("n.example", site_row(6, 15, 1, revisited=5), health.history)
    assert layout_changed.flags == ["yield dropped (10% vs usual 100%)"]
    # what the frontier middleware marks a revisit, the page's visit says
    from scrapy.http import HtmlResponse

    from crawler.visits import REVISIT, response_visit

    for meta, revisit in (({REVISIT: True}, True), ({}, False)):
        section = Request("https://n.example/section/", meta={SITE: "n.example", **meta})
        response = HtmlResponse(section.url, body=b"<html></html>", request=section)
        assert response_visit(response, "n.example", "html")["revisit"] is revisit


def test_a_run_that_stored_nothing_is_no_usual_yield(db):
    """A block serving a challenge page for every story: each of its runs drops the yield
    (once most earlier runs were blocked, the usual yield became 0% and the alert ended)."""
    for run_id, articles in enumerate((30, 0, 0, 0), 1):
        finished_run(db)
        db["run_sites"].insert(site_row(run_id, 40, articles))
    (health,) = site_health(db, runs=10)
    assert health.flags == ["yield dropped (0% vs usual 75%)"]


def test_runs_with_few_new_pages_are_judged_together(db):
    """A run every 15 minutes fetches two new stories: judged one by one, a site serving a
    challenge page for every new story was never flagged (each run held too few pages)."""
    for run_id in range(1, 4):
        finished_run(db)
        db["run_sites"].insert(site_row(run_id, 40, 30))
    history = []
    for run_id in range(4, 7):  # each: 2 new pages, no article; the sections read again
        finished_run(db)
        db["run_sites"].insert(site_row(run_id, 7, 0, revisited=5))
        (health,) = site_health(db, runs=10)
        history.append((health.recent, health.flags))
    assert history[0] == ((30 / 42, 2), [])  # with the run before: no drop
    assert history[1] == ((30 / 44, 3), [])
    assert history[2] == ((0.0, 3), ["yield dropped (0% vs usual 75%)"])  # 6 fresh pages
    cells = health_table([health]).splitlines()[1].split()  # yield, its runs, usual
    assert cells[7:11] == ["0%", "(3", "runs)", "75%"]
    # healthy small runs: two stories a run, both articles
    healthy = [site_row(9, 7, 2, revisited=5), site_row(8, 7, 2, revisited=5),
               site_row(7, 7, 2, revisited=5), *[site_row(n, 40, 30) for n in (3, 2, 1)]]
    (fine,) = [SiteHealth("n.example", healthy[0], healthy[1:])]
    assert fine.recent == (1.0, 3) and fine.baseline == 0.75 and fine.flags == []


def test_an_interrupted_run_is_judged_on_what_it_got_answered():
    """Stopped just after it started: its robots.txt answered 404 (a skip), nothing else."""
    stopped = {"status": "interrupted"}
    early = SiteHealth("n.example", site_row(9, 0, 0, fetched=0, skipped=1, **stopped), [])
    assert early.flags == []
    short = SiteHealth("n.example", site_row(9, 5, 0, **stopped), [site_row(8, 40, 30)], {},
                       start_failed=True)
    assert short.flags == []  # its stories and its start page not reached yet
    dead = SiteHealth("n.example", site_row(9, 0, 0, fetched=0, failed=3, **stopped), [])
    assert dead.flags == ["failing (nothing fetched: 3 failed, 0 skipped)"]
    blocked = SiteHealth("n.example", site_row(9, 2, 2, http_403=20, failed=20, **stopped), [])
    assert blocked.flags == ["blocked (20x403, 0x429)"]


def test_a_site_no_longer_in_the_runs_is_shown_and_not_judged(db):
    """Site "beta" failed, then was taken out of the config: the runs after it do not
    crawl it, and its failure raises no alert; the sites they crawl are judged."""
    for run_id in range(1, 4):
        finished_run(db)
        db["run_sites"].insert(site_row(run_id, 0, 0, fetched=0, failed=2, site="alpha"))
        if run_id == 1:
            db["run_sites"].insert(site_row(run_id, 0, 0, fetched=0, failed=3, site="beta"))
    going = storage.start_run(db, {})  # a run in progress, beta's robots.txt its one answer
    db["run_sites"].insert(site_row(going, 0, 0, fetched=0, skipped=1, site="beta"))
    alpha, beta = site_health(db, runs=10)
    assert [row["run_id"] for row in site_health(db, runs=1)[0].history] == [2]  # (not 3)
    assert (alpha.site, beta.site) == ("alpha", "beta")
    assert alpha.flags == ["failing (nothing fetched: 2 failed, 0 skipped)"]
    assert beta.flags == [] and beta.latest["run_id"] == 1
    assert "ALERT beta" not in health_table([alpha, beta]) and "beta" in health_table([beta])


def test_status_runs_counts_the_runs_before_the_latest(db):
    for run_id in range(1, 5):
        finished_run(db)
        db["run_sites"].insert(site_row(run_id, 40, 30))
    (health,) = site_health(db, runs=3)
    assert [row["run_id"] for row in health.history] == [3, 2, 1]



def test_the_example_config_is_valid():
    names = [site.name for site in load_config(ROOT / "examples" / "sites.toml")]
    assert names == ["news.example.com", "regional", "blog.example.net"]


def test_progress_line():
    stats = {"newscrawl/pages": 120, "newscrawl/extract/articles": 100,
             "newscrawl/errors/http_404": 2, "newscrawl/not_modified": 7,
             "newscrawl/frontier/resumed": 5}
    assert progress_line(stats, 60.0) == ("120 pages, 100 articles, 120/min, 7 unchanged (304),"
                                          " 2 errors, 5 taken from earlier runs' queue")


def test_the_live_line_is_cleared_before_a_log_record_so_a_warning_gets_a_line_of_its_own(
        monkeypatch):
    from crawler.progress import ProgressExtension

    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    handler = logging.StreamHandler(terminal)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [handler])
    progress = ProgressExtension(StatsCollector(get_crawler()), 1.0, tty=True)
    progress.spider_opened()
    try:
        progress.report()
        logging.getLogger("crawler.test").warning("refused http://a.example/")
        progress.report()
    finally:
        progress.spider_closed()
    line = "0 pages, 0 articles, 0/min, 0 unchanged (304), 0 errors"
    assert terminal.getvalue() == (f"\r\x1b[K{line}\r\x1b[Krefused http://a.example/\n"
                                   f"\r\x1b[K{line}\r\x1b[K")
    assert handler.filters == []  # the crawl over, records are written as they come


def test_a_terminal_gone_away_fails_neither_the_live_line_nor_a_logging_call(monkeypatch):
    """After a logout, writes to the terminal raise EIO: the line is given up, and a
    warning logged meanwhile (through the clearing filter) does not raise."""
    from crawler.progress import ProgressExtension

    class Gone(io.StringIO):
        def write(self, text):
            raise OSError(5, "Input/output error")

    handler = logging.StreamHandler(io.StringIO())
    monkeypatch.setattr(logging.getLogger(), "handlers", [handler])
    progress = ProgressExtension(StatsCollector(get_crawler()), 1.0, tty=True)
    progress.spider_opened()
    try:
        progress.report()
        progress.shown = True  # drawn before the terminal went
        monkeypatch.setattr(sys, "stderr", Gone())
        logging.getLogger("crawler.test").warning("still logged")
        progress.report()
    finally:
        progress.spider_closed()
    assert handler.stream.getvalue() == "still logged\n"


@pytest.mark.parametrize(("level", "shown"), [("WARNING", False), ("ERROR", False),
                                               ("INFO", True), ("DEBUG", True), (10, True)])
def test_progress_is_info_and_shows_at_info_or_below(level, shown):
    from scrapy.exceptions import NotConfigured as Off

    from crawler.progress import ProgressExtension

    crawler = get_crawler(settings_dict={"LOG_LEVEL": level})
    if shown:
        assert ProgressExtension.from_crawler(crawler)
    else:
        with pytest.raises(Off):
            ProgressExtension.from_crawler(crawler)


def test_the_readme_scheduled_crawls_log_at_the_level_of_the_progress_lines_they_promise(
        caplog):
    """Cron and systemd have no terminal: the progress lines are log records, and the
    README's examples must log at their level (the summary is printed, whatever the level)."""
    from crawler.progress import ProgressExtension

    with caplog.at_level(logging.DEBUG, logger="crawler.progress"):
        ProgressExtension(StatsCollector(get_crawler()), 60.0, tty=False).report()
    [record] = caplog.records
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Scheduled crawls", 1)[1].split("### Site health", 1)[0]
    crawls = [line for line in section.splitlines() if "newscrawl crawl " in line]
    assert len(crawls) == 3  # cron, under `timeout`, systemd
    for line in crawls:
        level = line.split("--log-level ", 1)[1].split()[0] if "--log-level" in line else "INFO"
        assert logging.getLevelName(level) <= record.levelno, line
    assert "the progress lines and the run summary" in section


def test_answers_that_are_not_html_count_as_fetched_pages_skipped():
    """Fetched, and skipped for giving no article: the summary's pages add up (a PDF was
    counted skipped without being counted fetched)."""
    from crawler.runner import CrawlResult, summary
    from crawler.status import run_counts
    stats = {"newscrawl/pages": 5, "newscrawl/skipped/non_html": 2,
             "newscrawl/extract/non_articles": 1, "newscrawl/stored/articles": 4}
    assert run_counts(stats)["pages_fetched"] == 7
    assert run_counts(stats)["pages_skipped"] == 3
    assert summary(CrawlResult(1, stats, 1.0, [], "ok")).startswith(
        "run 1: 7 pages fetched in 1.0s, 4 articles stored, 3 pages skipped "
        "(1 not articles, 2 not HTML, 0 extraction failures)")


def test_the_summary_says_how_many_fetched_pages_a_failed_write_left_unstored():
    from crawler.runner import CrawlResult, summary
    stats = {"newscrawl/run_id": 3, "newscrawl/pages": 240, "newscrawl/stored/pages": 18}
    assert summary(CrawlResult(3, stats, 1.0, [], "failed")).startswith(
        "run 3: 240 pages fetched (18 stored, 222 not: rolled back or cut short, fetched again"
        " next run) in 1.0s")
    stats["newscrawl/stored/pages"] = 240
    assert summary(CrawlResult(3, stats, 1.0, [], "ok")).startswith(
        "run 3: 240 pages fetched in 1.0s")
    # answers that were no HTML are fetched pages too: the bracket adds up to the count
    # (7 fetched, "3 stored, 3 not", a CLI user's walkthrough)
    stats |= {"newscrawl/pages": 6, "newscrawl/stored/pages": 3, "newscrawl/skipped/non_html": 1}
    assert summary(CrawlResult(3, stats, 1.0, [], "interrupted")).startswith(
        "run 3: 7 pages fetched (3 stored, 3 not: rolled back or cut short, fetched again next"
        " run; 1 not HTML) in 1.0s")


def test_the_summary_says_what_was_not_fetched_by_policy():
    """A page over the size limit, a redirect loop, a robots.txt refusal: counted nowhere
    in the summary, which an operator reads."""
    from crawler.runner import CrawlResult, summary
    stats = {"newscrawl/pages": 5, "newscrawl/skipped/too_large": 2,
             "newscrawl/skipped/redirect_loop": 1, "newscrawl/skipped/no_robots": 1}
    assert summary(CrawlResult(1, stats, 1.0, [], "ok")).splitlines()[2] == (
        "  not fetched, by policy: too_large: 2, redirect_loop: 1")
    assert "by policy" not in summary(CrawlResult(1, {"newscrawl/pages": 5}, 1.0, [], "ok"))


def test_the_summary_says_how_many_requests_a_host_given_up_left_unsent():
    """A host that could not be reached, or answered nothing but 429 / 503, is given up for
    the run and its other URLs are not sent: counted in the stats, said nowhere in the
    summary, whose "left queued" counted only some of them (not a listing to read again,
    not a failure to try again) and did not say why."""
    from crawler.runner import CrawlResult, summary
    stats = {"newscrawl/pages": 5, "newscrawl/skipped/robots": 1,
             "newscrawl/dead_host/given_up": 1, "newscrawl/dead_host/unsent": 40,
             "newscrawl/throttled/given_up": 1, "newscrawl/throttled/unsent": 7,
             "newscrawl/stop/unsent": 3}
    assert summary(CrawlResult(1, stats, 1.0, [], "ok")).splitlines()[2:4] == [
        "  not fetched, by policy: robots: 1",
        "  not sent, their host given up: dead_host: 40, throttled: 7 (they wait for the"
        " next run)"]
    assert "not sent" not in summary(CrawlResult(1, {"newscrawl/pages": 5}, 1.0, [], "ok"))


def test_errors_count_pages_a_spider_exception_dropped():
    from crawler.runner import CrawlResult, summary
    from crawler.status import run_counts
    stats = {"newscrawl/pages": 30, "newscrawl/errors/http_404": 2,
             "spider_exceptions/count": 3, "spider_exceptions/OperationalError": 3}
    assert run_counts(stats)["errors"] == 5
    lines = summary(CrawlResult(2, stats, 1.0, [], "ok")).splitlines()
    assert lines[0].endswith(", 2 fetch errors")
    assert "3 pages dropped by errors in the spider" in lines[-1]


def test_crawl_and_status_have_examples_and_are_in_the_readme():
    from crawler.cli import cli

    readme = (ROOT / "README.md").read_text("utf-8")
    for name in ("crawl", "status"):
        assert "Example: newscrawl " + name in cli.commands[name].help
        assert f"newscrawl {name} " in readme
    for code in ("`3`", "`4`"):
        assert f"| {code} |" in readme


# -- review fixes ---------------------------------------------------------------------


def frontier_row(db, url):
    return next(db.query("SELECT * FROM frontier WHERE url = ?", [url]))


def test_attempts_count_consecutive_failures_so_a_listing_survives_one_timeout(db, tmp_path):
    run = storage.start_run(db, {})
    feed = "https://n.example/feed.xml"
    for _ in range(3):  # three good runs
        commit(db, [{"visit": visit(feed, kind="feed")}], run)
    commit(db, [{"visit": visit(feed, "failed", kind=None, reason="timeout")}], run)
    assert frontier_row(db, feed)["attempts"] == 1
    frontier = SQLiteFrontier(tmp_path / "news.db")
    assert [r["url"] for r in frontier.pending(["n.example"])] == [feed]
    for _ in range(2):  # three consecutive failures: a listing is still tried every run
        commit(db, [{"visit": visit(feed, "failed", kind=None, reason="timeout")}], run)
    assert frontier_row(db, feed)["attempts"] == 3
    assert [r["url"] for r in frontier.pending(["n.example"])] == [feed]
    frontier.close()


def test_an_article_that_failed_three_runs_in_a_row_backs_off_and_is_never_dropped(db, tmp_path):
    run = storage.start_run(db, {})
    url = "https://n.example/2026/11/28/story"
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for _ in range(3):  # the site is down for three runs
        commit(db, [{"visit": visit(url, "failed", kind=None, reason="connection",
                                    visited_at=now)}], run)
    frontier = SQLiteFrontier(tmp_path / "news.db")
    assert list(frontier.pending(["n.example"])) == []  # backed off
    row = frontier_row(db, url)
    visited = datetime.strptime(row["visited_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert not is_retryable(row, visited + timedelta(hours=5))
    assert is_retryable(row, visited + timedelta(hours=6, seconds=1))
    assert not is_retryable(row | {"attempts": 4}, visited + timedelta(hours=11))
    assert is_retryable(row | {"attempts": 4}, visited + timedelta(hours=12, seconds=1))
    assert is_retryable(row | {"attempts": 40}, visited + timedelta(days=7, seconds=1))
    assert not is_retryable(row | {"reason": "http_404"}, visited + timedelta(days=70))
    db.execute("UPDATE frontier SET visited_at = '2026-01-01T00:00:00Z'")
    db.conn.commit()
    assert [r["url"] for r in frontier.pending(["n.example"])] == [url]
    frontier.close()


def test_run_status_judges_closespider_reasons_by_start_failures(tmp_path, monkeypatch):
    sites = SiteIndex(merge_sites([], ["https://a.example/"]))
    stored = {"newscrawl/pages": 5}
    for reason in ("closespider_pagecount", "closespider_timeout", "max_pages", "finished"):
        assert run_status(stored, reason, sites) == "ok"
    assert run_status({"newscrawl/sites/a.example/start_failed": 1}, "closespider_timeout",
                      sites) == "failed"
    assert run_status(stored, "storage_error", sites) == "failed"
    assert run_status(stored, "shutdown", sites) == "interrupted"

    from crawler import runner

    result = runner.CrawlResult(1, stored, 1.0, [], status="interrupted")
    monkeypatch.setattr(runner, "_crawl", lambda options, sites: result)
    options = runner.CrawlOptions(["https://a.example/"], tmp_path / "n.db")
    with pytest.raises(runner.CrawlError) as error:
        runner.run_crawl(options)
    assert error.value.code == runner.EXIT_INTERRUPTED == 5
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "| `5` | interrupted" in readme


def test_pending_holds_no_statement_open_between_rows(db, tmp_path, monkeypatch):
    from crawler import frontier as frontier_module

    monkeypatch.setattr(frontier_module, "PAGE_SIZE", 2, raising=False)
    run = storage.start_run(db, {})
    urls = [f"https://n.example/{n}" for n in range(5)]
    commit(db, [{"visit": None, "outlinks": [outlink(u, priority=n) for n, u in
                                             enumerate(urls)]}], run)  # fmt: skip
    frontier = SQLiteFrontier(tmp_path / "news.db")
    pending = frontier.pending(["n.example"])
    first = next(pending)
    assert first["url"] == urls[4]
    commit(db, [page(urls[0])], run)  # the writer commits while the resume is under way
    assert frontier.get(urls[0])["state"] == "fetched"  # not a stale snapshot
    assert frontier.conn.in_transaction is False
    rest = [row["url"] for row in pending]
    assert rest == [urls[3], urls[2], urls[1]]
    frontier.close()


def test_pending_and_queued_read_the_rows_one_statement_would_in_its_order(db, tmp_path,
                                                                           monkeypatch):
    """Read site by site and state by state, merged (so that SQLite walks its index), the
    rows are those of one statement over every site and state, in the same order (but the
    hubs to read again, the longest unvisited first)."""
    from crawler import frontier as frontier_module

    monkeypatch.setattr(frontier_module, "PAGE_SIZE", 3, raising=False)
    rng = random.Random(7)
    rows = [{"url": f"https://{site}/{n}", "site": site, "source": rng.choice(["link", "robots"]),
             "state": rng.choice(["queued", "failed", "skipped", "fetched"]),
             "kind": rng.choice(["html", "hub", "feed", None]),
             "priority": rng.choice([*range(5), LISTING_PRIORITY]),
             "reason": rng.choice([None, "timeout", "http_404", "not_html", "robots", "refused",
                                     "too_large"]),
             "visited_at": rng.choice(["2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"]),
             "attempts": rng.randint(0, 4), "held": rng.randint(0, 1),
             "lastmod": rng.choice([None, "2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z"]),
             "discovered_at": "2025-01-01T00:00:00Z", "depth": 1}
            for n in range(300) for site in ("a.example", "b.example", "c.example")]
    db["frontier"].insert_all(rows)
    frontier = SQLiteFrontier(tmp_path / "news.db")
    sites = ["a.example", "c.example"]
    held = f"(held = 0 OR {frontier_module.NEWEST_SQL} >= ?)"
    one = ("SELECT * FROM frontier WHERE site IN (?, ?) AND {} ORDER BY priority DESC, url")
    others = (f"(state = 'queued' OR state = 'failed' OR (source = 'robots' AND state !="
              " 'fetched') OR (state = 'skipped' AND reason = 'refused')"
              " OR (state = 'skipped' AND (kind IN ('hub', 'feed', 'sitemap', 'robots')"
              f" OR priority >= {LISTING_PRIORITY // 2})"
              " AND coalesce(reason, '') NOT IN ('too_large'))"
              " OR (state = 'skipped' AND coalesce(reason, '') NOT IN"
              f" ('not_html') AND coalesce(visited_at, '') < ?)) AND {held}")
    revisits = "state = 'fetched' AND (kind IN ('hub', 'feed', 'sitemap', 'robots')"
    for since in (None, "2025-03-01T00:00:00Z"):
        first = [dict(r) for r in frontier.conn.execute(
            one.format(others), [*sites, frontier_module.skip_cutoff(), since or ""])]
        second = [dict(r) for r in frontier.conn.execute(
            one.format(revisits + " OR source = 'robots')"), sites)]
        hubs = sorted((r for r in second if not frontier_module.is_listing(r["priority"])),
                      key=lambda r: (r["visited_at"], -r["priority"], r["url"]))  # unvisited
        expected = [r["url"] for r in first if r["state"] != "failed"
                    or r["source"] == "robots" or is_retryable(r)] + [
            r["url"] for r in second if frontier_module.is_listing(r["priority"])] + [
            r["url"] for r in hubs]
        assert [r["url"] for r in frontier.pending(sites, since)] == expected
        queued = [r["url"] for r in frontier.conn.execute(
            one.format(f"state = 'queued' AND {held}"), [*sites, since or ""])]
        assert [r["url"] for r in frontier.queued(sites, since)] == queued
    frontier.close()


def test_a_www_variant_is_the_same_site():
    from crawler.config import sites_from_urls

    (site,) = sites_from_urls(["https://example.com/", "https://www.example.com/feed.xml"])
    assert site.name == "example.com"
    assert site.seeds == ("https://example.com/", "https://www.example.com/feed.xml")


def test_skip_reasons_come_from_exception_types():
    from scrapy.exceptions import IgnoreRequest
    from twisted.python.failure import Failure

    from crawler.discovery import skip_reason
    from crawler.middlewares import (
        AddressRefused,
        DestinationRefused,
        OffsiteRefused,
        RobotsRefused,
    )

    assert skip_reason(Failure(RobotsRefused("Forbidden by robots.txt"))) == "robots"
    assert skip_reason(Failure(AddressRefused("private address"))) == "refused"
    # a scheme or a password is the URL's for good, not a run's policy: not every run
    assert skip_reason(Failure(DestinationRefused("redirect to a mailto: URL"))) == "refused_url"
    assert skip_reason(Failure(OffsiteRefused("offsite"))) == "offsite"
    # a host named *robots* is not a robots.txt refusal
    assert skip_reason(Failure(IgnoreRequest("refused robots.example.com"))) == "ignored"
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, start_urls="https://robots.example/")
    failure = Failure(IgnoreRequest("Filtered offsite request to 'robots.example'"))
    failure.request = Request("https://robots.example/a", meta={SOURCE: "link"})
    (record,) = spider.on_error(failure)
    assert (record["visit"]["state"], record["visit"]["reason"]) == ("skipped", "ignored")


def test_scrapys_robots_and_offsite_filters_raise_their_own_types():
    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as Base

    from crawler import settings
    from crawler.middlewares import RobotsRefused, RobotsTxtMiddleware

    downloader = settings.DOWNLOADER_MIDDLEWARES
    assert downloader["crawler.middlewares.RobotsTxtMiddleware"] == 100
    assert downloader["crawler.middlewares.OffsiteMiddleware"] == 50

    class Parser:
        def allowed(self, url, agent):
            return False

    middleware = RobotsTxtMiddleware(get_crawler(NewsSpider, {"ROBOTSTXT_OBEY": True}))
    assert isinstance(middleware, Base)
    with pytest.raises(RobotsRefused):
        middleware.process_request_2(Parser(), Request("https://n.example/private"))


def test_skips_for_passing_causes_are_retried_after_the_ttl(db, tmp_path):
    run = storage.start_run(db, {})
    old, new = "2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"
    commit(db, [
        {"visit": visit("https://n.example/robots-old", "skipped", reason="robots",
                        visited_at=old)},
        {"visit": visit("https://n.example/robots-new", "skipped", reason="robots",
                        visited_at=new)},
        {"visit": visit("https://n.example/pdf", "skipped", reason="not_html", visited_at=old)},
        {"visit": visit("https://n.example/refused", "skipped", reason="refused",
                        visited_at=old)},
        {"visit": visit("https://n.example/refused-now", "skipped", reason="refused",
                        visited_at=new)},
    ], run)  # fmt: skip
    frontier = SQLiteFrontier(tmp_path / "news.db")
    pending = sorted(row["url"].rsplit("/", 1)[1] for row in frontier.pending(["n.example"]))
    # a refused address every run: one run without --allow-private parked a whole queue
    # for SKIPPED_RETRY_DAYS
    assert pending == ["refused", "refused-now", "robots-old"]
    assert frontier_row(db, "https://n.example/robots-old")["visited_at"] == old
    frontier.close()


def test_skipped_rows_are_admitted_after_the_ttl(middleware, db):
    run = storage.start_run(db, {})
    commit(db, [{"visit": visit("https://n.example/r", "skipped", reason="robots",
                                visited_at="2020-01-01T00:00:00Z")}], run)
    assert middleware.admit(request("https://n.example/r")) == (True, None)
    commit(db, [{"visit": visit("https://n.example/r", "skipped", reason="robots",
                                visited_at="2999-01-01T00:00:00Z")}], run)
    assert middleware.admit(request("https://n.example/r")) == (False, None)
    commit(db, [{"visit": visit("https://n.example/p", "skipped", reason="refused",
                                visited_at="2999-01-01T00:00:00Z")}], run)
    assert middleware.admit(request("https://n.example/p")) == (True, None)


def robots_answered(middleware, status: int) -> tuple[Request, dict]:
    """The robots.txt request, and the record the spider makes of it answering `status`."""
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    robots = Request("https://n.example/robots.txt", meta={SOURCE: "robots", SITE: "n.example"})
    failure = Failure(HttpError(Response(robots.url, status=status, request=robots)))
    failure.request = robots
    (record,) = middleware.crawler.spider.on_error(failure)
    return robots, record


def test_a_missing_robots_txt_is_skipped_not_failed_and_always_refetched(middleware, db):
    robots, record = robots_answered(middleware, 404)
    assert (record["visit"]["state"], record["visit"]["reason"]) == ("skipped", "no_robots")
    run = storage.start_run(db, {})
    commit(db, [record], run)
    (row,) = db.query("SELECT failed, skipped FROM run_sites WHERE run_id = ?", [run])
    assert (row["failed"], row["skipped"]) == (0, 1)
    again = Request(robots.url, meta={SOURCE: "robots", SITE: "n.example"})
    assert middleware.admit(again) == (True, None)  # a robots.txt may appear later


def test_pages_sharing_a_canonical_url_are_one_stored_article(db, tmp_path):
    run = storage.start_run(db, {})
    first, second = page("https://n.example/a"), page("https://n.example/a?utm=x")
    second["article"]["canonical_url"] = "https://n.example/a"
    commit(db, [first, second], run)
    (row,) = db.query("SELECT articles, pages FROM run_sites")
    assert (row["articles"], row["pages"]) == (1, 2)

    from crawler.status import run_counts
    from tests.test_pipelines import storage_pipeline

    pipeline = storage_pipeline(tmp_path / "p.db", batch_size=10)
    for item in (first, second):
        pipeline.process_item(dict(item, body=b"<html></html>", content_type="text/html",
                                   headers={}, depth=0, source="link", requested_url=item["url"]))
    pipeline.flush()
    assert run_counts(pipeline.stats.get_stats())["articles_stored"] == 1
    pipeline.db.close()


def test_outlink_lookups_are_batched(middleware):
    statements: list[str] = []
    middleware.frontier.conn.set_trace_callback(statements.append)
    record = {"visit": visit("https://n.example/sitemap.xml", kind="sitemap")}
    requests = [request(f"https://n.example/new{n}") for n in range(1200)]
    out = list(middleware.process_spider_output(None, [*requests, record]))
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 5  # 250 URLs a query (and their keys: 500 values at most)
    assert not [s for s in selects if "?501" in s]  # SQLite before 3.32 takes 999
    assert len(record["outlinks"]) == 1200 and len(out) == 1201


def test_a_url_spelled_two_ways_in_one_callback_is_one_row_and_one_request(middleware):
    """The query's parameters in another order, another percent-escape: Scrapy's duplicate
    filter takes both for one document, so the second spelling would stay queued."""
    record = {"visit": visit("https://n.example/", kind="hub")}
    spellings = ["https://n.example/story?a=1&b=2", "https://n.example/story?b=2&a=1",
                 "https://n.example/%7Eed?id=7", "https://n.example/~ed?id=7",
                 "http://n.example:80/p", "http://n.example/p"]  # the second: canonical
    out = list(middleware.process_spider_output(None, [*map(request, spellings), record]))
    assert [e["url"] for e in record["outlinks"]] == spellings[::2]
    assert {r.url for r in out[1:]} == set(spellings[::2])  # (the duplicate filter's twice)
    assert middleware.stats.get_value("newscrawl/frontier/respelled") == 3


def test_a_link_spelled_otherwise_than_the_frontiers_row_is_requested_as_the_row(db, tmp_path,
                                                                                 middleware):
    run = storage.start_run(db, {})
    commit(db, [page("https://n.example/story?a=1&b=2"),
                {"visit": None, "outlinks": [outlink("https://n.example/list?b=2&a=1")]},
                {"visit": visit("https://n.example/moved?b=2&a=1", "skipped", kind=None,
                                reason="redirect_duplicate", http_status=301)},
                {"visit": visit("https://n.example/down?b=2&a=1", "failed", kind=None,
                                reason="http_500", http_status=500)}], run)
    assert frontier_row(db, "https://n.example/list?b=2&a=1")["url_key"] == (
        "https://n.example/list?a=1&b=2")
    known = request("https://n.example/story?b=2&a=1")
    queued = request("https://n.example/list?a=1&b=2")
    moved = request("https://n.example/moved?a=1&b=2")  # its twin redirected: no spelling
    down = request("https://n.example/down?a=1&b=2")  # its twin failed: tried again as it
    record = {"visit": visit("https://n.example/", kind="hub")}
    out = list(middleware.process_spider_output(None, [known, queued, moved, down, record]))
    assert [e["url"] for e in record["outlinks"]] == ["https://n.example/list?b=2&a=1",
                                                      "https://n.example/moved?a=1&b=2"]
    assert [r.url for r in out[1:]] == ["https://n.example/list?b=2&a=1",
                                        "https://n.example/moved?a=1&b=2",
                                        "https://n.example/down?b=2&a=1"]  # the story: known


def test_the_pages_a_depth_limit_left_unfollowed_are_read_where_the_runs_limit_follows(
        db, tmp_path):
    rows = [(f"https://n.example/{depth}/{n}", depth, state) for depth in (1, 2)
            for n in range(3) for state in ("fetched",)] + [("https://n.example/q", 1, "queued")]
    db.conn.executemany(
        "INSERT INTO frontier (url, depth, state, filters, site, source, discovered_at)"
        " VALUES (?, ?, ?, 'unfollowed', 'n.example', 'link', '2026-11-01T00:00:00Z')", rows)
    db.conn.commit()
    frontier = SQLiteFrontier(tmp_path / "news.db")
    try:
        def urls(limit):
            return [row["url"] for row in frontier.unfollowed({"n.example": limit})]
        assert urls(1) == []  # the limit they were cut at: none, nothing changed
        assert urls(2) == [f"https://n.example/1/{n}" for n in range(3)]
        assert len(urls(None)) == 6  # (the queued one is pending anyway)
        plan = frontier.conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM frontier WHERE site = 'n.example' AND state ="
            " 'fetched' AND filters = 'unfollowed' AND depth < 3 ORDER BY priority DESC, url"
            " LIMIT 500").fetchall()
        steps = [row[-1] for row in plan]
        assert any("idx_frontier_unfollowed" in step for step in steps), steps
        assert not any("TEMP B-TREE" in step for step in steps), steps  # in reading order
    finally:
        frontier.close()


def test_the_spellings_of_a_callbacks_urls_are_found_by_index_in_a_large_frontier(db):
    """20,000 rows, a tenth of them spelled otherwise than their key, and SQLite's
    statistics gathered: a page of lookups is two index searches, not two scans."""
    db.conn.executemany(
        "INSERT INTO frontier (url, url_key, site, source, discovered_at) VALUES (?, ?, ?, ?, ?)",
        [(f"https://n.example/{n}?b=1&a=2", f"https://n.example/{n}?a=2&b=1" if n % 10 else None,
          "n.example", "link", "2026-11-01T00:00:00Z") for n in range(20_000)])
    db.execute("ANALYZE")
    marks = ", ".join(f"?{n}" for n in range(1, 501))
    plan = db.execute("EXPLAIN QUERY PLAN " + SPELLINGS_SQL.format(marks=marks),
                      [f"https://n.example/{n}?a=2&b=1" for n in range(500)]).fetchall()
    assert not any(row[-1].startswith("SCAN frontier") for row in plan), plan


def test_the_robots_txt_kept_for_the_spider_is_bounded():
    from scrapy.http import Response
    from scrapy.http.request import NO_CALLBACK

    from crawler.middlewares import RobotsTxtMiddleware

    middleware = RobotsTxtMiddleware(get_crawler(NewsSpider, {"ROBOTSTXT_OBEY": True}))
    for n in range(RobotsTxtMiddleware.ROBOTS_KEPT + 10):  # hosts that never ask for theirs
        url = f"https://h{n}.example/robots.txt"
        own = Request(url, meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
        middleware.process_response(own, Response(url, body=b"User-agent: *"))
    assert len(middleware._fetched) == RobotsTxtMiddleware.ROBOTS_KEPT
    assert "https://h0.example/robots.txt" not in middleware._fetched  # the oldest went
    big = Request("https://big.example/robots.txt", meta={"dont_obey_robotstxt": True},
                  callback=NO_CALLBACK)
    middleware.process_response(big, Response(big.url, body=b"#" * (600 * 1024)))
    assert big.url not in middleware._fetched


def test_the_upgrade_to_held_rows_keeps_the_backlog_earlier_runs_held_back(tmp_path):
    """Before migration 0010 every dated row not yet fetched was held back by --since: after
    it, those rows are held, so the first --since run after an upgrade fetches none of them."""
    path = tmp_path / "news.db"
    db = storage.open_db(path)
    db.execute("ALTER TABLE frontier DROP COLUMN held")  # the database as 0009 left it
    db.execute("DELETE FROM migrations WHERE name = '0010_frontier_held'")
    for url, state, lastmod in (("https://a.example/old", "queued", "2025-01-01T00:00:00Z"),
                                ("https://a.example/linked", "queued", None),
                                ("https://a.example/read", "fetched", "2025-01-01T00:00:00Z")):
        db.execute("INSERT INTO frontier (url, site, source, state, discovered_at, lastmod) "
                   "VALUES (?, 'a.example', 'sitemap', ?, '2025-01-01T00:00:00Z', ?)",
                   [url, state, lastmod])
    db.conn.commit()
    db.close()
    db = storage.open_db(path)  # applies 0010
    assert dict(db.execute("SELECT url, held FROM frontier")) == {
        "https://a.example/old": 1, "https://a.example/linked": 0, "https://a.example/read": 0}
    frontier = SQLiteFrontier(path)
    pending = [row["url"] for row in frontier.pending(["a.example"], "2025-03-01")]
    assert "https://a.example/old" not in pending and "https://a.example/linked" in pending
    frontier.close()
    db.close()


@pytest.mark.parametrize("page_size", [500, 1, 2])  # a page of one: every row its own read
def test_a_site_adopts_the_rows_on_its_hosts_filed_under_another_name(tmp_path, monkeypatch,
                                                                      page_size):
    from crawler import frontier as frontier_module
    monkeypatch.setattr(frontier_module, "PAGE_SIZE", page_size)
    db = storage.open_db(tmp_path / "news.db")
    own = ["http://gazette.example", "http://gazette.example/", "https://gazette.example/a?b",
           "http://www.gazette.example/feed.xml", "http://gazette.example:8080/x",
           "https://gazette.example#top", "http://gazette.example?page=2",
           "http://[::1]:8080/a", "http://gazette.example./b"]
    others = ["http://gazette.example.evil.test/", "http://gazette.examples/",
              "http://news.gazette.example/a", "https://other.example/gazette.example/",
              "http://gazette.exampl/", "ftp://gazette.example/a", "http://[::2]/",
              "http://gazette.example:pw@evil.test/"]
    for i, url in enumerate(own + others):
        db.execute("INSERT INTO frontier (url, site, source, state, discovered_at) "
                   "VALUES (?, ?, 'link', 'queued', '2026-01-01T00:00:00Z')",
                   [url, "old" if i % 2 else "gazette.example"])
    db.execute("INSERT INTO frontier (url, site, source, state, discovered_at) VALUES "
               "('https://gazette.example/mine', 'gazette', 'link', 'queued', '2026-01-01')")
    with storage.write_lock(db):
        moved = adopt(db, {"gazette": ("gazette.example", "::1"), "none": ("none.example",)})
    sites = dict(db.execute("SELECT url, site FROM frontier"))
    assert {url for url, site in sites.items() if site == "gazette"} == {
        *own, "https://gazette.example/mine"}
    assert all(sites[url] != "gazette" for url in others)
    assert moved == {("frontier", "old", "gazette"): 4,
                     ("frontier", "gazette.example", "gazette"): 5}
    with storage.write_lock(db):
        assert adopt(db, {"gazette": ("gazette.example",)}) == {}  # nothing left to move


def test_a_site_a_config_names_takes_its_stored_rows_and_a_one_off_crawl_does_not(db):
    """A one-off crawl from the command line over a config's database re-filed the whole
    archive under the host's name (and the next config run back): `--site` lost it, and an
    incremental export took every article twice. Only a config's name takes stored rows."""
    run = storage.start_run(db, {})
    commit(db, [page(f"https://n.example/{n}") | {"site": "gazette"} for n in range(3)]
           + [page("https://other.example/x") | {"site": "gazette"}], run)
    db.execute("UPDATE frontier SET site = 'gazette'")
    db.execute("UPDATE articles SET extracted_at = '2020-01-01T00:00:00Z'")
    sites = {"n.example": ("n.example",)}
    with storage.write_lock(db):
        moved = adopt(db, sites)  # the command line's site, named by its host
    assert moved == {("frontier", "gazette", "n.example"): 3}
    assert {s for (s,) in db.execute("SELECT DISTINCT site FROM pages")} == {"gazette"}
    before = {r["id"]: r["extracted_at"] for r in db.query("SELECT * FROM articles")}
    with storage.write_lock(db):
        moved = adopt(db, {"news": ("n.example",)}, named={"news"})  # a config renames it
    assert moved == {("frontier", "n.example", "news"): 3}  # nothing was stored as n.example
    db.execute("UPDATE frontier SET site = 'gazette' WHERE url LIKE 'https://n.example/%'")
    with storage.write_lock(db):
        moved = adopt(db, {"news": ("n.example",)}, named={"news"})
    assert moved == {("frontier", "gazette", "news"): 3, ("pages", "gazette", "news"): 3,
                     ("articles", "gazette", "news"): 3}
    assert dict(db.execute("SELECT url, site FROM pages")) == {
        **{f"https://n.example/{n}": "news" for n in range(3)},
        "https://other.example/x": "gazette"}  # not on the site's hosts
    after = {r["id"]: r["extracted_at"] for r in db.query("SELECT * FROM articles")}
    assert [i for i in after if after[i] != before[i]] == [
        r["id"] for r in db.query("SELECT id FROM articles WHERE site = 'news'")]


def test_only_the_sites_a_config_named_take_stored_rows_whatever_the_runner_passes():
    """`newscrawl crawl` hands the spider its config's sites merged with the command line's
    (`sites=`): every site counted as named, so a one-off crawl still moved the archive."""
    from crawler.config import SiteSpec, merge_sites

    gazette = SiteSpec(name="gazette", start_urls=("https://n.example/",), hosts=("n.example",))
    sites = merge_sites([gazette], ["https://n.example/world/", "https://other.example/"])
    crawler = get_crawler(NewsSpider)
    assert NewsSpider.from_crawler(crawler, sites=sites).configured == {"gazette"}
    alone = NewsSpider.from_crawler(get_crawler(NewsSpider), sites=merge_sites(
        [], ["https://n.example/"]))
    assert alone.configured == frozenset()


def test_a_start_urls_row_without_its_path_is_folded_into_the_one_with_it(tmp_path):
    db = storage.open_db(tmp_path / "news.db")
    for url, state in (("https://a.example", "fetched"), ("https://a.example/", "fetched"),
                       ("https://b.example", "queued"), ("https://c.example/x", "queued")):
        db.execute("INSERT INTO frontier (url, site, source, state, discovered_at) "
                   "VALUES (?, 'x', 'start', ?, '2026-01-01T00:00:00Z')", [url, state])
    with storage.write_lock(db):
        folded = merge_pathless(db, ["https://a.example/", "https://b.example/",
                                     "https://c.example/x", "https://d.example/",
                                     "https://a.example/?", "https://a.example/#"])
    assert folded == 2
    assert dict(db.execute("SELECT url, state FROM frontier")) == {
        "https://a.example/": "fetched", "https://b.example/": "queued",
        "https://c.example/x": "queued"}


@pytest.mark.parametrize(("stored", "now", "follows", "conditional"), [
    (None, "b" * 16, True, True),  # fetched before frontier.filters (0012): as it always was
    ("a" * 16, "a" * 16, True, True),
    ("a" * 16, "b" * 16, True, False),  # the site's allow / deny changed: read in full
    ("a" * 16, None, True, True),  # a URL of no configured site
    ("unfollowed", "a" * 16, True, False),  # its links were left unread (the depth limit)
    ("unfollowed", "a" * 16, False, True),  # ...and still are
    ("a" * 16, "b" * 16, False, True),  # its links are not to be read: nothing to find
])
def test_a_url_fetched_under_other_filters_is_requested_in_full(stored, now, follows,
                                                                conditional):
    request = Request("https://news.example.com/sitemap.xml",
                      meta={scheduling.FILTERS: now} if now else {})
    row = {"etag": '"v1"', "last_modified": "Tue, 01 Apr 2025 10:00:00 GMT", "filters": stored}
    assert scheduling.add_validators(request, row, follows) is conditional
    assert ("If-None-Match" in request.headers) is conditional
    assert ("If-Modified-Since" in request.headers) is conditional


def test_the_filters_digest_follows_allow_deny_and_link_heuristics(tmp_path):
    specs = {spec.name: spec for spec in load_config(write(tmp_path, """
[sites.a]
start_urls = ["https://a.example/"]
deny = ['/video/']
[sites.b]
start_urls = ["https://b.example/"]
deny = ['/video/']
[sites.c]
start_urls = ["https://c.example/"]
deny = ['/video/', '/live/']
[sites.d]
start_urls = ["https://d.example/"]
deny = ['/video/']
link_heuristics = false
"""))}
    assert specs["a"].filters == specs["b"].filters  # the site's name and URLs are not in it
    assert len({specs[name].filters for name in "acd"}) == 3


@pytest.mark.parametrize(("url", "expected"), [
    ("https://n.example/a?utm_source=nl", "https://n.example/a"),
    ("https://n.example/a?id=3&utm_referrer=x&fbclid=Ab#c", "https://n.example/a?id=3#c"),
    ("https://n.example/a?id=3&&b=1", "https://n.example/a?id=3&&b=1"),  # none: as it is
    ("https://n.example/a?utm_source=1;id=5", "https://n.example/a?utm_source=1;id=5"),
])
def test_tracking_parameters_are_dropped_from_a_url_and_nothing_else(url, expected):
    from crawler.urlpolicy import without_tracking

    assert without_tracking(url) == expected


def test_a_gzip_file_that_did_not_unpack_is_tried_again_next_run():
    """`bad_gzip` was not among the transient reasons: the sitemap, mended by its site,
    was never fetched again."""
    row = {"reason": "bad_gzip", "attempts": 1, "kind": "sitemap", "priority": 0,
           "visited_at": "2026-11-30T00:00:00Z"}
    assert is_retryable(row)


def test_a_robots_txt_answering_429_is_a_failed_fetch_not_a_missing_file(middleware, db):
    """429 says the server is busy, not that there are no rules (RFC 9309's allow-all is
    for a file that is not there): failed and retried, not skipped as `no_robots`."""
    _, record = robots_answered(middleware, 429)
    assert (record["visit"]["state"], record["visit"]["reason"]) == ("failed", "http_429")


def test_a_queued_url_fetched_in_this_run_and_linked_again_is_not_known_skipped(tmp_path, db):
    """A story left queued by an interrupted run is resumed and fetched; a section read
    after it links it: it was fetched by this run, not an earlier one, so it is no 'known
    skipped' URL (an interrupted crawl of 100 stories, rerun: '52 known skipped' where 6
    stories had been fetched before)."""
    first = storage.start_run(db, {})
    commit(db, [{"visit": None, "outlinks": [outlink("https://n.example/story")]}], first)
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_DB": str(tmp_path / "news.db"),
                                       "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 1}})
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls="https://n.example/")
    middleware = FrontierMiddleware.from_crawler(crawler)

    async def start():
        return [r async for r in middleware.process_start(crawler.spider.start())]
    try:
        started = asyncio.run(start())
        assert "https://n.example/story" in [r.url for r in started if isinstance(r, Request)]
        commit(db, [page("https://n.example/story")], storage.start_run(db, {}))  # fetched now
        link = Request("https://n.example/story", meta={SOURCE: "link", SITE: "n.example"})
        out = list(middleware.process_spider_output(None, [link]))
        stats = middleware.stats
    finally:
        middleware.spider_closed()
    assert not [r for r in out if isinstance(r, Request)]
    assert stats.get_value("newscrawl/frontier/known", 0) == 0
