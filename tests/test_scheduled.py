"""Scheduled crawls end to end, through the real CLI in subprocesses, against 127.0.0.1.

* SIGKILL at random points of a crawl, then the same command again: exactly the expected
  articles, each written once (a trigger counts every write);
* a rerun against an unchanged site fetches no article page (the server counts requests);
* one new entry in the feed and the sitemap: the rerun fetches only that article (and
  robots.txt once a run);
* ``--since`` skips older sitemap entries, and a later run without it (or with an earlier
  date) fetches them; a per-site budget leaves the rest queued;
* overlapping runs are refused (exit 4); a config error comes before any request (exit 2);
  a dead site among good ones makes the run partial (exit 3); ``status`` shows the sites.
* ``CLOSESPIDER_PAGECOUNT`` ends a run that stored pages with exit 0; SIGTERM exits 5.

Set NEWSCRAWL_KILL_SEED to replay a particular sequence of kill points.
"""

from __future__ import annotations

import functools
import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler import storage
from crawler.demo import DemoRequestHandler, DemoServer, serve_site
from crawler.listings import LISTING_FLOOR, sitemap_entries
from crawler.lock import crawl_lock, lock_path
from tests.ports import refusing_port
from tests.processes import children

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo-site"
EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
ARTICLES = sorted(EXPECTED["articles"])
FAST = ["--log-level", "WARNING", "--workers", "1", "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "RETRY_TIMES=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
        "-s", "NEWSCRAWL_ALLOW_PRIVATE=true"]  # the test sites are on 127.0.0.1
DELAY = 0.12  # seconds per response: slow enough for a kill to land mid-crawl


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "crawler", *args]


def newscrawl(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def article_paths(paths: list[str]) -> list[str]:
    return [p for p in paths if p.startswith("/articles/")]


def stored_paths(db: Path) -> list[str]:
    return sorted("/" + u.split("/", 3)[3] for (u,) in rows(db, "SELECT page_url FROM articles"))


def count_article_writes(db: Path) -> None:
    """A fresh database whose every article insert or update is logged in article_writes."""
    storage.open_db(db).close()
    with sqlite3.connect(db) as conn:
        conn.executescript("""
            CREATE TABLE article_writes (url TEXT);
            CREATE TRIGGER count_insert AFTER INSERT ON articles
                BEGIN INSERT INTO article_writes VALUES (new.url); END;
            CREATE TRIGGER count_update AFTER UPDATE ON articles
                BEGIN INSERT INTO article_writes VALUES (new.url); END;""")


def kill_after(args: list[str], server, db: Path, point: tuple[str, int]) -> int:
    """Start a crawl and SIGKILL its whole process group once the server has answered
    ``n`` more requests (``("requests", n)``) or ``n`` more articles were committed
    (``("articles", n)``); the crawl's exit code if it ends first."""
    kind, n = point
    requests, articles = len(server.requested_paths), len(stored_paths(db))
    process = subprocess.Popen(command(*args), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        done = (len(server.requested_paths) - requests if kind == "requests"
                else len(stored_paths(db)) - articles)
        if done >= n:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return -9
        time.sleep(0.01)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


@pytest.fixture(scope="module")
def slow_demo():
    with serve_site(DEMO, delay=DELAY) as server:
        yield server


def test_sigkill_at_random_points_then_rerun(tmp_path, slow_demo):
    seed = int(os.environ.get("NEWSCRAWL_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    kill_points = [("requests", rng.randint(3, 14)) if i % 2 else ("articles", rng.randint(1, 2))
                   for i in range(5)]  # fmt: skip
    db = tmp_path / "news.db"
    count_article_writes(db)
    args = ["crawl", f"{slow_demo.base_url}/", "--db", str(db), *FAST,
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",  # one page at a time: a longer crawl
            "-s", "NEWSCRAWL_BATCH_SECONDS=0.2"]  # commit often, so kills land between commits
    outcomes, progress = [], []
    for point in kill_points:
        outcomes.append(kill_after(args, slow_demo, db, point))
        progress.append(len(stored_paths(db)))
    context = f"seed {seed}, kill points {kill_points}, outcomes {outcomes}, stored {progress}"
    assert outcomes.count(-9) >= 3, context  # most runs really were killed mid-crawl
    assert any(0 < n < len(ARTICLES) for n in progress), context  # after some commits
    final = newscrawl(*args)
    assert final.returncode == 0, context + final.stderr[-2000:]
    assert stored_paths(db) == ARTICLES, context
    writes = rows(db, "SELECT url, count(*) FROM article_writes GROUP BY url")
    assert len(writes) == len(ARTICLES) and {n for _, n in writes} == {1}, context
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)], context
    # and a run against the unchanged site fetches no article page
    before = len(slow_demo.requested_paths)
    again = newscrawl(*args)
    assert again.returncode == 0, again.stderr[-2000:]
    assert article_paths(slow_demo.requested_paths[before:]) == []
    assert "0 new URLs" in again.stdout


def test_one_new_entry_in_feed_and_sitemap_is_the_only_article_fetched(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        args = ["crawl", f"{server.base_url}/", "--db", str(db), *FAST]
        assert newscrawl(*args).returncode == 0
        first = list(server.requested_paths)
        add_article(site, "harbour-wind-farm-approved", "harbour-wind-farm-expanded")
        rerun = newscrawl(*args)
        fetched = server.requested_paths[len(first):]
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    # robots.txt once a run: the copy fetched to obey it is the one read for its sitemaps
    assert first.count("/robots.txt") == fetched.count("/robots.txt") == 1
    assert article_paths(fetched) == ["/articles/harbour-wind-farm-expanded.html"]
    assert "/articles/harbour-wind-farm-expanded.html" in stored_paths(db)
    assert len(stored_paths(db)) == len(ARTICLES) + 1
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)]


def test_a_former_start_url_that_is_gone_does_not_fail_a_run_of_other_start_urls(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        first = newscrawl("crawl", f"{server.base_url}/world/", "--db", str(db), *FAST)
        shutil.rmtree(site / "world")  # the first run's start URL now answers 404
        rerun = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), *FAST)
    assert first.returncode == 0, first.stderr[-2000:]
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert rows(db, "SELECT status FROM runs ORDER BY id") == [("ok",), ("ok",)]


def test_a_start_url_taken_out_of_the_config_is_not_fetched_again(tmp_path):
    """An earlier run's start URL (a section, a feed) that nothing links was looked at again
    by every later run, for good, however the config changed."""
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    (site / "extra").mkdir()
    (site / "extra" / "index.html").write_text(
        "<html><body><h1>Extra</h1><a href='/articles/harbour-wind-farm-approved.html'>"
        "Harbour</a></body></html>", "utf-8")
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        first = newscrawl("crawl", f"{server.base_url}/", f"{server.base_url}/extra/",
                          "--db", str(db), *FAST)
        before = len(server.requested_paths)
        rerun = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), *FAST)
        fetched = server.requested_paths[before:]
    assert first.returncode == 0 and rerun.returncode == 0, rerun.stderr[-2000:]
    assert "/extra/" in server.requested_paths[:before] and "/extra/" not in fetched
    assert "/" in fetched  # this run's start URL, and the listings it links, as before


def test_a_start_url_redirected_to_an_earlier_runs_start_url_that_is_gone_fails_its_run(
        tmp_path):
    """The earlier start URL is requested again from the frontier, unmarked; the new start
    URL's redirect to it is this run's own request and must fail the run with it."""
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        first = newscrawl("crawl", f"{server.base_url}/world/", "--db", str(db), *FAST)
        (site / "world" / "index.html").unlink()  # /world/ now answers 404
        rerun = newscrawl("crawl", f"{server.base_url}/world", "--db", str(db), *FAST)
    assert first.returncode == 0, first.stderr[-2000:]
    assert rerun.returncode == 1, rerun.stderr[-2000:]
    assert "nothing could be fetched" in rerun.stderr.strip().splitlines()[-1]


