"""The fault matrix (issue 6): a misbehaving server on loopback, nothing lost, nothing let in.

Crawls run through the real CLI in subprocesses (the reactor cannot restart) against
tests/faultserver.py with low timeouts; one crawl covers many rows, each row is its own test.
Hosts: 127.0.0.1 and 127.0.0.2 are start hosts, 127.0.0.3 is "another domain".
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import random
import re
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import brotli
import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler import storage
from crawler.demo import serve_site
from crawler.middlewares import (
    DestinationRefused,
    MetaRefreshMiddleware,
    RedirectLoopMiddleware,
    SafeDestinationMiddleware,
    address_problem,
    binary_kind,
    retry_after_seconds,
    stream_complete,
)
from tests.faultserver import FaultServer, zstd, zstd_dictionary
from tests.ports import refusing_port

ROOT = Path(__file__).resolve().parent.parent
BASE = ["--log-level", "INFO", "--workers", "1", "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "TELNETCONSOLE_ENABLED=false", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]  # fmt: skip
AUTH = ["-s", "HTTPAUTH_USER=reader", "-s", "HTTPAUTH_PASS=pw"]
MB = 1024 * 1024


def newscrawl(*args: str, timeout: int = 90) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crawler", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def run_stats(db: Path) -> dict:
    (counts,) = rows(db, "SELECT counts FROM runs ORDER BY id DESC LIMIT 1")[0]
    return json.loads(counts)


def page(db: Path, url: str) -> tuple | None:
    found = rows(db, "SELECT status, is_article, extract_error FROM pages WHERE url = ?", url)
    return found[0] if found else None


def article(db: Path, page_url: str) -> tuple | None:
    found = rows(db, "SELECT title, text, paywall FROM articles WHERE page_url = ?", page_url)
    return found[0] if found else None


# -- the big crawl: server and content faults, cookies, XML, a long reader ----------------

FAULT_PATHS = [
    "/ok/1.html", "/status/500", "/silent", "/headers-then-stall", "/reset-mid-body",
    "/short-body", "/truncated-gzip", "/bomb/gzip", "/bomb/br", "/huge/declared",
    "/huge/streamed", "/pdf-as-html", "/png-as-html", "/loop/a", "/redirect/offsite",
    "/redirect/offsite2", "/redirect/to-ok1",
    "/redirect/file", "/redirect/data", "/refresh/file", "/content/broken", "/content/cp1251",
    "/content/bom", "/content/utf16", "/content/empty", "/content/nested", "/content/paywall",
    "/content/newsletter", "/cookie/set",
    *[f"/{kind}/{attack}.xml" for kind in ("sitemap", "feed")
      for attack in ("laughs", "file", "http", "internal")],
]  # fmt: skip


class FaultCrawl:
    """One crawl of every fault route, with a reader holding a snapshot all along."""

    def __init__(self, tmp: Path):
        self.server = FaultServer()
        self.db = tmp / "faults.db"
        storage.open_db(self.db).close()
        urls = [self.server.url(p) for p in FAULT_PATHS] + [self.server.url("/ok/2.html", 1)]
        reader = sqlite3.connect(self.db)
        reader.execute("BEGIN")
        self.pages_seen_by_reader = reader.execute("SELECT count(*) FROM pages").fetchone()[0]
        started = time.monotonic()
        auth = [*AUTH, "-s", f"HTTPAUTH_DOMAIN=127.0.0.1:{self.server.port}"]  # netloc
        # a 5 MB cap, start URLs' too (50 MB, a sitemap's, by default): a busy machine
        # receives 5 MB well within DOWNLOAD_TIMEOUT, not always 50 MB (timed out twice,
        # /huge/streamed was a fetch error, not a skip)
        caps = ["-s", f"DOWNLOAD_MAXSIZE={5 * MB}", "-s", "NEWSCRAWL_SITEMAP_MAXSIZE=0"]
        self.run = newscrawl("crawl", *urls, "--db", str(self.db), "--allow-private",
                             *BASE, *auth, *caps)  # fmt: skip
        self.seconds = time.monotonic() - started
        self.pages_seen_after = reader.execute("SELECT count(*) FROM pages").fetchone()[0]
        self.wal_during = (self.db.parent / (self.db.name + "-wal")).stat().st_size
        reader.rollback()
        reader.close()
        self.stats = run_stats(self.db)

    def url(self, path: str, host: int = 0) -> str:
        return self.server.url(path, host)


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    crawl = FaultCrawl(tmp_path_factory.mktemp("faults"))
    yield crawl
    crawl.server.close()


def test_fault_crawl_finishes_in_time_and_keeps_the_good_pages(faults):
    assert faults.run.returncode == 0, faults.run.stderr[-3000:]
    assert faults.seconds < 60
    assert page(faults.db, faults.url("/ok/1.html"))[:2] == (200, 1)
    assert page(faults.db, faults.url("/ok/2.html", 1))[:2] == (200, 1)


def test_500_forever_gives_up_after_the_retries_and_records_it(faults):
    assert faults.server.count("/status/500") == 2  # RETRY_TIMES=1
    assert faults.stats["newscrawl/errors/http_500"] == 1
    assert page(faults.db, faults.url("/status/500")) is None
    state = rows(faults.db, "SELECT state, reason FROM frontier WHERE url = ?",
                 faults.url("/status/500"))
    assert state == [("failed", "http_500")]


@pytest.mark.parametrize("path", ["/silent", "/headers-then-stall"])
def test_no_answer_and_stall_after_headers_time_out(faults, path):
    assert faults.server.count(path) == 2
    assert page(faults.db, faults.url(path)) is None
    assert faults.stats["newscrawl/errors/timeout"] >= 2


@pytest.mark.parametrize("path", ["/reset-mid-body", "/short-body", "/truncated-gzip"])
def test_partial_bodies_are_never_stored(faults, path):
    assert faults.server.count(path) >= 1
    assert page(faults.db, faults.url(path)) is None
    assert article(faults.db, faults.url(path)) is None


def test_every_fetch_error_line_gives_a_reason(faults):
    lines = [line for line in faults.run.stderr.splitlines() if ": connection (" in line]
    assert lines and not [line for line in lines if line.endswith("()")]
    assert "twisted.python.failure.Failure" not in faults.run.stderr  # in words, not reprs
    # Scrapy's hint to keep truncated bodies (DOWNLOAD_FAIL_ON_DATALOSS): never done here
    assert "Got data loss" not in faults.run.stderr


def test_partial_bodies_count_as_connection_errors(faults):
    assert faults.stats["newscrawl/errors/connection"] >= 3
    assert faults.stats["newscrawl/refused/truncated_encoding"] >= 1


@pytest.mark.parametrize("path", ["/bomb/gzip", "/bomb/br"])
def test_decompression_bombs_stop_at_the_size_cap(faults, path):
    assert page(faults.db, faults.url(path)) is None
    assert "during decompression" in faults.run.stderr
    # over our limit, as a page over it without the encoding is (it was "ignored")
    state = rows(faults.db, "SELECT state, reason FROM frontier WHERE url = ?", faults.url(path))
    assert state == [("skipped", "too_large")]


@pytest.mark.parametrize("path", ["/huge/declared", "/huge/streamed"])
def test_a_200_mb_page_is_aborted_at_the_size_cap(faults, path):
    assert page(faults.db, faults.url(path)) is None
    sent = max(hit.sent for hit in faults.server.hits_for(path))
    # DOWNLOAD_MAXSIZE (5 MB here), plus what the server wrote before the abort took
    # effect (with a 20 MB cap: 22-24 MB when the machine was idle or busy, 43 MB once on
    # CI with every core busy); never the 200 MB the page holds
    assert sent < 100 * MB


@pytest.mark.parametrize("path", ["/huge/declared", "/huge/streamed"])
def test_a_page_over_the_size_cap_is_a_skip_with_or_without_its_length(faults, path):
    """Our limit, not the site's fault: a skip looked at again in a week. One sent without
    a Content-Length was a `cancelled` fetch error, retried every run."""
    state = rows(faults.db, "SELECT state, reason FROM frontier WHERE url = ?", faults.url(path))
    assert state == [("skipped", "too_large")]
    assert faults.stats["newscrawl/skipped/too_large"] == 4  # these two and the two bombs
    assert "not fetched, by policy: too_large: 4" in faults.run.stdout
    assert "newscrawl/errors/cancelled" not in faults.stats


@pytest.mark.parametrize("path", ["/pdf-as-html", "/png-as-html"])
def test_binary_served_as_html_is_skipped_and_counted(faults, path):
    assert page(faults.db, faults.url(path)) is None
    kind = path[1:4]
    assert faults.stats[f"newscrawl/sniffed/{kind}"] == 1


def test_binary_counted_as_not_html(faults):
    assert faults.stats["newscrawl/skipped/non_html"] >= 2


def test_a_start_url_that_is_no_page_fails_the_run_with_its_reason(tmp_path):
    """Its server answered: the line names the reason, not "no response"."""
    with FaultServer() as server:
        run = newscrawl("crawl", server.url("/pdf-as-html"), "--db", str(tmp_path / "p.db"),
                        *BASE, "--allow-private")
    assert run.returncode == 1, run.stderr[-2000:]
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("newscrawl: error: nothing could be fetched from ")
    assert last.endswith("(not_html: 1)")


def test_redirect_loop_ends_and_is_recorded(faults):
    hops = faults.server.count("/loop/a") + faults.server.count("/loop/b")
    assert hops == 2  # a -> b -> a is seen at b's answer, before a is asked again
    assert page(faults.db, faults.url("/loop/a")) is None
    state = rows(faults.db, "SELECT state, reason FROM frontier WHERE url = ?",
                 faults.url("/loop/a"))
    assert state == [("skipped", "redirect_loop")]


@pytest.mark.parametrize(("path", "reason"), [
    ("/redirect/offsite", "offsite"),
    ("/redirect/offsite2", "offsite"),  # its hop is a duplicate of the first one's
    ("/redirect/to-ok1", "redirect_duplicate"),  # its hop is a duplicate of a start URL
])
def test_a_redirect_hop_that_goes_nowhere_is_recorded_on_the_url_that_redirected(
        faults, path, reason):
    state = rows(faults.db, "SELECT site, state, reason FROM frontier WHERE url = ?",
                 faults.url(path))
    assert state == [("127.0.0.1", "skipped", reason)]
    # and counted where the summary reads it ("not fetched, by policy")
    assert faults.stats[f"newscrawl/skipped/{reason}"] >= 1


def test_an_off_site_redirect_makes_no_site_of_its_host(faults):
    sites = {site for (site,) in rows(faults.db, "SELECT site FROM run_sites")}
    assert "127.0.0.3" not in sites  # the off-site host is nobody's site


def test_redirect_to_another_domain_is_not_followed(faults):
    assert faults.server.count("/offsite/landed") == 0
    assert faults.stats["offsite/filtered"] >= 1


@pytest.mark.parametrize("path", ["/redirect/file", "/redirect/data"])
def test_a_redirect_to_another_scheme_is_recorded_as_refused(faults, path):
    """As `refused_url`, tried again after NEWSCRAWL_SKIPPED_RETRY_DAYS: not `refused`, which
    is an address a later run may be let fetch, and is tried every run."""
    state = rows(faults.db, "SELECT state, reason FROM frontier WHERE url = ?", faults.url(path))
    assert state == [("skipped", "refused_url")]


@pytest.mark.parametrize("path", ["/redirect/file", "/redirect/data", "/refresh/file"])
def test_redirects_to_other_schemes_are_not_followed(faults, path):
    assert faults.server.count(path) >= 1
    urls = [url for (url,) in rows(faults.db, "SELECT url FROM pages")]
    assert not [u for u in urls if not u.startswith("http://")]
    texts = " ".join(t for (t,) in rows(faults.db, "SELECT text FROM articles"))
    assert "injected" not in texts


def test_broken_html_with_nul_bytes_is_stored_without_them(faults):
    title, text, _ = article(faults.db, faults.url("/content/broken"))
    assert title and "\0" not in text and len(text.split()) > 80


def test_windows_1251_without_any_charset_is_detected(faults):
    title, text, _ = article(faults.db, faults.url("/content/cp1251"))
    assert title == "В Северогорске построят новую трамвайную линию до Заречного"
    assert "Мэрия Северогорска утвердила проект новой трамвайной линии" in text


def test_byte_order_mark_beats_header_and_meta_charsets(faults):
    title, text, _ = article(faults.db, faults.url("/content/bom"))
    assert title == "Wendstadt richtet sechs neue Fahrradstraßen ein"
    assert "„Wir schließen damit die größten Lücken im Radnetz“" in text


def test_utf16_without_a_bom_is_read_by_its_header_charset(faults):
    """Its NULs (every other byte) are no sign of binary data: the header says UTF-16."""
    title, text, _ = article(faults.db, faults.url("/content/utf16"))
    assert title == "Northbridge's Carnegie library reopens after a four-year restoration"
    assert "The restoration cost €11.8 million" in text
    assert "newscrawl/sniffed/binary" not in faults.stats


def test_empty_200_is_a_page_not_an_article(faults):
    assert page(faults.db, faults.url("/content/empty"))[:2] == (200, 0)


def test_ten_thousand_nested_divs_do_not_stop_the_crawl(faults):
    status, is_article, _ = page(faults.db, faults.url("/content/nested"))
    assert status == 200 and not is_article


def test_paywall_truncated_article_is_stored_as_truncated(faults):
    assert article(faults.db, faults.url("/content/paywall"))[2] == "truncated"


def test_a_page_that_is_only_a_newsletter_box_is_not_an_article(faults):
    assert page(faults.db, faults.url("/content/newsletter"))[:2] == (200, 0)
    assert article(faults.db, faults.url("/content/newsletter")) is None


@pytest.mark.parametrize("kind", ["sitemap", "feed"])
def test_xml_entities_are_never_expanded_or_fetched(faults, kind):
    for attack in ("laughs", "file", "http", "internal"):
        assert faults.server.count(f"/{kind}/{attack}.xml") == 1
    assert faults.server.count("/xxe/probe") == 0
    assert faults.server.count("/xxe/entity.html") == 0
    assert faults.server.count(f"/ok/xml-{kind}.html") == 1  # the plain entry still counts
    assert not [h for h in faults.server.hits if "lol" in h.path or "localhost" in h.path]


def test_cookies_stay_with_the_host_that_set_them(faults):
    same_host = faults.server.hits_for("/cookie/redirect", "127.0.0.1")
    assert same_host and "s3cret" in same_host[0].headers.get("cookie", "")
    other = [h for h in faults.server.hits if h.host != "127.0.0.1"]
    assert {h.path for h in other} >= {"/cookie/check", "/cookie/check-redirected"}
    assert [h.path for h in other if "cookie" in h.headers] == []


def test_authorization_stays_with_its_domain(faults):
    mine = [h for h in faults.server.hits if h.host == "127.0.0.1"]
    assert all(h.headers.get("authorization", "").startswith("Basic ") for h in mine)
    other = [h for h in faults.server.hits if h.host != "127.0.0.1"]
    assert other and [h.path for h in other if "authorization" in h.headers] == []


def test_a_long_reader_does_not_block_the_crawl(faults):
    # the reader's snapshot stayed as it was; the crawl wrote everything past it
    assert faults.pages_seen_after == faults.pages_seen_by_reader == 0
    assert rows(faults.db, "SELECT count(*) FROM pages")[0][0] >= 10
    conn = sqlite3.connect(faults.db)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    wal = faults.db.parent / (faults.db.name + "-wal")  # SQLite deletes it with the last user
    assert busy == 0 and (not wal.exists() or wal.stat().st_size == 0)


# -- throttling: Retry-After, its cap, a 429 burst ------------------------------------------


@pytest.fixture(scope="module")
def throttled(tmp_path_factory):
    """127.0.0.1 asks to wait 1 s, 127.0.0.2 an hour (capped at 1.5 s), 127.0.0.3 bursts."""
    db = tmp_path_factory.mktemp("throttled") / "t.db"
    with FaultServer() as server:
        bursts = [server.url(f"/burst/{i}.html", 2) for i in range(8)]
        urls = [server.url("/retry-after/asked"), server.url("/retry-after/long", 1), *bursts]
        run = newscrawl("crawl", *urls, "--db", str(db), "--allow-private", *BASE,
                        "-s", "RETRY_TIMES=2", "-s", "NEWSCRAWL_RETRY_AFTER_MAX=1.5")
        yield server, db, run, bursts


def gap(server: FaultServer, path: str) -> float:
    first, second = server.hits_for(path)[:2]
    return second.time - first.time


def test_503_retry_after_waits_as_asked_then_retries(throttled):
    server, db, run, _ = throttled
    assert run.returncode == 0, run.stderr[-2000:]
    assert server.count("/retry-after/asked") == 2
    assert 0.9 <= gap(server, "/retry-after/asked") < 10  # about 1 s asked; slack for load
    assert page(db, server.url("/retry-after/asked"))[:2] == (200, 1)


def test_retry_after_beyond_the_cap_waits_the_cap(throttled):
    server, db, _, _ = throttled
    assert 1.4 <= gap(server, "/retry-after/long") < 15  # the 1.5 s cap, not 3600 s
    assert page(db, server.url("/retry-after/long", 1))[:2] == (200, 1)


def test_429_burst_backs_off_per_host_and_loses_no_url(throttled):
    server, db, _, bursts = throttled
    assert run_stats(db)["newscrawl/throttled/429"] >= 1
    assert [url for url in bursts if page(db, url) is None] == []
    other_host = server.hits_for("/retry-after/asked")
    assert other_host[0].time < max(h.time for h in server.hits if h.path.startswith("/burst/"))


def throttling_host(monkeypatch, max_wait: float):
    """A RetryAfterMiddleware with max_wait, its clock and slot stubbed (host "h"), and
    `answer(at, sent, status, path, retry_after)`: what it makes of an answer at `at` to a
    request sent at `sent`."""
    import types

    from scrapy import Spider

    import crawler.middlewares as middlewares

    clock = types.SimpleNamespace(now=1000.0)
    monkeypatch.setattr(middlewares, "time", types.SimpleNamespace(
        monotonic=lambda: clock.now, time=time.time))
    crawler = get_crawler(Spider)
    crawler.spider = Spider("s")
    crawler.spider.crawler = crawler
    slot = types.SimpleNamespace(delay=0.0, lastseen=0.0, queue=collections.deque())
    crawler.engine = types.SimpleNamespace(downloader=types.SimpleNamespace(
        get_slot_key=lambda request: "h", slots={"h": slot}))
    middleware = middlewares.RetryAfterMiddleware(crawler, max_wait=max_wait, backoff=1.0,
                                                  codes={429, 503}, retries=5, robots_retries=2)

    def answer(at: float, sent: float, status: int = 503, path: str = "/a",
               retry_after: str | None = None, meta: dict | None = None, callback=None):
        clock.now = at
        request = Request(f"https://h{path}", meta={"download_latency": at - sent, **(
            meta or {})}, callback=callback)
        headers = {"Retry-After": retry_after} if retry_after else {}
        return middleware.process_response(request, Response(
            request.url, status=status, request=request, headers=headers))

    return middleware, answer


def test_a_host_is_given_up_for_a_throttled_answer_to_a_request_sent_after_the_caps_pause(
        monkeypatch):
    """Not for one in flight as the pause began (a 429 answered late), only for one sent
    once the pause of the cap (here 2 s) was over; then its other requests are not sent,
    but for a start URL; a good answer takes it back."""
    import crawler.middlewares as middlewares
    from crawler.visits import SEED

    middleware, answer = throttling_host(monkeypatch, max_wait=2.0)
    crawler = middleware.crawler
    assert isinstance(answer(1000.0, 999.9), Request)  # pause 1 s, retried
    assert isinstance(answer(1000.1, 999.9), Request)  # pause 2 s: the cap, till 1002.1
    assert isinstance(answer(1000.2, 1000.0), Request)  # in flight as the pause began
    assert middleware.process_request(Request("https://h/b")) is None
    assert isinstance(answer(1002.3, 999.95), Request)  # slow, sent before: the end stays
    slot = crawler.engine.downloader.slots["h"]
    waiting = [(Request(f"https://h/{path}", meta=meta), Deferred())
               for path, meta in [("c", {}), ("", {SEED: True}), ("d", {})]]
    slot.queue.extend(waiting)  # past the middlewares, waiting their turn in the slot
    given_up = answer(1003.0, 1002.5)  # sent after the pause: throttled still
    assert isinstance(given_up, Response) and given_up.request.meta["dont_retry"]
    assert [request.url for request, _ in slot.queue] == ["https://h/"]  # the start URL
    failures = []
    for _, deferred in (waiting[0], waiting[2]):
        deferred.addErrback(failures.append)
    assert [failure.type for failure in failures] == [middlewares.Unsent] * 2
    assert crawler.stats.get_value("newscrawl/throttled/unsent") == 2
    with pytest.raises(middlewares.Unsent):
        middleware.process_request(Request("https://h/b"))
    assert middleware.process_request(Request("https://h/", meta={SEED: True})) is None
    assert crawler.stats.get_value("newscrawl/throttled/given_up") == 1
    assert isinstance(answer(1004.0, 1003.9, status=200), Response)  # back
    assert middleware.process_request(Request("https://h/b")) is None


def test_a_throttled_robots_txt_is_retried_as_often_as_a_server_error(monkeypatch):
    """The host's every request waits for its robots.txt, which RFC 9309 has disallow the
    host when it cannot be read: retried 5 times after pauses of 1 to 16 s, it held the
    host 37 s. Its middleware's own request is retried RETRY_TIMES (here 2); a page 5 times."""
    _, answer = throttling_host(monkeypatch, max_wait=60.0)

    def tries(path: str, meta: dict | None = None, callback=None) -> int:
        meta, count = dict(meta or {}), 0
        while True:
            count += 1
            result = answer(1000.0 + count, 1000.0 + count - 0.1, path=path, meta=meta,
                            callback=callback)
            if isinstance(result, Response):
                return count
            meta = {key: value for key, value in result.meta.items()
                    if key != "download_latency"}

    assert tries("/robots.txt", {"dont_obey_robotstxt": True}, NO_CALLBACK) == 3
    assert tries("/a") == 6
    # a page's request that does not obey robots.txt is no robots.txt request
    assert tries("/b", {"dont_obey_robotstxt": True}, lambda response: None) == 6