def add_article(site: Path, old: str, new: str) -> None:
    """A new article (a copy of ``old`` under a new URL and title), listed first in the RSS
    feed and in the sitemap with today's lastmod."""
    page = (site / "articles" / f"{old}.html").read_text("utf-8")
    page = page.replace(old, new).replace("Regulators approve", "Regulators expand")
    (site / "articles" / f"{new}.html").write_text(page, "utf-8")
    url = f"__BASE_URL__/articles/{new}.html"
    feed = (site / "feed.xml").read_text("utf-8")
    item = (f"<item><title>Wind farm expanded</title><link>{url}</link>"
            "<pubDate>Wed, 12 Mar 2025 10:00:00 +0000</pubDate></item>")
    (site / "feed.xml").write_text(feed.replace("<item>", item + "<item>", 1), "utf-8")
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    entry = f"<url><loc>{url}</loc><lastmod>{time.strftime('%Y-%m-%d')}</lastmod></url>"
    (site / "sitemap.xml").write_text(sitemap.replace("<url>", entry + "<url>", 1), "utf-8")


def test_since_skips_older_sitemap_entries(tmp_path):
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        run = newscrawl("crawl", f"{server.base_url}/sitemap.xml", "--db", str(db),
                        "--max-depth", "1", "--since", "2025-03-06", *FAST)
        fetched = article_paths(server.requested_paths)
    assert run.returncode == 0, run.stderr[-2000:]
    assert sorted(fetched) == ["/articles/mackerel-quota-dispute.html",
                               "/articles/rail-strike-talks-collapse.html",
                               "/articles/wendstadt-fahrradstrassen.html"]


def sitemap_paths(since: str = "", before: str = "9999") -> list[str]:
    """The demo sitemap's article paths whose newest date is in [since, before)."""
    body = (DEMO / "sitemap.xml").read_bytes().replace(b"__BASE_URL__", b"http://x")
    return sorted(urlsplit(entry.url).path for entry in sitemap_entries(body)
                  if since <= (entry.newest or "") < before)


def test_entries_since_skipped_are_fetched_by_a_later_run_with_an_earlier_since(tmp_path):
    """The sitemap answers 304 after the first run, so the entries --since held back must
    come from the frontier: the same --since again fetches none of them, an earlier one the
    entries it lets in, a run without --since the rest."""
    db = tmp_path / "news.db"
    fetched = []
    with serve_site(DEMO) as server:
        for since in ("2025-03-06", "2025-03-06", "2025-02-15", None):
            before = len(server.requested_paths)
            run = newscrawl("crawl", f"{server.base_url}/sitemap.xml", "--db", str(db),
                            "--max-depth", "1", *(["--since", since] if since else []), *FAST)
            assert run.returncode == 0, run.stderr[-2000:]
            fetched.append(sorted(article_paths(server.requested_paths[before:])))
    assert fetched[0] == sitemap_paths("2025-03-06")
    assert fetched[1] == []  # held back, not fetched, whatever a run asks for
    assert fetched[2] == sitemap_paths("2025-02-15", "2025-03-06")
    assert fetched[3] == sitemap_paths(before="2025-02-15")
    assert len(fetched[3]) > 1
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)]


def test_a_page_a_link_found_is_fetched_by_later_runs_with_the_same_since(tmp_path):
    """The sitemap's old entries are held back by --since; the home page links some of
    them, which the page budget defers. Those linked pages are fetched by the next runs with
    the same --since (a link's URL is fetched whatever its date); the held ones wait."""
    db = tmp_path / "news.db"
    linked = set(re.findall(r'href="[^"]*(/articles/[^"]+\.html)"',
                            (DEMO / "index.html").read_text("utf-8")))
    held = set(sitemap_paths(before="2025-03-06"))
    assert linked & held
    fetched: set[str] = set()
    with serve_site(DEMO) as server:
        for _ in range(5):
            before = len(server.requested_paths)
            run = newscrawl("crawl", f"{server.base_url}/", f"{server.base_url}/sitemap.xml",
                            "--db", str(db), "--max-depth", "1", "--max-pages", "4",
                            "--since", "2025-03-06", *FAST)
            assert run.returncode == 0, run.stderr[-2000:]
            fetched |= set(article_paths(server.requested_paths[before:]))
    assert linked & held <= fetched
    assert not (held - linked) & fetched


def write_config(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def sitemap_config(tmp_path: Path, server, *settings: str) -> Path:
    """A config of one site, northbridge, read from the demo site's sitemap."""
    return write_config(tmp_path / "sites.toml", "\n".join([
        "[sites.northbridge]", f'sitemaps = ["{server.base_url}/sitemap.xml"]', *settings,
        ""]))


def test_config_budget_leaves_the_rest_queued_for_the_next_run(tmp_path):
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        config = sitemap_config(tmp_path, server, "max_pages = 6", "max_depth = 1")
        # one request at a time, so "newest first" is the order pages arrive in, not a race
        serial = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
        first, second, third = (
            newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST, *serial)
            for _ in range(3))
    for run in (first, second, third):
        assert run.returncode == 0, run.stderr[-2000:]
    per_run = rows(db, "SELECT run_id, pages FROM run_sites WHERE site = 'northbridge'"
                   " ORDER BY run_id")
    assert per_run == [(1, 6), (2, 6), (3, 3)]  # 15 sitemap entries, 6 a run, newest first
    options = json.loads(rows(db, "SELECT options FROM runs WHERE id = 1")[0][0])
    assert options["config"] == str(config.resolve()) and options["workers"] == 1
    assert options["settings"]["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1  # -s
    assert len(stored_paths(db)) == 15
    assert {site for (site,) in rows(db, "SELECT DISTINCT site FROM pages")} == {"northbridge"}
    # newest first: every article of the first run is newer than every one of the last
    # (within a run, concurrency may reorder neighbours; across runs the order must hold)
    def lastmods(run_id: int) -> list[str]:
        return [m for (m,) in rows(db, "SELECT f.lastmod FROM articles a JOIN frontier f ON"
                                       " f.url = a.page_url WHERE a.run_id = ?", run_id)]
    assert min(lastmods(1)) > max(lastmods(3))
    # the budget saves fetches: the server saw each article once, not every run
    served = [p for p in server.requested_paths if p.startswith("/articles/")]
    assert sorted(served) == sorted(set(served)) and len(served) == 15
    status = newscrawl("status", "--db", str(db))
    assert status.returncode == 0 and "northbridge" in status.stdout


def test_a_budget_takes_the_newest_stories_of_one_hour_first(tmp_path):
    """The sitemap dates all 15 stories within one hour and lists the oldest first: each
    run's budget goes to the newest left, in the first run (the sitemap's entries) and in
    the next (the frontier's queue). Priorities in whole hours tied them all: the first run
    took the sitemap's first entries, the second the queue's first URLs."""
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    minutes = iter(range(0, 60, 3))
    sitemap = re.sub(r"<lastmod>[^<]*</lastmod>",
                     lambda _: f"<lastmod>2025-03-12T10:{next(minutes):02d}:00Z</lastmod>",
                     (site / "sitemap.xml").read_text("utf-8"))
    (site / "sitemap.xml").write_text(sitemap, "utf-8")
    listed = [urlsplit(e.url).path for e in sitemap_entries(
        sitemap.replace("__BASE_URL__", "http://x").encode())][::-1]
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        config = sitemap_config(tmp_path, server, "max_pages = 6", "max_depth = 1")
        runs = [newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST)
                for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    for run_id, newest in ((1, listed[:6]), (2, listed[6:12])):
        stored = [urlsplit(u).path for (u,) in rows(
            db, "SELECT page_url FROM articles WHERE run_id = ?", run_id)]
        assert sorted(stored) == sorted(newest), run_id


def test_a_site_renamed_between_runs_takes_its_queued_urls_with_it(tmp_path):
    """A command-line crawl left pages queued under the host's name; the config names the
    site otherwise: its runs fetch what was queued (they used to leave it behind for
    good, as the sitemap answered 304 and named nothing new)."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        first = newscrawl("crawl", f"{server.base_url}/sitemap.xml", "--db", str(db),
                          "--max-pages", "5", "--max-depth", "1", *FAST)
        queued = rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'")[0][0]
        config = sitemap_config(tmp_path, server, "max_depth = 1")
        second = newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST,
                           "--log-level", "INFO")
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-2000:]
    assert queued == 10  # 15 sitemap entries, 5 fetched
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)]
    assert len(stored_paths(db)) == 15
    # and what the first run stored: a `--site northbridge` filter, its site rules and
    # `reextract` see it (the pages and articles kept the host's name)
    for table in ("frontier", "pages", "articles"):
        assert {site for (site,) in rows(db, f"SELECT DISTINCT site FROM {table}")} == {
            "northbridge"}, table
    assert re.search(r"site '127\.0\.0\.1' is now site 'northbridge' \(same host\): "
                     r"\d+ frontier URLs, 5 pages, \d+ articles", second.stderr)


def test_a_one_off_crawl_over_a_configs_database_leaves_its_archive_filed(tmp_path):
    """A command-line crawl of a configured site's host moved every stored page and article
    to the host's name (and the next config run back), re-stamping `extracted_at` each time:
    an incremental export took the whole site twice."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        config = sitemap_config(tmp_path, server, "max_depth = 1")
        first = newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST)
        stamps = dict(rows(db, "SELECT id, extracted_at FROM articles"))
        rows(db, "UPDATE articles SET extracted_at = '2020-01-01T00:00:00Z'")
        one_off = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), "--max-pages",
                            "1", *FAST)
    assert first.returncode == 0 and one_off.returncode == 0, one_off.stderr[-2000:]
    assert stamps
    for table in ("pages", "articles"):
        assert {site for (site,) in rows(db, f"SELECT DISTINCT site FROM {table}")
                if site != "127.0.0.1"} == {"northbridge"}, table
    assert rows(db, "SELECT count(*) FROM articles WHERE site = 'northbridge' AND"
                    " extracted_at != '2020-01-01T00:00:00Z'") == [(0,)]


def test_config_error_is_reported_before_any_request(tmp_path):
    with serve_site(DEMO) as server:
        config = write_config(tmp_path / "sites.toml", f"""
[sites.northbridge]
start_urls = ["{server.base_url}/"]
deny = ["/live/", "(unclosed"]
""")
        run = newscrawl("crawl", "--config", str(config), "--db", str(tmp_path / "n.db"))
        assert server.requested_paths == []
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1] == (
        f"newscrawl: error: {config}: sites.northbridge.deny[1]: invalid regex '(unclosed': "
        "missing ), unterminated subpattern at position 0")
    assert not (tmp_path / "n.db").exists()


def test_a_run_that_fetched_queued_pages_while_its_start_urls_failed_is_partial(tmp_path):
    """A budget left stories queued; the next run's sitemap answers 500, and the queued
    stories are fetched and stored all the same: "nothing could be fetched", exit 1 and a
    failed run said the opposite of the summary above them."""
    db = tmp_path / "n.db"
    with demo_failing(500, "/sitemap.xml") as (server, failing):
        config = write_config(tmp_path / "sites.toml",
                              sitemap_site(server.base_url) + "max_pages = 3\n")
        args = ["crawl", "--config", str(config), "--db", str(db), *FAST]
        failing["failing"] = False
        first = newscrawl(*args)
        failing["failing"] = True
        second = newscrawl(*args)
    assert first.returncode == 0, first.stderr[-2000:]
    assert second.returncode == 3, second.stderr[-2000:]
    assert "3 articles stored" in second.stdout
    assert second.stderr.strip().splitlines()[-1] == (
        "newscrawl: error: some sites failed: northbridge (none of their start URLs could be"
        " fetched; HTML pages queued by earlier runs were)")
    assert rows(db, "SELECT status, articles_stored FROM runs") == [("ok", 3), ("partial", 3)]
    check = newscrawl("status", "--db", str(db), "--check")
    assert check.returncode == 1 and "ALERT northbridge: failing (no start URL fetched" in (
        check.stdout), check.stdout


def good_and_dead_sites(tmp_path: Path, port: int, server) -> Path:
    """A config of the demo site (`server`) and a site whose port refuses connections."""
    return write_config(tmp_path / "sites.toml", f"""
[sites.northbridge]
feeds = ["{server.base_url}/feed.xml"]
max_depth = 1
[sites.gone]
start_urls = ["http://localhost:{port}/"]
""")


def test_a_dead_site_among_good_ones_is_a_partial_run(tmp_path):
    with refusing_port() as port, serve_site(DEMO) as server:
        config = good_and_dead_sites(tmp_path, port, server)
        run = newscrawl("crawl", "--config", str(config), "--db", str(tmp_path / "n.db"), *FAST)
    assert run.returncode == 3, run.stderr[-2000:]
    assert run.stderr.strip().splitlines()[-1] == "newscrawl: error: some sites failed: gone"
    assert rows(tmp_path / "n.db", "SELECT status FROM runs") == [("partial",)]
    # a run of several sites names each title's
    titles = [line for line in run.stdout.splitlines() if line.startswith("  - ")]
    assert titles and all(line.endswith(" (northbridge)") for line in titles), run.stdout



def partial_crawl(tmp_path: Path, port: int, server, stdout,
                  stderr=subprocess.PIPE) -> subprocess.CompletedProcess:
    """A crawl of a good site and a dead one (a partial run) with this stdout and stderr."""
    config = good_and_dead_sites(tmp_path, port, server)
    args = command("crawl", "--config", str(config), "--db", str(tmp_path / "n.db"), *FAST)
    if stdout is None:  # no stdout at all (`>&-`): Python's sys.stdout is None
        args = ["sh", "-c", 'exec "$@" >&-', "sh", *args]
    process = subprocess.Popen(args, cwd=ROOT, stdout=stdout, stderr=stderr, text=True)
    if stdout == subprocess.PIPE:
        process.stdout.close()  # a reader gone before the summary: `| head -0`, a dead logger
    errors = process.stderr.read() if process.stderr else ""
    return subprocess.CompletedProcess(process.args, process.wait(timeout=120), "", errors)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_summary_that_cannot_be_printed_keeps_the_exit_code_one_line(tmp_path):
    """A closed stdout loses the summary, not the run's exit code (click made it 1, with
    no word); a full disk behind stdout (`>> crawl.log`) is one line, not a traceback; one
    behind stderr loses the error line, not the exit code; so does no stdout at all."""
    with refusing_port() as port, serve_site(DEMO) as server:
        closed = partial_crawl(tmp_path, port, server, subprocess.PIPE)
        with open("/dev/full", "w") as full:
            full_disk = partial_crawl(tmp_path, port, server, full)
            full_log = partial_crawl(tmp_path, port, server, subprocess.DEVNULL, full)
        no_stdout = partial_crawl(tmp_path, port, server, None)
    assert closed.returncode == 3, closed.stderr[-2000:]
    assert closed.stderr.strip().splitlines()[-1] == "newscrawl: error: some sites failed: gone"
    assert full_disk.returncode == 1, full_disk.stderr[-2000:]
    assert "Traceback" not in full_disk.stderr, full_disk.stderr[-2000:]
    assert full_disk.stderr.strip().splitlines()[-1] == (
        "newscrawl: error: cannot write to stdout: No space left on device: free some disk "
        "space or check the device, then run again")
    assert full_log.returncode == 3  # the error line is lost on stderr's full disk, not the code
    assert no_stdout.returncode == 3, no_stdout.stderr[-2000:]
    assert rows(tmp_path / "n.db", "SELECT status FROM runs") == [("partial",)] * 4

@contextmanager
def demo_failing(status: int, *prefixes: str) -> Iterator[tuple[DemoServer, dict]]:
    """The demo site, answering `status` for the paths under `prefixes` while the dict it
    gives says so ("failing"); its server and that dict."""
    state = {"failing": True}

    class Failing(DemoRequestHandler):
        def send_head(self):
            if state["failing"] and self.path.startswith(prefixes):
                self.record()
                self.send_error(status)
                return None
            return super().send_head()

    with serve_site(DEMO) as server:
        server.httpd.RequestHandlerClass = functools.partial(Failing, directory=str(DEMO))
        yield server, state


def test_a_robots_txt_that_fails_is_a_fetch_error_of_the_run_as_of_its_site(tmp_path):
    """The run's fetch errors (the summary's, `runs.errors`) are its sites' failures
    (`status`, `run_sites.failed`): a robots.txt answering 500 is one of both. (A missing
    one, 404, is neither: a skip.) Nothing else is fetched (RFC 9309: complete disallow),
    so the run fails."""
    with demo_failing(500, "/robots.txt") as (server, _):
        run = newscrawl("crawl", server.base_url + "/", "--db", str(tmp_path / "n.db"),
                        "--max-depth", "1", *FAST)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "1 fetch errors" in run.stdout
    assert rows(tmp_path / "n.db", "SELECT errors FROM runs") == rows(
        tmp_path / "n.db", "SELECT failed FROM run_sites") == [(1,)]