def test_a_host_throttling_everything_in_short_pauses_for_as_long_as_the_cap_is_given_up(
        monkeypatch):
    """`Retry-After: 1` to every request, against a cap of 3 s: no pause ever reached the
    cap, so the host was never given up, and each URL was tried 6 times, one after another.
    Throttling for as long as the cap in short pauses counts as one pause of the cap."""
    import crawler.middlewares as middlewares

    middleware, answer = throttling_host(monkeypatch, max_wait=3.0)
    assert isinstance(answer(1000.0, 999.9, retry_after="1"), Request)
    assert isinstance(answer(1001.1, 1001.0, retry_after="1"), Request)
    assert isinstance(answer(1002.2, 1002.1, retry_after="1"), Request)  # 3 s by 1003.2
    assert isinstance(answer(1003.1, 1002.3, retry_after="1"), Request)  # sent before
    given_up = answer(1003.5, 1003.3, retry_after="1")
    assert isinstance(given_up, Response) and given_up.request.meta["dont_retry"]
    with pytest.raises(middlewares.Unsent):
        middleware.process_request(Request("https://h/b"))
    # a good answer between short pauses starts the count again
    assert isinstance(answer(1004.0, 1003.9, status=200), Response)
    for at in (1005.0, 1006.1, 1010.0):
        assert isinstance(answer(at, at - 0.1, retry_after="1"), Request)
        assert isinstance(answer(at + 0.5, at + 0.4, status=200), Response)