@pytest.mark.parametrize("fault", ["500", "hang"])
def test_a_robots_txt_that_failed_is_not_downloaded_again_for_the_spider(tmp_path, fault):
    """RobotsTxtMiddleware's download of robots.txt, retries and all, answers the spider's
    request for the file (its failure counted where the start URL is not sent: RFC 9309),
    whether it answered or failed: a robots.txt that hung was tried 3 more times, 30 s
    each, one answering 503 5 more."""
    settings = ["-s", "RETRY_TIMES=1", "-s", "DOWNLOAD_TIMEOUT=2"]
    if fault == "500":
        site = demo_failing(500, "/robots.txt")
    else:
        site = serve_site(DEMO, slow={"/robots.txt": 8})
    with site as served:
        server = served[0] if fault == "500" else served
        run = newscrawl("crawl", server.base_url + "/", "--db", str(tmp_path / "n.db"),
                        "--max-depth", "1", *FAST, *settings)
        asked = server.requested_paths.count("/robots.txt")
    assert run.returncode == 1, run.stderr[-2000:]
    assert asked == 2  # the middleware's request and its one retry
    assert "1 fetch errors" in run.stdout
    assert stored_paths(tmp_path / "n.db") == []  # nothing else of the host was fetched


@pytest.mark.parametrize("fault", ["redirected", "big"])
def test_a_robots_txt_that_could_not_be_read_answers_the_spiders_request_however_reached(
        tmp_path, fault):
    """A robots.txt redirected to a page answering 500 (a site's maintenance page), or
    answering 500 with a body over the 512 KiB kept for the spider: its answer was not
    kept, so the spider's request for it went out again. Redirected, its hop was refused
    as its host's (robots.txt unread): no fetch error, the failing site's status said "0
    failed", and robots.txt was counted among the requests not sent; too big, it was
    downloaded again with its retries. One download, one fetch error, either way."""
    class Failing(DemoRequestHandler):
        def send_head(self):
            if self.path not in ("/robots.txt", "/maintenance"):
                return super().send_head()
            self.record()
            if self.path == "/robots.txt" and fault == "redirected":
                self.send_response(302)
                self.send_header("Location", "/maintenance")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            body = b"down for maintenance" * (40_000 if fault == "big" else 1)
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    db = tmp_path / "n.db"
    with serve_site(DEMO) as server:
        server.httpd.RequestHandlerClass = functools.partial(Failing, directory=str(DEMO))
        run = newscrawl("crawl", server.base_url + "/", "--db", str(db), "--max-depth", "1",
                        *FAST, "-s", "RETRY_TIMES=1")
        asked = list(server.requested_paths)
    assert run.returncode == 1, run.stderr[-2000:]
    if fault == "redirected":
        assert (asked.count("/robots.txt"), asked.count("/maintenance")) == (1, 2)
    else:
        assert asked.count("/robots.txt") == 2  # the middleware's request and its retry
    assert set(asked) <= {"/robots.txt", "/maintenance"}
    assert "1 fetch errors" in run.stdout
    assert ("  not sent, their host given up: robots_unavailable: 1 (they wait for the next"
            " run)") in run.stdout.splitlines()  # the start URL, not robots.txt
    assert rows(db, "SELECT errors FROM runs") == rows(db, "SELECT failed FROM run_sites") == [
        (1,)]
    assert rows(db, "SELECT state, reason FROM frontier WHERE url LIKE '%/robots.txt'") == [
        ("failed", "http_500")]


def test_overlapping_runs_are_refused(tmp_path):
    db = tmp_path / "news.db"
    # the first run waits 25 s for robots.txt (under DOWNLOAD_TIMEOUT): still running
    # however slowly the second starts on a loaded machine
    with serve_site(DEMO, slow={"/robots.txt": 25}) as server:
        args = ["crawl", f"{server.base_url}/", "--db", str(db), *FAST]
        first = subprocess.Popen(command(*args), cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while not lock_path(db).exists() or not lock_path(db).read_text():
                assert time.monotonic() < deadline and first.poll() is None
                time.sleep(0.05)
            second = newscrawl(*args)
            assert first.poll() is None  # refused at once, not after waiting for the first
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    assert second.returncode == 4
    last = second.stderr.strip().splitlines()[-1]
    assert f"another crawl is running on {db} (pid {first.pid}," in last
    with crawl_lock(db):  # the killed run left no stale lock
        pass


def test_closespider_pagecount_is_a_successful_run(tmp_path):
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        run = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), *FAST,
                        "-s", "CLOSESPIDER_PAGECOUNT=5")
    assert run.returncode == 0, run.stderr[-2000:]
    assert rows(db, "SELECT status FROM runs") == [("ok",)]
    assert rows(db, "SELECT count(*) > 0 FROM pages") == [(1,)]