# -- refused destinations -----------------------------------------------------------------


def test_private_addresses_are_refused_by_default_before_any_request(tmp_path):
    with FaultServer() as server:
        port = server.port
        urls = [server.url("/ok/1.html"), f"http://localhost:{port}/ok/2.html",
                f"http://[::1]:{port}/ok/3.html", f"http://[::ffff:127.0.0.1]:{port}/ok/4.html"]
        run = newscrawl("crawl", *urls, "--db", str(tmp_path / "n.db"), *BASE)
        assert server.hits == []
    assert run.returncode == 1
    assert "nothing could be fetched" in run.stderr.strip().splitlines()[-1]
    assert "localhost resolves to 127.0.0.1: 127.0.0.1 is a loopback address" in run.stderr
    assert "::ffff:127.0.0.1 is a loopback (IPv4 127.0.0.1 inside IPv6) address" in run.stderr
    assert "--allow-private" in run.stderr
    warnings = [line for line in run.stderr.splitlines() if " WARNING: " in line]
    assert len(warnings) == len(urls)  # one line a refused URL (the spider's errback: DEBUG)


def test_an_ipv6_address_is_crawled(tmp_path):
    """Scrapy's default resolver asks for IPv4 addresses only: http://[::1]:port/ (or a host
    with only AAAA records) failed as a DNS error, exit 1."""
    import functools
    import http.server
    import socket
    import threading

    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6

    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(ROOT / "fixtures" / "demo-site"))
    try:
        server = Server(("::1", 0), handler)
    except OSError as error:
        pytest.skip(f"no IPv6 loopback here: {error}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://[::1]:{server.server_address[1]}/articles/harbour-wind-farm-approved.html"
        run = newscrawl("crawl", url, "--db", str(tmp_path / "n.db"), "--allow-private",
                        "--max-depth", "0", *BASE)
    finally:
        server.shutdown()
    assert run.returncode == 0, run.stderr[-2000:]
    assert rows(tmp_path / "n.db", "SELECT count(*) FROM articles") == [(1,)]


def demo_site_server(port: int = 0):
    """The demo site served on 127.0.0.1 (`port`: 0 for any free one) from a thread: (the
    server, its root URL)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(ROOT / "fixtures" / "demo-site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def crawl_to_the_end(url: str, db: Path) -> subprocess.CompletedProcess:
    """A run over what earlier runs left queued: it succeeds and leaves nothing queued."""
    run = newscrawl("crawl", url, "--db", str(db), "--allow-private", *BASE)
    assert run.returncode == 0, run.stderr[-2000:]
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)]
    return run


def test_a_host_that_cannot_be_reached_is_given_up_and_its_queue_waits(tmp_path):
    """A site gone dead with URLs queued by an earlier run: each failed its retries in
    turn (a 2,000-URL backlog held a run for hours). Three connection failures in a row give
    the host up for the run; the rest, waiting in its queue or not, are not sent, the
    summary and `status` say how many, and the next run fetches them. (robots.txt is not
    obeyed in the run the host is dead: one that cannot be fetched sends nothing at all,
    `test_a_robots_txt_that_cannot_be_read_disallows_its_host_for_the_run`; a host may die
    after its robots.txt was read.)"""
    server, url = demo_site_server()
    db = tmp_path / "n.db"
    try:
        first = newscrawl("crawl", url, "--db", str(db), "--allow-private", "--max-pages", "2",
                          *BASE)
    finally:
        server.shutdown()
        server.server_close()
    assert first.returncode == 0, first.stderr[-2000:]
    queued = rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'")[0][0]
    assert queued > 10
    with refusing_port(server.server_address[1]):  # the port now refuses connections
        run = newscrawl("crawl", url, "--db", str(db), "--allow-private", *BASE, "-s",
                        "AUTOTHROTTLE_ENABLED=true", "-s", "AUTOTHROTTLE_START_DELAY=0.2",
                        "-s", "ROBOTSTXT_OBEY=false")
    assert run.returncode == 1, run.stderr[-2000:]
    assert "could not connect (DownloadConnectionRefusedError): given up for this run" in run.stderr
    counts = json.loads(rows(db, "SELECT counts FROM runs WHERE id = 2")[0][0])
    assert counts["newscrawl/dead_host/given_up"] == 1
    assert counts["newscrawl/dead_host/unsent"] >= queued - 3
    assert (f"  not sent, their host given up: dead_host: {counts['newscrawl/dead_host/unsent']}"
            " (they wait for the next run)") in run.stdout.splitlines()
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'")[0][0] >= queued - 3
    status = newscrawl("status", "--db", str(db))
    assert (f"  not sent, their host given up: dead_host: {counts['newscrawl/dead_host/unsent']}"
            " (they wait for the next run)") in status.stdout.splitlines()
    server, url = demo_site_server(server.server_address[1])  # back, on its port
    try:
        assert "not sent" not in crawl_to_the_end(url, db).stdout
    finally:
        server.shutdown()
        server.server_close()


def test_a_robots_txt_that_cannot_be_read_disallows_its_host_for_the_run(tmp_path):
    """RFC 9309 (2.3.1.4): a robots.txt unreachable for a server error means complete
    disallow. Scrapy read a 503's body as the rules (none) and crawled the whole site. Now
    nothing but robots.txt is requested, the start URL fails its site, the queue waits as
    it was, the summary says why, and the next run, robots.txt back, fetches it all."""
    import functools
    import http.server
    import threading

    asked: list[str] = []
    down = threading.Event()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            if down.is_set() and self.path == "/robots.txt":
                self.send_error(503)
            else:
                super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        Handler, directory=str(ROOT / "fixtures" / "demo-site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url, db = f"http://127.0.0.1:{server.server_address[1]}/", tmp_path / "n.db"
    queue_sql = "SELECT url, state, attempts FROM frontier ORDER BY url"
    try:
        first = newscrawl("crawl", url, "--db", str(db), "--allow-private", "--max-pages", "2",
                          *BASE)
        assert first.returncode == 0, first.stderr[-2000:]
        before = rows(db, queue_sql)
        down.set()
        asked.clear()
        # a 503 is a throttle, retried after pauses of 1, 2, 4... s; robots.txt's as often
        # as a server error (RETRY_TIMES, 1 here), not 5 times (NEWSCRAWL_THROTTLE_RETRIES:
        # 31 s of pauses, the host's every request waiting)
        run = newscrawl("crawl", url, "--db", str(db), "--allow-private", *BASE)
        assert run.returncode == 1, run.stderr[-2000:]
        assert asked.count("/robots.txt") == 2 and set(asked) == {"/robots.txt"}
        assert "robots.txt could not be fetched (HTTP 503): nothing more of its host" in (
            run.stderr)
        assert run.stderr.splitlines()[-1] == (
            f"newscrawl: error: nothing could be fetched from {url} (robots_unavailable: 1)")
        unsent = run_stats(db)["newscrawl/robots_unavailable/unsent"]
        assert unsent > 10
        assert (f"  not sent, their host given up: robots_unavailable: {unsent} (they wait for"
                " the next run)") in run.stdout.splitlines()
        assert [row for row in rows(db, queue_sql) if not row[0].endswith("/robots.txt")] == [
            row for row in before if not row[0].endswith("/robots.txt")]
        down.clear()
        crawl_to_the_end(url, db)
    finally:
        server.shutdown()
        server.server_close()


def test_a_dead_redirect_target_gives_up_itself_not_the_site_that_redirected():
    """A redirect keeps the downloader slot of the URL that redirected (Scrapy copies its
    meta): three refused connections to the target gave up the live site instead."""
    from types import SimpleNamespace

    from scrapy.core.downloader import Downloader
    from scrapy.exceptions import DownloadConnectionRefusedError

    import crawler.middlewares as middlewares

    crawler = get_crawler(settings_dict={})
    crawler.engine = SimpleNamespace(downloader=Downloader(crawler))
    middleware = middlewares.DeadHostMiddleware.from_crawler(crawler)
    for n in range(3):
        redirected = Request(f"http://b.example/x/{n}", meta={"download_slot": "a.example"})
        middleware.process_exception(redirected, DownloadConnectionRefusedError("refused"))
    assert middleware.given_up == {"b.example:80"}
    middleware.process_request(Request("http://a.example/live-page"))  # sent
    middleware.process_request(Request("http://b.example:8080/other"))  # another port: sent
    with pytest.raises(middlewares.Unsent, match=r"b\.example:80 cannot be reached"):
        middleware.process_request(Request("http://b.example/other"))


def test_every_redirect_hop_is_checked(tmp_path):
    with FaultServer() as server:
        urls = [server.url("/redirect/host2"), server.url("/ok/2.html", 1)]
        run = newscrawl("crawl", *urls, "--db", str(tmp_path / "n.db"), *BASE,
                        "-s", 'NEWSCRAWL_ALLOWED_NETWORKS=["127.0.0.1/32"]')
        assert server.count("/redirect/host2") == 1
        assert [h for h in server.hits if h.host != "127.0.0.1"] == []
    # 127.0.0.2 was refused, and 127.0.0.1's only start URL led there: both sites failed
    assert run.returncode == 1
    assert "127.0.0.2 is a loopback address" in run.stderr


@pytest.mark.parametrize(("address", "problem"), [
    ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("10.1.2.3", "private"),
    ("172.16.0.1", "private"), ("172.31.255.255", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("100.100.100.200", "non-public"),
    ("0.0.0.0", "unspecified"),
    ("::1", "loopback"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("fd00:ec2::254", "private"), ("::ffff:10.0.0.1", "private (IPv4 10.0.0.1 inside IPv6)"),
    ("::ffff:169.254.169.254", "link-local (IPv4 169.254.169.254 inside IPv6)"),
    ("2002:7f00:1::", "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("64:ff9b::a00:1", "private (IPv4 10.0.0.1 inside IPv6)"), ("224.0.0.1", "multicast"),
    ("93.184.215.14", None), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
    ("172.32.0.1", None), ("::ffff:93.184.215.14", None),
])  # fmt: skip
def test_address_classes(address, problem):
    assert address_problem(address) == problem


def test_allowed_networks_and_allow_private():
    middleware = SafeDestinationMiddleware(None, False, ["10.0.0.0/8", "fd00::/8"])
    assert middleware.refusal("10.9.9.9") is None and middleware.refusal("fd00::1") is None
    assert middleware.refusal("192.168.0.1") == "192.168.0.1 is a private address"
    assert SafeDestinationMiddleware(None, True, []).refusal("127.0.0.1") is None


def test_a_url_with_a_user_name_or_password_is_refused_without_showing_it(caplog):
    """A redirect to one (or a row an older newscrawl queued) failed the download with a
    traceback ("invalid hostname"), and was retried every run."""
    import asyncio

    from crawler.middlewares import DestinationRefused

    crawler = get_crawler(settings_dict={"NEWSCRAWL_ALLOW_PRIVATE": True})
    crawler.stats.open_spider()
    middleware = SafeDestinationMiddleware.from_crawler(crawler)
    request = Request("http://user:secret@127.0.0.1:8080/a.html")
    with pytest.raises(DestinationRefused, match="user name or password"):
        asyncio.run(middleware.process_request(request))
    assert "refused http://***@127.0.0.1:8080/a.html" in caplog.text
    assert "secret" not in caplog.text
    assert crawler.stats.get_value("newscrawl/refused/credentials") == 1
    assert asyncio.run(middleware.process_request(Request("http://127.0.0.1:8080/@x"))) is None


def test_a_request_to_a_host_no_dns_lookup_can_be_made_for_is_refused():
    """A redirect to one, or a row queued before links to such hosts were skipped: its DNS
    lookup failed in a resolver thread and the request never ended (the crawl held its
    lock for good)."""
    import asyncio

    from crawler.middlewares import DestinationRefused

    crawler = get_crawler(settings_dict={"NEWSCRAWL_ALLOW_PRIVATE": True})
    crawler.stats.open_spider()
    middleware = SafeDestinationMiddleware.from_crawler(crawler)
    for host in (f"{'a' * 70}.example.com", "www..example.com", ".example.com"):
        with pytest.raises(DestinationRefused, match="is not a host name"):
            asyncio.run(middleware.process_request(Request(f"http://{host}/")))
    assert crawler.stats.get_value("newscrawl/refused/invalid_host") == 3
    assert asyncio.run(middleware.process_request(Request("http://b\u00fccher.de/"))) is None


@pytest.mark.parametrize("value", ['["10.0.0.0/8", "fd00::/8"]', "10.0.0.0/8,fd00::/8",
                                   ["10.0.0.0/8", "fd00::/8"]])
def test_allowed_networks_as_scrapy_crawl_passes_them(value):
    """`scrapy crawl -s` gives the README's JSON form as a string, not a list."""
    crawler = get_crawler(settings_dict={"NEWSCRAWL_ALLOWED_NETWORKS": value})
    middleware = SafeDestinationMiddleware.from_crawler(crawler)
    assert [str(n) for n in middleware.allowed] == ["10.0.0.0/8", "fd00::/8"]


@pytest.mark.parametrize(("value", "message"), [
    ('["10.0.0.0/8", "ten"]', "NEWSCRAWL_ALLOWED_NETWORKS: 'ten' is not a network"),
    ('["10.0.0.0/8"', "is not a JSON list of networks"),
])
def test_a_bad_allowed_network_is_named(value, message):
    crawler = get_crawler(settings_dict={"NEWSCRAWL_ALLOWED_NETWORKS": value})
    with pytest.raises(ValueError, match=re.escape(message)):
        SafeDestinationMiddleware.from_crawler(crawler)


# -- pure helpers -------------------------------------------------------------------------


def test_retry_after_values():
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490) == 0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
    # a digit that is not ASCII (a stray Latin-1 byte) is no delay, not an error
    assert retry_after_seconds(b"\xb2") is None and retry_after_seconds("\u0661") is None