def crawl_until(args: list[str], server, requests: int) -> subprocess.Popen:
    """A crawl started in its own process group, once it has made `requests` requests."""
    before = len(server.requested_paths)
    process = subprocess.Popen(command(*args), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while len(server.requested_paths) - before < requests and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return process


@pytest.mark.parametrize("signals", [(signal.SIGTERM,), (signal.SIGINT, signal.SIGINT),
                                     (signal.SIGHUP,), (signal.SIGHUP, signal.SIGHUP)])
def test_a_signal_exits_interrupted(tmp_path, slow_demo, signals):
    """One SIGTERM or SIGINT stops the crawl cleanly; a second forces Scrapy's unclean
    shutdown (no spider_closed), which must still exit 5 and close the run's row. A SIGHUP
    (the terminal gone) is a SIGTERM: it ended the process on the spot, the run left
    "running"."""
    db = tmp_path / "news.db"
    args = ["crawl", f"{slow_demo.base_url}/", "--db", str(db), *FAST,
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    process = crawl_until(args, slow_demo, requests=4)
    for number in signals:
        process.send_signal(number)
        time.sleep(0.3)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 5, stderr[-2000:]
    assert "interrupted" in stderr.strip().splitlines()[-1]
    assert rows(db, "SELECT status FROM runs") == [("interrupted",)]


def test_a_hangup_ignored_as_nohup_does_leaves_the_crawl_running(tmp_path):
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        process = subprocess.Popen(
            command("crawl", f"{server.base_url}/", "--db", str(db), *FAST), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
        deadline = time.monotonic() + 60
        while not server.requested_paths and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        process.send_signal(signal.SIGHUP)
        _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr[-2000:]
    assert rows(db, "SELECT status FROM runs") == [("ok",)]


def catches(pid: int, signum: int) -> bool:
    """Whether the process has a handler for the signal now (Linux: SigCgt in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) >> (signum - 1) & 1)


def foreground(args: list[str]) -> subprocess.Popen:
    """The command as a shell's foreground job has it: a process group of its own that a
    terminal's Ctrl-C signals whole, SIGINT not ignored."""
    return subprocess.Popen(
        command(*args), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_ctrl_c_as_the_workers_start_exits_interrupted_in_one_line(tmp_path):
    """A terminal's Ctrl-C signals the whole process group: the crawl, and the forkserver
    its workers fork from, which takes a second or two to import the extractor. The crawl
    holds it off while its pool starts: no forkserver traceback, no "could not start"."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        process = foreground(["crawl", f"{server.base_url}/", "--db", str(db), *FAST])
        deadline = time.monotonic() + 60
        while not any(b"forkserver" in line for line in children(process.pid)):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.3)  # the forkserver is importing the extractor now (about a second)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 5, stderr
    assert stderr.splitlines() == [
        "newscrawl: error: interrupted after 0 pages (what was committed is intact; rerun"
        " to resume the queue)"]
    assert rows(db, "SELECT status FROM runs") == [("interrupted",)]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("delay", [0.1, 0.4])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_while_the_command_loads_exits_interrupted_in_one_line(tmp_path, delay,
                                                                      signum):
    """Scrapy, lxml and trafilatura take about a second to import: a Ctrl-C (or a SIGTERM:
    it ended the process silently, exit -15) then ends the command with one line, not a
    traceback from inside an import. On a loaded machine the signal may come only once the
    crawl (of a refused URL: a second) has begun or ended: that try missed the imports,
    and another is made."""
    for _ in range(5):
        process = foreground(["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "n.db")])
        deadline = time.monotonic() + 30  # Python catches SIGINT from its start, SIGTERM
        while not catches(process.pid, signum):  # from newscrawl's first line: both before
            assert process.poll() is None and time.monotonic() < deadline  # the imports
            time.sleep(0.005)
        time.sleep(delay)
        os.killpg(process.pid, signum)
        _, stderr = process.communicate(timeout=60)
        if "Spider opened" not in stderr:  # the signal came while the command loaded
            break
        (tmp_path / "n.db").unlink(missing_ok=True)
    else:
        pytest.skip("the machine was too busy for a signal to come while the command loaded")
    assert process.returncode == 5, stderr
    assert "Traceback" not in stderr and len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("newscrawl: error: interrupted"), stderr


def test_the_log_keeps_scrapys_signal_line_and_drops_its_settings_dump():
    import logging

    from crawler.runner import _SETTINGS_FILTER

    def record(message):
        return logging.LogRecord("scrapy.crawler", logging.INFO, "", 0, message, (), None)
    assert _SETTINGS_FILTER.filter(record("Received %(signame)s, shutting down gracefully."))
    assert not _SETTINGS_FILTER.filter(record("Overridden settings:\n%(settings)s"))


def test_the_log_hides_secrets_at_debug_and_scrapys_versions_below_it(tmp_path):
    """The settings dump (DEBUG only) keeps its secrets out of the log, as runs.options
    does; the versions Scrapy lists (a dozen lines) are left to DEBUG, as the README says."""
    long = "correct horse battery staple, and a few more words to wrap: tr0ub4dor zebra"
    args = ["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "d.db"), "--workers", "1",
            "-s", f"HTTPAUTH_PASS={long}", "-s", "HTTPAUTH_USER=reader",
            "-s", 'HTTPPROXY_AUTH_ENCODING="latin-1"', "-s", "DOWNLOAD_DELAY=0.25"]
    debug = newscrawl(*args, "--log-level", "DEBUG")
    assert "Overridden settings" in debug.stderr and "Versions:" in debug.stderr
    assert all(word not in debug.stderr for word in ("horse", "tr0ub4dor", "zebra", "reader",
                                                     "latin-1"))
    assert "'HTTPAUTH_PASS': '(hidden)'" in debug.stderr
    assert "'DOWNLOAD_DELAY': 0.25" in debug.stderr  # the others as they are
    info = newscrawl(*args, "--log-level", "INFO")
    assert "Versions:" not in info.stderr and "Overridden settings" not in info.stderr
    assert "Scrapy" in info.stderr and "started" in info.stderr  # its start line stays


def test_a_ctrl_c_before_a_commands_own_handling_is_one_line(monkeypatch, capsys):
    import crawler.cli

    def interrupted(options):
        raise KeyboardInterrupt
    monkeypatch.setattr(crawler.cli, "run_crawl", interrupted)
    monkeypatch.setattr(crawler.cli, "exit_now", sys.exit)  # os._exit would end pytest
    with pytest.raises(SystemExit) as stopped:
        crawler.cli.cli.main(["crawl", "http://127.0.0.1:9/", "--db", "x.db"])
    assert stopped.value.code == 5
    assert capsys.readouterr().err == "newscrawl: error: interrupted; nothing was done\n"


def test_a_host_still_throttling_after_the_longest_pause_is_left_for_the_next_run(tmp_path):
    """Every story answers 503 (maintenance): the host is paused 0.1, 0.2, then 0.4 s (the
    cap here), and once it answers 503 after that pause, it is given up: the requests on
    their way are tried once, without a pause, the others not sent (each URL was retried 5
    times, each time after the cap's pause). The next run fetches them all."""
    db = tmp_path / "news.db"
    throttle = ["-s", "NEWSCRAWL_RETRY_AFTER_MAX=0.4", "-s", "NEWSCRAWL_BACKOFF_BASE=0.1"]
    with demo_failing(503, "/articles/") as (server, state):
        args = ["crawl", server.base_url + "/sitemap.xml", "--db", str(db), *FAST, *throttle]
        down = newscrawl(*args)
        tries = len(article_paths(server.requested_paths))
        state["failing"] = False
        back = newscrawl(*args)
    assert down.returncode == 0, down.stderr[-2000:]
    assert "127.0.0.1 answered 503 again after a 0.4s pause" in down.stderr
    assert json.loads(rows(db, "SELECT counts FROM runs WHERE id = 1")[0][0])[
        "newscrawl/throttled/given_up"] == 1
    # each URL twice at most (the first answers came back together, before any pause:
    # each was retried once), not 6 times (5 retries)
    assert 0 < tries <= 2 * len(sitemap_articles())
    assert back.returncode == 0, back.stderr[-2000:]
    assert set(sitemap_articles()) <= set(stored_paths(db))


def test_a_signal_once_the_run_is_recorded_changes_no_exit_code(tmp_path):
    """A timer's SIGTERM as the job exits, after its run was recorded and its summary
    printed: the process exits with the run's code (here 3, some sites failed), not by the
    signal (-15)."""
    script = tmp_path / "late.py"
    script.write_text("""
import os, signal, sys
import crawler.cli as cli

class Result:
    status, failed_sites, sites = "partial", ["gone"], 2

def late(result):
    os.kill(os.getpid(), signal.SIGTERM)
    os.kill(os.getpid(), signal.SIGINT)
    return "run 1: done"

cli.run_crawl = lambda options: Result()
cli.summary = late
cli.cli.main(["crawl", "http://127.0.0.1:9/", "--db", sys.argv[1]])
""")
    run = subprocess.run([sys.executable, str(script), str(tmp_path / "n.db")], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 3, (run.returncode, run.stderr[-2000:])
    assert run.stdout == "run 1: done\n"
    assert run.stderr == "newscrawl: error: some sites failed: gone\n"


def test_a_ctrl_c_during_the_import_is_one_line(monkeypatch, capsys):
    import builtins

    from crawler import entry

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "crawler.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    monkeypatch.setattr(entry, "exit_now", sys.exit)  # os._exit would end pytest
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 5
    assert capsys.readouterr().err == (
        "newscrawl: error: interrupted while starting; nothing was done\n")


def test_a_signal_stops_sending_requests_at_once_and_the_rerun_fetches_the_rest(
        tmp_path, slow_demo):
    """The requests already handed to the downloader but not sent (waiting out the site's
    download delay) are not sent after a SIGTERM; they stay queued for the next run."""
    db = tmp_path / "news.db"
    args = ["crawl", f"{slow_demo.base_url}/", "--db", str(db), *FAST,
            "-s", "DOWNLOAD_DELAY=0.3"]
    process = crawl_until(args, slow_demo, requests=6)
    sent = len(slow_demo.requested_paths)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 5, stderr[-2000:]
    assert len(slow_demo.requested_paths) - sent <= 2, slow_demo.requested_paths[sent:]
    rerun = newscrawl(*args)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert stored_paths(db) == ARTICLES


def test_a_request_waiting_for_robots_txt_is_not_sent_after_a_signal(tmp_path):
    """The start page waits inside the robots.txt middleware (not yet in the downloader's
    queue) when SIGTERM arrives: it is not sent once robots.txt answers."""
    db = tmp_path / "news.db"
    with serve_site(DEMO, slow={"/robots.txt": 2.0}) as server:
        process = subprocess.Popen(command("crawl", f"{server.base_url}/", "--db", str(db),
                                           *FAST), cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 30
        while "/robots.txt" not in server.requested_paths and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        requested = list(server.requested_paths)
    assert process.returncode == 5, stderr[-2000:]
    assert requested == ["/robots.txt"]


def test_robots_txt_holds_for_every_request_that_waited_for_it(tmp_path):
    """Several start URLs of one host go out together and all wait for its robots.txt:
    each is checked against it (Scrapy handed the parser to the first waiter only)."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        base = server.base_url
        run = newscrawl("crawl", f"{base}/feed.xml", f"{base}/sitemap.xml",
                        f"{base}/private/secret.html", f"{base}/", "--db", str(db), *FAST)
        fetched = list(server.requested_paths)
    assert run.returncode in (0, 3), run.stderr[-2000:]
    assert "/private/secret.html" not in fetched
    assert rows(db, "SELECT state, reason FROM frontier WHERE url LIKE '%/private/%'") == [
        ("skipped", "robots")]


def test_listings_read_after_the_budget_ran_out_keep_their_entries_queued(tmp_path):
    """A sitemap or feed fetched once the page budget is spent is recorded as fetched (a
    later run gets 304 for it): its entries must be queued then, or they are lost."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        args = ["crawl", f"{server.base_url}/", "--db", str(db), *FAST]
        assert newscrawl(*args, "--max-pages", "5").returncode == 0
        rerun = newscrawl(*args)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert stored_paths(db) == ARTICLES


def test_a_budget_smaller_than_the_section_fronts_reads_them_all_in_turn(tmp_path):
    """Runs with a budget of 3 after a full crawl: the section fronts (all answering 304)
    were read again in the order they were found, the same three every run, and a story
    linked only from another one was never found (an operator's walkthrough). Now the
    longest unvisited go first."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        args = ["crawl", f"{server.base_url}/", "--db", str(db), *FAST]
        assert newscrawl(*args).returncode == 0
        hubs = {url for (url,) in rows(db, "SELECT url FROM frontier WHERE kind = 'hub'")}
        read: set[str] = set()
        for _ in range(len(hubs)):
            before = len(server.requested_paths)
            assert newscrawl(*args, "--max-pages", "3").returncode == 0
            read |= {f"{server.base_url}{path}" for path in server.requested_paths[before:]}
    assert len(hubs) > 3 and hubs <= read


def test_a_deny_pattern_added_later_holds_for_urls_already_queued(tmp_path):
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        site = sitemap_site(server.base_url)
        config = write_config(tmp_path / "sites.toml", site + "max_pages = 3\n")
        assert newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST
                         ).returncode == 0  # the rest of the sitemap stays queued
        config = write_config(tmp_path / "sites.toml", site + 'deny = ["/articles/"]\n')
        before = len(server.requested_paths)
        run = newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST)
        fetched = server.requested_paths[before:]
    assert run.returncode == 0, run.stderr[-2000:]
    assert article_paths(fetched) == []
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM frontier WHERE reason = 'denied'")[0][0] >= 10


def test_a_deny_pattern_taken_out_lets_in_what_it_kept_out_of_the_listings(tmp_path):
    """The URLs a deny pattern kept out of a sitemap were never recorded, and the sitemap
    answers 304 from then on: once the pattern is gone, the sitemap is read in full again
    (once), and its articles are fetched."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        site = sitemap_site(server.base_url)
        denied = write_config(tmp_path / "sites.toml", site + 'deny = ["/articles/"]\n')
        args = ["crawl", "--config", str(denied), "--db", str(db), *FAST]
        assert newscrawl(*args).returncode == 0
        assert stored_paths(db) == []
        write_config(tmp_path / "sites.toml", site)
        before = len(server.requested_paths)
        loosened = newscrawl(*args, "--log-level", "INFO")
        fetched = server.requested_paths[before:]
        sitemap = "SELECT http_status FROM frontier WHERE url LIKE '%/sitemap.xml'"
        read_in_full = rows(db, sitemap)
        again = newscrawl(*args)
    assert loosened.returncode == 0, loosened.stderr[-2000:]
    assert stored_paths(db) == sitemap_articles()
    assert sorted(article_paths(fetched)) == sitemap_articles()
    assert "site northbridge: pages whose links were not read as they are now" in loosened.stderr
    assert read_in_full == [(200,)]
    assert again.returncode == 0
    assert rows(db, sitemap) == [(304,)]  # read in full once


def test_a_depth_limit_raised_finds_what_the_pages_at_the_old_limit_link(tmp_path):
    """A page at a run's depth limit has its links left unread; its validators are kept all
    the same. A later run with a higher limit (or none) reads it in full (once), not as a
    304, and finds the stories it links: it ends with what a first crawl without the limit
    stores."""
    db, fresh = tmp_path / "news.db", tmp_path / "fresh.db"
    with serve_site(DEMO) as server:
        args = ["crawl", server.base_url + "/", *FAST]
        assert newscrawl(*args, "--db", str(db), "--max-depth", "1").returncode == 0
        shallow = stored_paths(db)
        before = len(server.requested_paths)
        assert newscrawl(*args, "--db", str(db), "--max-depth", "1").returncode == 0
        same = server.requested_paths[before:]  # the same limit: no story read again
        deeper = newscrawl(*args, "--db", str(db))
        again = newscrawl(*args, "--db", str(db))
        assert newscrawl(*args, "--db", str(fresh)).returncode == 0
    assert deeper.returncode == 0 and again.returncode == 0, deeper.stderr[-2000:]
    assert set(shallow) < set(stored_paths(db))  # (the limit left some out)
    assert article_paths(same) == []
    assert stored_paths(db) == stored_paths(fresh)
    assert rows(db, "SELECT count(*) FROM frontier WHERE filters = 'unfollowed'") == [(0,)]
    hubs = rows(db, "SELECT http_status, count(*) FROM frontier WHERE kind = 'hub'"
                    " GROUP BY http_status")
    assert hubs and dict(hubs).keys() == {304}  # read in full once, then 304 again


def test_a_deny_pattern_taken_out_lets_in_the_urls_it_held_in_the_queue(tmp_path):
    """A queued URL a deny pattern held is looked at every run (recorded once) and fetched
    by the first run without the pattern, not 7 days later."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        site = sitemap_site(server.base_url)
        config = write_config(tmp_path / "sites.toml", site + "max_pages = 3\n")
        args = ["crawl", "--config", str(config), "--db", str(db), *FAST]
        assert newscrawl(*args).returncode == 0  # the rest of the sitemap stays queued
        write_config(tmp_path / "sites.toml", site + 'deny = ["/articles/"]\n')
        assert newscrawl(*args).returncode == 0
        denied = rows(db, "SELECT url, visited_at FROM frontier WHERE reason = 'denied'")
        assert newscrawl(*args).returncode == 0
        assert rows(db, "SELECT url, visited_at FROM frontier WHERE reason = 'denied'"
                    ) == denied  # not recorded again
        write_config(tmp_path / "sites.toml", site)
        run = newscrawl(*args)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(denied) >= 10
    assert rows(db, "SELECT count(*) FROM frontier WHERE reason = 'denied'") == [(0,)]
    assert stored_paths(db) == sitemap_articles()


def sitemap_site(base_url: str) -> str:
    """A config of the demo site crawled from its sitemap alone, its entries only."""
    return f"""
[sites.northbridge]
sitemaps = ["{base_url}/sitemap.xml"]
max_depth = 1
"""


def sitemap_articles() -> list[str]:
    """The demo site's articles its sitemap lists (one is only linked)."""
    sitemap = (DEMO / "sitemap.xml").read_text("utf-8")
    return [path for path in ARTICLES if path in sitemap]


def test_a_page_over_the_size_limit_is_a_skip_looked_at_again_in_a_week(tmp_path):
    """A Content-Length over DOWNLOAD_MAXSIZE is our limit, not the site's fault: skipped
    (no fetch error for the operator), and not downloaded again by every run."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html><body><a href="/big.html">Big</a></body></html>')
    (site / "big.html").write_text("<html><body><p>" + "word " * 30_000 + "</p></body></html>")
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        args = ["crawl", f"{server.base_url}/", "--db", str(db), *FAST,
                "-s", "DOWNLOAD_MAXSIZE=100000"]
        first, second = newscrawl(*args), newscrawl(*args)
        fetched = server.requested_paths
    assert first.returncode == second.returncode == 0, first.stderr[-2000:]
    assert "0 fetch errors" in first.stdout
    assert fetched.count("/big.html") == 1
    assert rows(db, "SELECT state, reason FROM frontier WHERE url LIKE '%/big.html'") == [
        ("skipped", "too_large")]


def test_a_sitemap_may_be_larger_than_a_page(tmp_path):
    """A sitemap may hold 50 MB (sitemaps.org): one over DOWNLOAD_MAXSIZE is read (it was
    skipped, and every URL it lists with it); a page over it is not."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    story = "articles/mackerel-quota-dispute.html"
    shutil.copy(DEMO / story, site / story)
    (site / "articles" / "big.html").write_text("<html><body>" + "<p>word</p>" * 20_000)
    padding = "<!-- " + "x" * 150_000 + " -->"
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>' + padding
        + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>__BASE_URL__/{path}</loc></url>"
                  for path in (story, "articles/big.html")) + "</urlset>")
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        config = write_config(tmp_path / "sites.toml", sitemap_site(server.base_url))
        run = newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST,
                        "-s", "DOWNLOAD_MAXSIZE=100000")
    assert run.returncode == 0, run.stderr[-2000:]
    assert stored_paths(db) == ["/" + story]
    assert rows(db, "SELECT reason FROM frontier WHERE url LIKE '%/big.html'") == [
        ("too_large",)]


def test_an_edit_dated_ahead_of_our_clock_is_fetched_once_its_date_is_past(tmp_path):
    """A lastmod ahead of our clock (a date-only one is its day's last second) brings the
    page back only once it is past. The sitemap is unchanged: had the first run kept its
    validators, the second would get a 304 and never read the entry again."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    story = "articles/mackerel-quota-dispute.html"
    shutil.copy(DEMO / story, site / story)
    ahead: list[int] = []  # when the lastmod is, in seconds since the epoch

    class Dating(DemoRequestHandler):
        """Writes the sitemap when it is first asked for, its lastmod 5 s ahead then: ahead
        when the first run reads it, however long that run took to start."""

        def send_head(self):
            if self.path == "/sitemap.xml" and not ahead:
                ahead.append(int(time.time()) + 5)
                lastmod = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ahead[0]))
                (site / "sitemap.xml").write_text(
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<url><loc>__BASE_URL__/{story}</loc><lastmod>{lastmod}</lastmod></url>"
                    "</urlset>")
            return super().send_head()

    db = tmp_path / "news.db"
    with serve_site(site) as server:
        server.httpd.RequestHandlerClass = functools.partial(Dating, directory=str(site))
        config = write_config(tmp_path / "sites.toml", sitemap_site(server.base_url))
        args = ["crawl", "--config", str(config), "--db", str(db), *FAST]
        first = newscrawl(*args)
        page = (site / story).read_text("utf-8")
        (site / story).write_text(page.replace("fund of €6 million", "fund of €9 million"))
        time.sleep(max(0.0, ahead[0] - time.time() + 1.5))
        second = newscrawl(*args)
        fetched = server.requested_paths
    assert first.returncode == second.returncode == 0, second.stderr[-2000:]
    assert fetched.count("/sitemap.xml") == 2 and fetched.count("/" + story) == 2
    (text,) = rows(db, "SELECT text FROM articles")[0]
    assert "A hardship fund of €9 million" in text


def test_a_sitemap_dating_its_entries_today_still_answers_304(tmp_path):
    """A news sitemap's date-only lastmods of today are ahead of our clock all day: its
    validators are kept all the same (it is read in full once the day is over), not
    dropped on every run of the day."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    story = "articles/mackerel-quota-dispute.html"
    shutil.copy(DEMO / story, site / story)
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>__BASE_URL__/{story}</loc>"
        f"<lastmod>{time.strftime('%Y-%m-%d', time.gmtime())}</lastmod></url></urlset>")
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        config = write_config(tmp_path / "sites.toml", sitemap_site(server.base_url))
        for _ in range(2):
            run = newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST)
            assert run.returncode == 0, run.stderr[-2000:]
    (status, reread), = rows(db, "SELECT http_status, reread_at FROM frontier"
                                 " WHERE url LIKE '%/sitemap.xml'")
    assert status == 304 and reread.endswith("T23:59:59Z")


def test_status_check_flags_a_site_whose_robots_txt_now_refuses_everything(tmp_path):
    """The crawl fetched robots.txt, then none of the start URLs it refuses: exit 3, "failed
    sites". `status --check` saw one document fetched and flagged nothing, with exit 0."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    story = "articles/mackerel-quota-dispute.html"
    shutil.copy(DEMO / story, site / story)
    (site / "index.html").write_text(f'<html><body><a href="/{story}">Quota</a></body></html>')
    db = tmp_path / "news.db"
    shutil.copytree(site, tmp_path / "other")
    with serve_site(site) as server, serve_site(tmp_path / "other", host="127.0.0.2") as other:
        config = write_config(tmp_path / "sites.toml", f"""
[sites.refusing]
start_urls = ["{server.base_url}/"]
[sites.other]
start_urls = ["{other.base_url}/"]
""")
        args = ["crawl", "--config", str(config), "--db", str(db), *FAST]
        first = newscrawl(*args)
        (site / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
        second = newscrawl(*args)
    assert first.returncode == 0, first.stderr[-2000:]
    assert second.returncode == 3 and "failed sites: refusing" in second.stdout, second.stdout
    check = newscrawl("status", "--db", str(db), "--check")
    assert check.returncode == 1, check.stdout
    assert "ALERT refusing: failing (no start URL fetched: 0 failed, 1 skipped)" in check.stdout


def test_links_with_tracking_parameters_are_one_story(tmp_path):
    """A story linked bare, from a newsletter and from a share button is one URL: one
    fetch, one article (the parameters say where a reader came from, not what to read)."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    story = "/articles/mackerel-quota-dispute.html"
    shutil.copy(DEMO / story.lstrip("/"), site / story.lstrip("/"))
    links = [story, story + "?utm_source=newsletter", story + "?utm_source=x&utm_medium=social",
             "/articles/other.html?id=3&fbclid=AbC"]
    (site / "index.html").write_text(
        "<html><body>" + "".join(f'<a href="{link}">Story</a>' for link in links)
        + "</body></html>", "utf-8")
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        run = newscrawl("crawl", f"{server.base_url}/?utm_source=x", "--db", str(db), *FAST,
                        "--max-depth", "1")
        fetched = server.requested_paths
    assert run.returncode == 0, run.stderr[-2000:]
    assert sorted(p for p in fetched if p.startswith("/articles/")) == [
        "/articles/mackerel-quota-dispute.html", "/articles/other.html?id=3"]
    assert "/?utm_source=x" in fetched  # a start URL is fetched as given
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]


def test_a_first_run_with_a_small_budget_stores_the_newest_articles(tmp_path):
    """The start page links section fronts before its feed names the stories: a budget of
    5 (the start page and 4 more) goes to the 4 newest stories the feeds and the sitemap
    list, not to the first links found."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        run = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), "--max-pages", "5",
                        *FAST)
        fetched = list(server.requested_paths)
    assert run.returncode == 0, run.stderr[-2000:]
    dated = rows(db, f"SELECT url FROM frontier WHERE priority BETWEEN 1 AND {LISTING_FLOOR - 1}"
                     " ORDER BY priority DESC LIMIT 4")
    assert len(dated) == 4
    assert sorted(u for (u,) in rows(db, "SELECT page_url FROM articles")) == sorted(
        u for (u,) in dated)
    assert [p for p in fetched if p.endswith("/") and p != "/"] == []  # no section front
    assert rows(db, "SELECT count(*) FROM pages") == [(5,)]
    [(recorded,)] = rows(db, "SELECT count(*) FROM frontier")  # the start URL is one
    assert f"frontier: {recorded} new URLs," in run.stdout


def test_the_budget_waits_for_a_slow_feed_the_start_page_also_links(tmp_path):
    """The homepage links its RSS feed (a second request for a listing in flight, which
    Scrapy's duplicate filter drops): the pages still wait for the feed's answer, and the
    newest story, listed in the slow feed only, gets the budget."""
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    add_article(site, "harbour-wind-farm-approved", "harbour-wind-farm-expanded")
    sitemap = (site / "sitemap.xml").read_text("utf-8")  # listed in the feed only
    (site / "sitemap.xml").write_text(sitemap.replace(
        "/articles/harbour-wind-farm-expanded.html", "/articles/harbour-wind-farm-approved.html"),
        "utf-8")
    feed = (site / "feed.xml").read_text("utf-8")  # and the newest story of all
    (site / "feed.xml").write_text(feed.replace(
        "Wed, 12 Mar 2025 10:00:00 +0000", time.strftime("%a, %d %b %Y %H:%M:%S +0000",
                                                          time.gmtime())), "utf-8")
    db = tmp_path / "news.db"
    with serve_site(site, slow={"/feed.xml": 1.5}) as server:
        run = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), "--max-pages", "3",
                        *FAST)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "/articles/harbour-wind-farm-expanded.html" in stored_paths(db)


def test_a_page_that_waited_for_the_listings_keeps_its_referer(tmp_path):
    """Pages wait for robots.txt (the last listing) and go out with it: with the Referer
    of the page that linked them, not robots.txt's."""
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    story = (DEMO / "articles" / "mackerel-quota-dispute.html").read_text("utf-8")
    for name in ("harbour-strike-ends", "ferry-timetable-cut"):
        (site / "news" / f"{name}.html").write_text(story, "utf-8")
    (site / "index.html").write_text(
        '<html><body><a href="/news/harbour-strike-ends.html">Harbour strike ends</a>'
        '<a href="/news/ferry-timetable-cut.html">Ferry timetable cut</a></body></html>',
        "utf-8")
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        run = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), "--max-pages", "2",
                        *FAST)
        referers = server.referers
    assert run.returncode == 0, run.stderr[-2000:]
    assert referers["/news/harbour-strike-ends.html"] == f"{server.base_url}/"
    assert "/news/ferry-timetable-cut.html" not in referers  # the budget: home and one page
    assert (f"{server.base_url}/news/ferry-timetable-cut.html",) in rows(
        db, "SELECT url FROM frontier WHERE state = 'queued'")