def test_stream_complete():
    page_bytes = b"<html>" + b"news " * 20_000 + b"</html>"
    whole = gzip_bytes(page_bytes)
    assert stream_complete(whole, b"gzip") and not stream_complete(whole[:-20], b"gzip")
    assert stream_complete(whole + whole, b"gzip")  # two members
    deflated = zlib.compress(page_bytes)
    assert stream_complete(deflated, b"deflate")
    assert not stream_complete(deflated[: len(deflated) // 2], b"deflate")
    raw = zlib.compressobj(wbits=-15)
    raw_deflated = raw.compress(page_bytes) + raw.flush()
    assert stream_complete(raw_deflated, b"deflate")
    assert not stream_complete(raw_deflated[:100], b"deflate")
    br = brotli.compress(page_bytes)
    assert stream_complete(br, b"br") and not stream_complete(br[: len(br) // 2], b"br")
    zstd_page = zstd.compress(page_bytes)
    assert stream_complete(zstd_page, b"zstd")
    assert stream_complete(zstd_page + zstd_page, b"zstd")  # two frames
    assert not stream_complete(zstd_page[: len(zstd_page) // 2], b"zstd")
    assert not stream_complete(zstd.compress(page_bytes, zstd_dict=zstd_dictionary()), b"zstd")
    assert not stream_complete(b"\x28\xb5\x2f\xfd" + b"\x99" * 100, b"zstd")  # a bad header
    assert stream_complete(b"whatever", b"identity")


def gzip_bytes(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=31)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(("body", "kind"), [
    (b"%PDF-1.7 ...", "pdf"), (b"\x89PNG\r\n\x1a\n....", "png"), (b"\xff\xd8\xff\xe0..", "jpeg"),
    (b"GIF89a...", "gif"), (b"RIFF\0\0\0\0WEBPVP8 ", "webp"), (b"\0\0\0\x18ftypmp42", "mp4"),
    (b"<html><body>\0broken</body></html>", None), (b"", None),
    (bytes(range(256)) * 8, "binary"),  # no known format, but no text either
    (b"<html><p>\0x</p>" * 100, None),  # stray NULs in a page
    ("\ufeff<html><p>Hallo</p></html>".encode("utf-16") * 8, None),  # UTF-16 with its BOM
])  # fmt: skip
def test_binary_kind(body, kind):
    assert binary_kind(body) == kind


UTF16_PAGE = "<html><p>Grüße</p></html>" * 8


@pytest.mark.parametrize(("body", "content_type", "kind"), [
    (UTF16_PAGE.encode("utf-16-le"), "text/html; charset=utf-16le", None),  # no BOM
    (UTF16_PAGE.encode("utf-16-be"), "text/html; charset=UTF-16BE", None),
    (UTF16_PAGE.encode("utf-16-le"), "text/html; charset=utf-16", None),  # no byte order
    (UTF16_PAGE.encode("utf-16-be"), "text/html; charset=utf-16", None),
    (UTF16_PAGE.encode("utf-32-le"), "text/html; charset=utf-32", None),
    (UTF16_PAGE.encode("utf-16-be"), "text/html", "binary"),  # nothing says UTF-16
    (UTF16_PAGE.encode("utf-16-le"), "text/html; charset=utf-8", "binary"),
    (b"\xd8\x00" * 64, "text/html; charset=utf-16be", "binary"),  # does not decode
])  # fmt: skip
def test_binary_kind_of_a_page_declared_utf16_or_utf32(body, content_type, kind):
    assert binary_kind(body, content_type) == kind


def test_safe_xml_drops_entities_even_behind_a_comment():
    from crawler.listings import feed_entries, sitemap_entries

    feed = (b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE rss [<!ENTITY e '
            b'"http://169.254.169.254/latest/">]><rss><channel><item><link>&e;</link></item>'
            b"<item><link>http://127.0.0.1/ok</link></item></channel></rss>")
    assert [e.url for e in feed_entries(feed, "http://127.0.0.1/")] == ["http://127.0.0.1/ok"]
    sitemap = feed.replace(b"<rss><channel><item><link>&e;</link></item>", b"<urlset><url>"
                           b"<loc>&e;</loc></url>").replace(
        b"<item><link>http://127.0.0.1/ok</link></item></channel></rss>",
        b"<url><loc>http://127.0.0.1/ok</loc></url></urlset>")
    assert [e.url for e in sitemap_entries(sitemap)] == ["http://127.0.0.1/ok"]


# -- extraction time limit ------------------------------------------------------------------


def extract_with_limit(pages: list[tuple[str, bytes]], timeout: float) -> list[dict]:
    """Run pages through a one-worker ExtractionPipeline with ``timeout`` (in this process)."""
    from scrapy.utils.test import get_crawler

    from crawler.pipelines import ExtractionPipeline

    async def run() -> list[dict]:
        crawler = get_crawler(settings_dict={"NEWSCRAWL_EXTRACT_WORKERS": 1,
                                             "NEWSCRAWL_EXTRACT_TIMEOUT": timeout})
        pipeline = ExtractionPipeline.from_crawler(crawler)
        pipeline.open_spider()
        try:
            return [await pipeline.process_item({"body": body, "url": url})
                    for url, body in pages]
        finally:
            pipeline.close_spider()

    return asyncio.run(run())


def test_ten_thousand_nested_divs_do_not_stall_or_kill_extraction():
    """Under a tight limit the deep page either finishes or times out;
    either way the pool survives and the next page is extracted. The limit firing on a
    page that truly hangs is tested deterministically in tests/test_pipelines.py."""
    story = (ROOT / "fixtures/demo-site/articles/housing-starts-rise.html").read_bytes()
    nested = b"<html><body>" + b"<div>x " * 10_000 + b"</div>" * 10_000 + b"</body></html>"
    pages = [("http://127.0.0.1/a1", story), ("http://127.0.0.1/nested", nested),
             ("http://127.0.0.1/a2", story)]
    first, deep, after = extract_with_limit(pages, timeout=0.15)
    assert first["article"]["is_article"] and after["article"]["is_article"]
    assert deep.get("extract_error") == "timeout after 0.15s" or "article" in deep


# -- input faults (the others are in tests/test_crawl.py) -----------------------------------

RULE_BAD_XPATH = 'domains = ["127.0.0.1"]\n[[layout]]\nname = "x"\nbody = "//div[@class="\n'
RULE_BAD_CSS = 'domains = ["127.0.0.1"]\n[[layout]]\nname = "x"\ndrop = ["p >> > i"]\n'


@pytest.mark.parametrize(("files", "args", "message"), [
    ({"sites.toml": "[[site]\nstart = 1"}, ["--config", "{tmp}/sites.toml"], "sites.toml"),
    ({"sites.toml": '[sites.local]\nstart_urls = ["{url}"]\nbogus_key = 1\n'},
     ["--config", "{tmp}/sites.toml"], "bogus_key"),
    ({"rules/x.toml": RULE_BAD_XPATH}, ["{url}", "--rules", "{tmp}/rules"], "x.toml"),
    ({"rules/x.toml": RULE_BAD_CSS}, ["{url}", "--rules", "{tmp}/rules"], "x.toml"),
    ({}, ["file:///etc/hostname"], "invalid start URL"),
    ({}, ["data:text/html,<p>x</p>"], "invalid start URL"),
    ({}, ["http://[::1/"], "invalid start URL"),
    ({}, ["{url}", "--max-pages", "-3"], "--max-pages"),
    ({}, ["{url}", "--bogus"], "No such option"),
    ({}, ["{url}", "-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY takes a number"),
    ({}, ["{url}", "-s", "ROBOTSTXT_OBEY=maybe"], "ROBOTSTXT_OBEY takes true or false"),
    # a start URL its offsite check would refuse (exit 1), one no connection can go to
    ({}, ["http://localhost./news"], "ends with a dot"),
    ({}, ["http://127.0.0.1:0/"], "port 0"),
    # a host no DNS lookup can be made for: the request never ended, and the crawl hung
    ({}, [f"http://{'a' * 70}.example/"], "is not a host name"),
    ({}, ["http://xn--zz-\u00e9.example/"], "is not a host name"),
    # a limit SQLite cannot hold (a traceback mid-crawl, exit 0), workers by the thousand
    # (the machine's memory, gone)
    ({}, ["{url}", "--max-depth", "99999999999999999999"], "--max-depth"),
    ({"sites.toml": '[sites.local]\nstart_urls = ["{url}"]\nmax_depth = 99999999999999999999\n'},
     ["--config", "{tmp}/sites.toml"], "sites.local.max_depth"),
    ({}, ["{url}", "--workers", "100000"], "--workers"),
    # "" is Path("."): the working directory's *.toml files were read as site rules
    ({}, ["{url}", "--rules", ""], "'--rules': an empty path"),
    ({}, ["{url}", "--config", ""], "'--config': an empty path"),
    # no request at a time: none is ever sent, and the crawl never ends
    ({}, ["{url}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=0"], "takes a number of 1 or more"),
    ({}, ["{url}", "-s", "CONCURRENT_REQUESTS=0"], "takes a number of 1 or more"),
    ({}, ["{url}", "-s", "CONCURRENT_ITEMS=0"], "takes a number of 1 or more"),
    ({}, ["{url}", "-s", "NEWSCRAWL_EXTRACT_WORKERS=100000"], "takes a number of at most"),
    # the same for one host's slot (it hung); a key Scrapy ignores; a value it cannot read
    # (the braces doubled: the arguments go through str.format)
    ({}, ["{url}", "-s", 'DOWNLOAD_SLOTS={{"127.0.0.1": {{"concurrency": 0}}}}'],
     "slot '127.0.0.1': concurrency takes a whole number of 1 or more"),
    ({}, ["{url}", "-s", 'DOWNLOAD_SLOTS={{"127.0.0.1": {{"dealy": 2}}}}'], "no such key 'dealy'"),
    ({}, ["{url}", "-s", "DOWNLOAD_SLOTS=127.0.0.1"], "DOWNLOAD_SLOTS takes a JSON object"),
    # a value that may hold a secret is not shown
    ({}, ["{url}", "-s", "DEFAULT_REQUEST_HEADERS=Authorization: Bearer s3cr3t"],
     "--set DEFAULT_REQUEST_HEADERS=(hidden): DEFAULT_REQUEST_HEADERS takes a JSON object"),
])  # fmt: skip
def test_input_faults_are_one_line_before_any_request(tmp_path, files, args, message):
    with FaultServer() as server:
        url = server.url("/ok/1.html")
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text.replace("{url}", url))
        run = newscrawl("crawl", *[a.format(tmp=tmp_path, url=url) for a in args],
                        "--db", str(tmp_path / "n.db"), "--allow-private")
        assert server.hits == []
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert message in lines[-1] and "Traceback" not in run.stderr
    assert len(lines) == 1 and lines[0].startswith("newscrawl: error: ")
    assert not (tmp_path / "n.db").exists()


# -- storage faults -----------------------------------------------------------------------


def test_disk_full_is_a_clear_error_and_the_committed_data_survives(tmp_path):
    db = storage.open_db(tmp_path / "full.db")
    run_id = storage.start_run(db, {})
    item = {"url": "http://127.0.0.1/a", "site": "127.0.0.1", "status": 200,
            "fetched_at": "2025-01-01T00:00:00Z", "body": b"<p>kept</p>"}
    storage.write_batch(db, [storage.page_row(item, run_id)], [])
    pages_now = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages_now + 2}")  # the disk is now full
    noise = random.Random(1)  # bodies zlib cannot shrink: more than the free pages hold
    big = [storage.page_row({**item, "url": f"http://127.0.0.1/{i}",
                             "body": noise.randbytes(100_000)}, run_id) for i in range(20)]
    with pytest.raises(storage.StorageError) as error:
        storage.write_batch(db, big, [])
    assert "rolled back" in str(error.value) and "full" in str(error.value)
    assert "\n" not in str(error.value)
    db.close()
    assert rows(tmp_path / "full.db", "SELECT url FROM pages") == [("http://127.0.0.1/a",)]
    assert rows(tmp_path / "full.db", "PRAGMA integrity_check") == [("ok",)]


def damage_index(path: Path, index: str) -> None:
    """Overwrite the root page of one of the database's indexes, as a bad sector would."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            [index]).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as file:
        file.seek((root - 1) * size)
        file.write(b"\xff" * size)


@pytest.mark.parametrize(("index", "command"), [
    ("idx_pages_site", "crawl"),  # found by a batch's write
    ("idx_frontier_site_state", "crawl"),  # by the reads after the crawl (a traceback, 1)
    ("sqlite_autoindex_frontier_1", "crawl"),  # as the run begins (exit 1, no advice,
    # and CoreStats' traceback: Scrapy closed a spider its pipeline had left half open)
    ("sqlite_autoindex_migrations_1", "crawl"),  # as the file opens (no advice)
    ("idx_articles_site_published", "reextract"),  # by its writes (exit 1, no advice)
])
def test_a_damaged_database_is_no_failure_a_rerun_cures(tmp_path, index, command):
    """A write that finds the file corrupt (SQLITE_CORRUPT) ended as exit 1, "rerun to
    resume": cron ran it again and again, fetching the same pages each time. It is exit 2,
    and the line says what to do, wherever the damage is found."""
    server, url = demo_site_server()
    base = url + "articles/"
    db = tmp_path / "n.db"
    try:
        first = newscrawl("crawl", base + "harbour-wind-farm-approved.html", "--db", str(db),
                          "--allow-private", "--max-depth", "0", *BASE)
        assert first.returncode == 0, first.stderr[-2000:]
        damage_index(db, index)
        if command == "crawl":
            run = newscrawl("crawl", base + "housing-starts-rise.html", "--db", str(db),
                            "--allow-private", "--max-depth", "0", *BASE)
        else:
            run = newscrawl("reextract", "--db", str(db), "--workers", "1")
    finally:
        server.shutdown()
    assert run.returncode == 2, run.stderr[-2000:]
    last = run.stderr.strip().splitlines()[-1]
    assert "malformed" in last and "the database file is damaged" in last
    assert "integrity_check" in last and "NotFoundError" not in run.stderr
    if index != "idx_frontier_site_state":  # (found by the spider once the crawl began,
        assert "Traceback" not in run.stderr  # where Scrapy logs its own errors)


def test_pages_that_answer_then_stall_fail_alone_not_their_host(tmp_path):
    """Six pages that send their headers, then stall, timed out together with no other
    answer between them: counted as failures to connect, they gave the host up for the run,
    and its stories, after them in the queue, were never fetched (each run alike)."""
    with FaultServer() as server:
        run = newscrawl("crawl", server.url("/list/drips"), "--db", str(tmp_path / "n.db"),
                        "--allow-private", *BASE, "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0",
                        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=6")
    assert "given up for this run" not in run.stderr
    stored = rows(tmp_path / "n.db", "SELECT url FROM pages WHERE url LIKE '%after-drip%'")
    assert len(stored) == 3, run.stderr[-3000:]


def test_an_endless_chain_of_sitemap_indexes_ends(tmp_path):
    """Each index listing the next held a run as long as the server made new ones (neither
    --max-depth nor --max-pages counts sitemaps); counted per run only, each next run went
    four deeper (a review)."""
    from crawler.spiders.news import MAX_SITEMAP_NESTING

    with FaultServer() as server:
        for _ in range(2):  # the next run reads the indexes it knows from the frontier
            run = newscrawl("crawl", server.url("/sitemap-chain/0.xml"), "--db",
                            str(tmp_path / "n.db"), "--allow-private", *BASE, timeout=120)
            assert "sitemap_nesting: 1" in run.stdout and "left queued" in run.stdout
        fetched = {n for n in range(100) if server.count(f"/sitemap-chain/{n}.xml")}
    assert fetched == set(range(MAX_SITEMAP_NESTING + 1))
    assert rows(tmp_path / "n.db", "SELECT count(*) FROM frontier WHERE state = 'queued'"
                ) == [(0,)]


def test_a_timeout_before_any_answer_still_counts_against_the_host():
    from types import SimpleNamespace

    from scrapy import signals
    from scrapy.core.downloader import Downloader
    from scrapy.exceptions import DownloadTimeoutError
    from scrapy.http import Headers

    import crawler.middlewares as middlewares

    crawler = get_crawler(settings_dict={})
    crawler.engine = SimpleNamespace(downloader=Downloader(crawler))
    middleware = middlewares.DeadHostMiddleware.from_crawler(crawler)
    slow = [Request(f"http://a.example/drip/{n}") for n in range(3)]
    for request in slow:
        crawler.signals.send_catch_log(signals.headers_received, headers=Headers(),
                                       body_length=100, request=request, spider=None)
    for request in slow:
        middleware.process_exception(request, DownloadTimeoutError("timed out"))
    assert middleware.given_up == set()
    for n in range(3):  # no headers: the host does not answer
        middleware.process_exception(Request(f"http://a.example/silent/{n}"),
                                     DownloadTimeoutError("timed out"))
    assert middleware.given_up == {"a.example:80"}


def test_every_answer_tells_a_host_is_alive_a_redirect_too():
    """The dead-host count only heard the answers that came back through the middlewares
    after it: three timeouts with 301s between them gave up a live site."""
    from types import SimpleNamespace

    from scrapy import signals
    from scrapy.core.downloader import Downloader
    from scrapy.exceptions import DownloadTimeoutError
    from scrapy.http import Response

    import crawler.middlewares as middlewares

    crawler = get_crawler(settings_dict={})
    crawler.engine = SimpleNamespace(downloader=Downloader(crawler))
    middleware = middlewares.DeadHostMiddleware.from_crawler(crawler)
    for n in range(3):
        middleware.process_exception(Request(f"http://a.example/slow/{n}"),
                                     DownloadTimeoutError("timed out"))
        moved = Request(f"http://a.example/moved/{n}")
        crawler.signals.send_catch_log(signals.response_downloaded, request=moved,
                                       response=Response(moved.url, status=301), spider=None)
    assert middleware.given_up == set()
    middleware.process_request(Request("http://a.example/story"))  # sent


def test_a_run_cut_short_by_a_second_signal_records_what_it_stored(tmp_path):
    """A forced shutdown never closes the spider: its run was recorded with the pages it
    fetched (42) where it stored none."""
    from crawler.runner import _close_unfinished

    db = storage.open_db(tmp_path / "n.db")
    run_id = storage.start_run(db, {})
    db.close()
    stats = {"newscrawl/run_id": run_id, "newscrawl/pages": 42}
    _close_unfinished(tmp_path / "n.db", run_id, "interrupted", stats)
    assert rows(tmp_path / "n.db", "SELECT status, pages_fetched FROM runs") == [
        ("interrupted", 0)]


def test_a_run_whose_committed_counts_cannot_be_read_is_still_recorded():
    """The read of run_sites failing (a damaged page) skipped the run's record: it stayed
    `running`. Its stats' counts are recorded instead."""
    from crawler.status import final_counts

    class Damaged:
        def execute(self, *args):
            raise sqlite3.DatabaseError("database disk image is malformed")

    stats = {"newscrawl/run_id": 2, "newscrawl/pages": 40, "newscrawl/stored/pages": 5}
    assert final_counts(Damaged(), 2, stats)["pages_fetched"] == 40


def no_room(*args: str) -> subprocess.CompletedProcess:
    """newscrawl with no room to write a byte (RLIMIT_FSIZE 0: every write fails as on a
    full disk, and SQLite reports a "disk I/O error"), as any user can set it up."""
    import resource

    command = [sys.executable, "-m", "crawler", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=90,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)))


def test_a_full_disk_at_the_start_is_a_failure_not_bad_input(tmp_path):
    """Exit 1 (running again may work once there is room), not 2 (bad input, "retrying
    will not help"), with one line that says what to do; a database it was creating is
    removed, one that was there is kept."""
    new = tmp_path / "new.db"
    run = no_room("crawl", "http://127.0.0.1:9/", "--allow-private", "--db", str(new))
    assert run.returncode == 1, run.stderr
    assert run.stderr.splitlines() == [f"newscrawl: error: {new}: disk I/O error: free some "
                                       "disk space or check the device, then run again"]
    assert list(tmp_path.iterdir()) == []
    db = tmp_path / "news.db"
    storage.open_db(db).close()  # closed cleanly: the next reader must make its -shm file
    for args in (["status"], ["search", "wind"], ["export", "--format", "jsonl", "-o", "-"],
                 ["reextract"], ["crawl", "http://127.0.0.1:9/", "--allow-private"]):
        run = no_room(*args, "--db", str(db))
        assert run.returncode == 1, (args, run.stderr)
        assert run.stderr.splitlines() == [
            f"newscrawl: error: {db}: SQLite could not read it (disk I/O error): the disk is "
            "full or failing, the file itself may be fine; free some disk space or check the "
            "device, then run again"], args
    assert rows(db, "SELECT count(*) FROM migrations") == [(len(storage.MIGRATIONS),)]



class LockFileOs:
    """The os module as crawler.lock sees it, with `call` failing with `errno`."""

    def __init__(self, call: str, errno: int):
        self.call, self.errno = call, errno

    def __getattr__(self, name):
        import os

        if name != self.call:
            return getattr(os, name)

        def failing(*args):
            raise OSError(self.errno, os.strerror(self.errno))
        return failing


@pytest.mark.parametrize(("call", "errno", "code", "says"), [
    ("open", 13, 2, "cannot open its lock file {lock}: Permission denied"),
    ("pwrite", 28, 1, "cannot write its lock file {lock}: No space left on device: free some "
                      "disk space or check the device, then run again"),
])  # fmt: skip
def test_a_lock_file_it_cannot_use_is_one_line_and_leaves_no_new_database(
        tmp_path, monkeypatch, call, errno, code, says):
    """crawl and reextract: one line naming the lock file and the cause; a permission is bad
    input (2), a full disk a failure (1); the database a crawl was creating is removed."""
    from click.testing import CliRunner

    import crawler.lock
    from crawler.cli import cli

    monkeypatch.setattr(crawler.lock, "os", LockFileOs(call, errno))
    runner = CliRunner()
    new = tmp_path / "new.db"
    result = runner.invoke(cli, ["crawl", "http://127.0.0.1:9/", "--allow-private",
                                 "--db", str(new)])
    assert result.exit_code == code, result.output
    lock = f"{tmp_path}/new.db.lock"
    assert result.stderr.splitlines() == [f"newscrawl: error: {new}: {says.format(lock=lock)}"]
    assert list(tmp_path.iterdir()) == []
    db = tmp_path / "news.db"
    storage.open_db(db).close()
    result = runner.invoke(cli, ["reextract", "--db", str(db)])
    assert result.exit_code == code, result.output
    lock = f"{tmp_path}/news.db.lock"
    assert result.stderr.splitlines() == [f"newscrawl: error: {db}: {says.format(lock=lock)}"]
    assert db.exists()


def test_a_page_whose_meta_refresh_names_itself_is_stored(tmp_path):
    """A live blog reloading itself every minute is a page, not a redirect: followed, it
    was dropped as a duplicate request and never stored, with exit code 0."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    story = (ROOT / "fixtures" / "demo-site" / "articles" / "mackerel-quota-dispute.html"
             ).read_text("utf-8").replace("mackerel-quota-dispute", "mackerel-quota-talks-live")
    live = "__BASE_URL__/articles/mackerel-quota-talks-live.html"
    refresh = f'<meta http-equiv="refresh" content="60; url={live}">'
    (site / "articles" / "mackerel-quota-talks-live.html").write_text(
        story.replace("<head>", "<head>" + refresh, 1), "utf-8")
    (site / "moved.html").write_text(  # a redirect by meta refresh, followed as before
        f'<html><head><meta http-equiv="refresh" content="0; url={live}"></head></html>')
    with serve_site(site) as server:
        runs = {start: newscrawl("crawl", f"{server.base_url}/{start}", "--db",
                                 str(tmp_path / f"{Path(start).stem}.db"), *BASE,
                                 "--allow-private",
                                 "--max-depth", "0")
                for start in ("articles/mackerel-quota-talks-live.html", "moved.html")}
        stored = [(f"{server.base_url}/articles/mackerel-quota-talks-live.html",)]
    for start, run in runs.items():
        assert run.returncode == 0, run.stderr[-2000:]
        assert sqlite3.connect(tmp_path / f"{Path(start).stem}.db").execute(
            "SELECT page_url FROM articles").fetchall() == stored


@pytest.mark.parametrize(("page", "chain", "refresh", "followed"), [
    ("https://n.example/live", [], "https://n.example/live#top", False),
    ("https://n.example/live", [], "/./live", False),  # the same URL, as the filter sees it
    ("https://n.example/live/b", ["https://n.example/live/a"], "/live/a", False),  # A 301 B
    ("https://n.example/live", [], "/elsewhere", True),
])
def test_a_meta_refresh_back_to_the_page_or_its_redirects_is_not_followed(
        page, chain, refresh, followed):
    from scrapy.http import HtmlResponse

    middleware = MetaRefreshMiddleware.from_crawler(get_crawler())
    request = Request(page, meta={"redirect_urls": chain} if chain else {})
    body = f'<html><head><meta http-equiv="refresh" content="60; url={refresh}"></head></html>'
    response = HtmlResponse(page, body=body.encode(), request=request)
    assert isinstance(middleware.process_response(request, response), Request) is followed


def test_a_redirect_to_another_scheme_is_one_warning_per_host(caplog):
    """As a refused address is (README: one WARNING line the first time, DEBUG after): the
    spider logs the refusal at DEBUG, since the middleware said why, and this one said
    nothing, so a start URL redirecting to `javascript:` failed its site with no line
    naming the redirect."""
    from crawler.middlewares import DestinationRefused

    middleware = RedirectLoopMiddleware.from_crawler(get_crawler())
    for path in ("a", "b"):
        request = Request(f"https://n.example/{path}")
        response = Response(request.url, status=302, request=request,
                            headers={"Location": "javascript:alert(1)"})
        with caplog.at_level(logging.DEBUG, "crawler.middlewares"), \
                pytest.raises(DestinationRefused):
            middleware.process_response(request, response)
    said = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert said == [
        (logging.WARNING, "refused https://n.example/a: redirect to a javascript: URL refused:"
                          " javascript:alert(1)"),
        (logging.DEBUG, "refused https://n.example/b: redirect to a javascript: URL refused:"
                        " javascript:alert(1)")]


@pytest.mark.parametrize("location", [
    "http://n.example:99999/story",  # a port out of range
    "https://n.example:443:80/story",  # a port that is no number
    "http://[::1/story",  # an IPv6 host left open
])
def test_a_redirect_to_no_url_is_refused(location):
    """Refused as a redirect to another scheme is, so the URL that redirected is skipped as
    `refused_url`. Scrapy's RedirectMiddleware (or urljoin) raised a ValueError instead: the
    URL was recorded failed (`other`, "Port out of range 0-65535"), a fetch error retried
    by every run."""
    middleware = RedirectLoopMiddleware.from_crawler(get_crawler())
    request = Request("https://n.example/a")
    response = Response(request.url, status=301, request=request,
                        headers={"Location": location})
    with pytest.raises(DestinationRefused, match="redirect to no URL to crawl"):
        middleware.process_response(request, response)


@pytest.mark.parametrize("refresh", ["javascript:alert(1)", "mailto:desk@n.example",
                                     "tel:+3725550000", "file:///etc/hostname"])
def test_a_meta_refresh_to_another_scheme_leaves_the_page_as_it_is(refresh):
    """Not followed, as Scrapy leaves one to `file:` or `data:`: one to a URL without `//`
    (`javascript:`, `mailto:`) made Scrapy's `Request` raise, and the page was recorded
    failed (`other`, "Missing scheme"), a fetch error retried every run, never stored."""
    from scrapy.http import HtmlResponse

    middleware = MetaRefreshMiddleware.from_crawler(get_crawler())
    request = Request("https://n.example/story")
    body = f'<html><head><meta http-equiv="refresh" content="0; url={refresh}"></head></html>'
    response = HtmlResponse(request.url, body=body.encode(), request=request)
    assert middleware.process_response(request, response) is response


def test_a_redirected_request_keeps_only_its_targets_own_validators(tmp_path):
    """Scrapy copies the validators of the URL that redirected. A redirecting listing's
    row holds its target's (the final answer's): kept, so it answers 304. A moved article's
    old page held its own: sent to the new URL, it could answer 304, never stored."""
    from crawler import storage
    from crawler.scheduling import STORAGE_PIPELINE

    db_path = tmp_path / "news.db"
    db = storage.open_db(db_path)
    row = {"site": "n.example", "source": "start", "state": "fetched", "discovered_at": "x",
           "etag": '"v1"', "last_modified": "Mon, 30 Nov 2026 10:00:00 GMT", "kind": "hub"}
    db["frontier"].insert_all([
        row | {"url": "https://n.example/news/"},
        row | {"url": "https://n.example/news/index.html"},
        # answered only 304s, to the validators of the URL that redirected to it (before
        # this check): they are not its own
        row | {"url": "https://n.example/2026/old-damage", "kind": None}])
    db.close()
    crawler = get_crawler(settings_dict={"NEWSCRAWL_DB": str(db_path),
                                         "ITEM_PIPELINES": {STORAGE_PIPELINE: 300}})
    middleware = RedirectLoopMiddleware.from_crawler(crawler)
    headers = {"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 30 Nov 2026 10:00:00 GMT"}

    def sent(url, **changed):
        request = Request(url, headers=headers | changed,
                          meta={"redirect_urls": ["https://n.example/a"]})
        middleware.process_request(request)
        return "If-None-Match" in request.headers, "If-Modified-Since" in request.headers

    assert sent("https://n.example/news/") == (True, True)  # /news -> /news/, its own
    assert sent("https://n.example/2026/new-slug") == (False, False)  # never fetched
    assert sent("https://n.example/news/", **{"If-None-Match": '"old"'}) == (False, False)
    assert sent("https://n.example/2026/old-damage") == (False, False)
    # two hops, /news -> /news/first-hop -> /news/index.html: they wait for the hop they fit
    first = Request("https://n.example/news/first-hop", headers=headers,
                    meta={"redirect_urls": ["https://n.example/news"]})
    middleware.process_request(first)
    assert "If-None-Match" not in first.headers
    second = first.replace(url="https://n.example/news/index.html",
                           meta={**first.meta, "redirect_urls": [
                               "https://n.example/news", "https://n.example/news/first-hop"]})
    middleware.process_request(second)
    assert second.headers.get("If-None-Match") == b'"v1"'
    assert second.headers.get("If-Modified-Since") == b"Mon, 30 Nov 2026 10:00:00 GMT"
    unredirected = Request("https://n.example/2026/new-slug", headers=headers)
    middleware.process_request(unredirected)
    assert "If-None-Match" in unredirected.headers  # the frontier's own, for this URL
    middleware.spider_closed()


def test_a_304_to_a_request_without_validators_is_a_failure_tried_again(tmp_path):
    """A 304 Not Modified to a request that named no version (no If-None-Match, no
    If-Modified-Since: a cache's fault) has no page in it. Taken as "unchanged", it marked a
    story never fetched as fetched: it was never stored, and later runs skipped it as known."""
    db = tmp_path / "n.db"
    with FaultServer() as server:
        story = server.url("/unasked-304/story.html")
        command = ["crawl", server.url("/sitemap/unasked-304.xml"), "--db", str(db),
                   "--allow-private", "--max-depth", "1", *BASE]
        first = newscrawl(*command)
        assert first.returncode == 0, first.stderr[-2000:]
        assert rows(db, "SELECT state, reason FROM frontier WHERE url = ?", story) == [
            ("failed", "http_304")]
        assert "0 unchanged (304)" in first.stdout
        assert f"{story}: http_304 (" in first.stderr  # one WARNING line, as for a 404
        second = newscrawl(*command)
        assert second.returncode == 0, second.stderr[-2000:]
        assert server.count("/unasked-304/story.html") == 2
    assert article(db, story) is not None


class NoBodyCrawl:
    """Two runs over a sitemap of answers with no page in them: a 204 (to the URL listed, or
    at the end of its redirect), a 302 with an empty Location, zstd bodies that do not
    decompress; each 204 answers the article the second time it is asked."""

    def __init__(self, tmp: Path):
        self.server = FaultServer()
        self.db = tmp / "n.db"
        command = ["crawl", self.server.url("/sitemap/no-body.xml"), "--db", str(self.db),
                   "--allow-private", "--max-depth", "1", *BASE]
        self.first = newscrawl(*command)
        self.first_rows = self.frontier()
        self.second = newscrawl(*command)

    def frontier(self) -> dict[str, tuple]:
        return {url.split("/", 3)[3]: (state, reason) for url, state, reason in
                rows(self.db, "SELECT url, state, reason FROM frontier")}


@pytest.fixture(scope="module")
def no_body(tmp_path_factory):
    crawl = NoBodyCrawl(tmp_path_factory.mktemp("no-body"))
    yield crawl
    crawl.server.close()


def test_a_crawl_of_answers_without_a_page_runs_and_keeps_its_control(no_body):
    for run in (no_body.first, no_body.second):
        assert run.returncode == 0, run.stderr[-2000:]
    assert no_body.first_rows["ok/no-body-control.html"] == ("fetched", None)


def test_a_204_is_a_failure_the_next_run_tries_again(no_body):
    """No Content is no page and no verdict on the URL (a site in maintenance): it was
    skipped as `not_html`, a reason never tried again, and the story was never stored."""
    rows_then = no_body.first_rows
    assert rows_then["no-content/story.html"] == ("failed", "http_204")
    assert rows_then["no-content/moved.html"] == ("failed", "http_204")  # at the redirect's end
    assert "no-content/story.html: http_204 (" in no_body.first.stderr
    assert no_body.server.count("/no-content/story.html") == 2
    assert no_body.server.count("/no-content/landed") == 2
    for path in ("/no-content/story.html", "/no-content/landed"):  # (one story: one article)
        assert page(no_body.db, no_body.server.url(path))[:2] == (200, 1)


def test_a_redirect_with_an_empty_location_is_refused_as_no_url(no_body):
    """Followed, an empty Location was a redirect to the URL itself, which the duplicate
    filter dropped: skipped as `redirect_duplicate`, which it is not."""
    assert no_body.first_rows["redirect/empty"] == ("skipped", "refused_url")
    assert "redirect to no URL to crawl (empty Location)" in no_body.first.stderr


@pytest.mark.parametrize("path", ["/zstd/truncated", "/zstd/dictionary"])
def test_a_zstd_body_that_does_not_decompress_is_a_connection_error(no_body, path):
    """As a gzip or brotli one is: a data loss, tried again. A truncated one was stored as
    far as it went (a page, fetched, never fetched again), one that did not decompress
    failed as `other` ("Dictionary mismatch")."""
    assert no_body.first_rows[path[1:]] == ("failed", "connection")
    assert page(no_body.db, no_body.server.url(path)) is None
    assert no_body.server.count(path) >= 2  # (the first run's retry, RETRY_TIMES=1)


@pytest.mark.parametrize(("path", "settings", "fails"), [
    ("/ok/" + "a" * 2100, [], True),
    ("/ok/" + "é" * 700, [], True),  # 700 characters, 4,200 once percent-encoded
    ("/ok/" + "a" * 2100, ["-s", "URLLENGTH_LIMIT=5000"], False),
    ("/ok/" + "a" * 2000 + "#" + "f" * 100, [], False),  # not requested with its fragment
])  # fmt: skip
def test_a_start_url_too_long_to_request_is_bad_input_in_one_line(tmp_path, path, settings,
                                                                   fails):
    """Scrapy's UrlLengthMiddleware dropped it with one INFO line, and the run said ok; then
    it failed its run (exit 1, a 100 kB URL in the message); now no run begins (exit 2)."""
    with FaultServer() as server:
        run = newscrawl("crawl", server.url(path), "--db", str(tmp_path / "n.db"),
                        "--allow-private", "--max-depth", "0", *settings)
        if fails:
            assert server.hits == []
    if fails:
        assert run.returncode == 2, run.stderr
        (line,) = run.stderr.strip().splitlines()
        assert line.endswith("over URLLENGTH_LIMIT (2083)") and len(line) < 400, line
        assert not (tmp_path / "n.db").exists()
    else:
        assert "url_too_long" not in run.stderr and "URLLENGTH" not in run.stderr