def test_a_small_budget_drains_the_queue_before_revisiting_hubs(tmp_path):
    """Hubs (section pages) are looked at again every run and mostly answer 304: the page
    budget goes to the pages never fetched first, or they would stay queued for ever."""
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        config = write_config(tmp_path / "sites.toml", f"""
[sites.northbridge]
start_urls = ["{server.base_url}/"]
max_pages = 3
""")
        runs = [newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST)
                for _ in range(10)]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr[-2000:]
    assert rows(db, "SELECT url FROM frontier WHERE state = 'queued'") == []


def test_a_start_url_is_recorded_as_one_even_when_its_page_links_to_itself(tmp_path):
    db = tmp_path / "news.db"
    with serve_site(DEMO) as server:
        run = newscrawl("crawl", f"{server.base_url}/", "--db", str(db), *FAST)
        home = f"{server.base_url}/"
    assert run.returncode == 0, run.stderr[-2000:]
    [(source, depth, priority)] = rows(
        db, "SELECT source, depth, priority FROM frontier WHERE url = ?", home)
    assert (source, depth) == ("start", 0) and priority >= LISTING_FLOOR


def test_allow_patterns_do_not_shut_out_the_sites_listings_on_a_rerun(tmp_path):
    """allow / deny hold for pages; robots.txt, feeds and sitemaps (found by the spider,
    revisited every run) are not held to them, or a new article listed only there is lost."""
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    db = tmp_path / "news.db"
    with serve_site(site) as server:
        config = write_config(tmp_path / "sites.toml", f"""
[sites.northbridge]
start_urls = ["{server.base_url}/"]
allow = ['/articles/', '/(world|business|culture)/']
""")
        args = ["crawl", "--config", str(config), "--db", str(db), *FAST]
        assert newscrawl(*args).returncode == 0
        add_article(site, "harbour-wind-farm-approved", "harbour-wind-farm-expanded")
        before = len(server.requested_paths)
        rerun = newscrawl(*args)
        fetched = server.requested_paths[before:]
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "/articles/harbour-wind-farm-expanded.html" in fetched
    assert rows(db, "SELECT url FROM frontier WHERE reason = 'denied'") == []


def test_allow_patterns_do_not_shut_out_the_sitemaps_a_sitemap_index_names(tmp_path, spider_site):
    """A sitemap index's entries are sitemaps, not pages: an allow pattern for the site's
    stories does not drop them (it dropped every one, and the run stored nothing, exit 0);
    a deny pattern does."""
    db = tmp_path / "news.db"
    config = write_config(tmp_path / "sites.toml", f"""
[sites.spider]
sitemaps = ["{spider_site.base_url}/sitemap_index.xml"]
allow = ['/news/a1']
max_depth = 1
""")
    before = len(spider_site.requested_paths)
    run = newscrawl("crawl", "--config", str(config), "--db", str(db), *FAST)
    fetched = spider_site.requested_paths[before:]
    assert run.returncode == 0, run.stderr[-2000:]
    assert "/sitemaps/news.xml.gz" in fetched
    assert "/news/a1.html" in fetched
    assert "/news/sitemap-only.html" not in fetched  # the pages are held to them still
    # a deny pattern skips an index's sitemap (an archive's, say)
    write_config(tmp_path / "sites.toml", f"""
[sites.spider]
sitemaps = ["{spider_site.base_url}/sitemap_index.xml"]
deny = ['/sitemaps/']
""")
    before = len(spider_site.requested_paths)
    denied = newscrawl("crawl", "--config", str(config), "--db", str(tmp_path / "d.db"), *FAST)
    assert denied.returncode == 0, denied.stderr[-2000:]
    assert "/sitemaps/news.xml.gz" not in spider_site.requested_paths[before:]


def test_status_max_age_alerts_when_the_crawls_stopped(tmp_path):
    """A broken config or a timer turned off records no run at all: --max-age is the alarm."""
    from crawler import storage

    db = tmp_path / "n.db"
    database = storage.open_db(db)
    assert "ALERT no run recorded yet" in newscrawl("status", "--db", str(db), "--check",
                                                    "--max-age", "2h").stdout
    run_id = storage.start_run(database, {})
    storage.finish_run(database, run_id, "ok", {})
    database.conn.execute("UPDATE runs SET started_at = '2020-01-01T00:00:00Z'")
    database.conn.commit()
    database.close()
    old = newscrawl("status", "--db", str(db), "--check", "--max-age", "2h")
    assert old.returncode == 1
    assert (f"ALERT last run #{run_id} started 2020-01-01T00:00:00Z, more than 2h ago"
            in old.stdout)
    assert newscrawl("status", "--db", str(db), "--check").returncode == 0  # not asked
    assert newscrawl("status", "--db", str(db), "--check", "--max-age",
                     "100000d").returncode == 0
    for wrong in ("two hours", "1e10d", "-3h", "0m"):
        bad = newscrawl("status", "--db", str(db), "--max-age", wrong)
        assert bad.returncode == 2 and "expected a span such as 30m" in bad.stderr, bad.stderr


def test_stale_alert_reads_a_time_without_a_zone_as_utc_and_names_a_live_crawl():
    from datetime import UTC, datetime, timedelta

    from crawler.status import stale_alert

    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    run = {"id": 3, "started_at": "2026-11-29 08:00:00"}  # written by hand or another tool
    assert stale_alert(run, timedelta(hours=6), now=now) is None
    assert stale_alert(run, timedelta(hours=2), now=now).startswith(
        "ALERT last run #3 started 2026-11-29 08:00:00, more than 2h ago")
    assert stale_alert(run, timedelta(hours=2), running=True, now=now) == (
        "ALERT run #3 started 2026-11-29 08:00:00, more than 2h ago, and is still running")
    assert "unreadable started_at" in stale_alert({"id": 3, "started_at": "soon"},
                                                  timedelta(hours=2), now=now)


@pytest.mark.parametrize("counted", [True, False])  # killed before its first commit too
def test_status_flags_a_run_left_running_by_a_killed_crawl(tmp_path, counted):
    """A run row left `running` (SIGKILL) is an alert once no crawl holds the lock, and not
    while one does."""
    from crawler import storage
    from crawler.lock import crawl_lock

    db = tmp_path / "n.db"
    database = storage.open_db(db)
    run_id = storage.start_run(database, {})
    if counted:
        database.conn.execute("INSERT INTO run_sites (run_id, site, pages, articles) VALUES"
                              " (?, 'n.example', 10, 8)", [run_id])
    database.conn.commit()
    database.close()
    with crawl_lock(db):
        held = newscrawl("status", "--db", str(db), "--check")
    dead = newscrawl("status", "--db", str(db), "--check")
    assert held.returncode == 0 and "ALERT run" not in held.stdout
    assert dead.returncode == 1
    assert f"ALERT run #{run_id}: recorded as running, but no crawl holds the" in dead.stdout
