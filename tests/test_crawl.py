"""End to end: `newscrawl demo` and `newscrawl crawl` into SQLite, through the real CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from scrapy.http.request import NO_CALLBACK

from crawler.demo import serve_site
from crawler.lock import crawl_lock
from tests.ports import spare_port

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo-site"
EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
FAST = ["--log-level", "WARNING", "--workers", "2"]


def newscrawl(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crawler", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> tuple[Path, list[subprocess.CompletedProcess]]:
    """The demo crawled twice into one file (the second run must change no counts)."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    port = str(spare_port())  # bound twice, by each run: no other test may take it between
    runs = [newscrawl("demo", "--db", str(db), "--port", port, *FAST) for _ in range(2)]
    return db, runs


def test_demo_runs_and_prints_a_summary(demo_db):
    _, runs = demo_db
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    assert f"{len(EXPECTED['articles'])} articles stored" in runs[0].stdout
    assert "Russia Refuses Asylum" in runs[0].stdout or "  - " in runs[0].stdout


def test_every_demo_article_stored_exactly_once(demo_db):
    db, _ = demo_db
    stored = sorted(path_of(u) for (u,) in rows(db, "SELECT page_url FROM articles"))
    assert stored == sorted(EXPECTED["articles"])


def test_non_articles_are_recorded_as_pages_only(demo_db):
    db, _ = demo_db
    pages = {path_of(u): a for u, a in rows(db, "SELECT url, is_article FROM pages")}
    for path in EXPECTED["non_articles"]:
        if not path.startswith(("/tag/", "/author/")):  # not followed: crawler/urlpolicy.py
            assert pages[path] == 0, path
    for path in EXPECTED["robots_disallowed"]:
        assert path not in pages


@pytest.mark.parametrize("path", sorted(EXPECTED["articles"]))
def test_demo_article_fields(demo_db, path):
    db, _ = demo_db
    want = EXPECTED["articles"][path]
    title, text, paywall, language, published = rows(
        db, "SELECT title, text, paywall, language, published FROM articles"
        " WHERE page_url LIKE ?", f"%{path}")[0]
    flat = " ".join(text.split())
    assert title == want["title"]
    assert (published[:10] if published else None) == want["published"]
    assert paywall == want["paywall"]
    assert language == want["language"]
    assert [s for s in want["must_contain"] if " ".join(s.split()) not in flat] == []
    assert [s for s in want["must_not_contain"] if " ".join(s.split()) in flat] == []


def test_moscow_times_article_is_exactly_its_six_paragraphs(demo_db):
    db, _ = demo_db
    want = EXPECTED["articles"]["/articles/russia-refuses-asylum-north-korean.html"]
    (text,) = rows(db, "SELECT text FROM articles WHERE page_url LIKE ?",
                   "%russia-refuses-asylum-north-korean.html")[0]
    assert text.split("\n\n") == want["paragraphs"]
    assert len(want["paragraphs"]) == 6


def test_full_text_search_finds_the_refugee_story(demo_db):
    db, _ = demo_db
    hits = rows(db, "SELECT title FROM articles_fts WHERE articles_fts MATCH 'refugee'")
    assert hits == [("Russia Refuses Asylum to North Korean Refugee",)]


def test_second_crawl_of_an_unchanged_site_fetches_no_page(demo_db):
    # incremental: known articles are not fetched again, listings answer 304 (docs/schema.md)
    db, runs = demo_db
    stored = rows(db, "SELECT id, status, pages_fetched, articles_stored FROM runs ORDER BY id")
    assert [r[1] for r in stored] == ["ok", "ok"]
    assert stored[0][3] == len(EXPECTED["articles"])  # the runs table counts what was done
    assert stored[0][2] >= len(EXPECTED["articles"]) + len(EXPECTED["non_articles"]) - 2
    assert stored[1][2:] == (0, 0)
    assert "unchanged (304)" in runs[1].stdout
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == len(EXPECTED["articles"])
    assert rows(db, "SELECT count(*) FROM articles WHERE run_id = 2")[0][0] == 0


@pytest.mark.parametrize("queue_limit", [None, 2])
def test_crawl_command_against_a_live_local_site(tmp_path, queue_limit):
    db = tmp_path / "news.db"
    bounded = ["-s", f"NEWSCRAWL_QUEUE_LIMIT={queue_limit}"] if queue_limit else []
    with serve_site(DEMO) as server:
        run = newscrawl("crawl", f"{server.base_url}/sitemap.xml", "--db", str(db),
                        "--max-depth", "1", "--allow-private", *FAST, *bounded)
    assert run.returncode == 0, run.stderr[-2000:]
    count = rows(db, "SELECT count(*) FROM articles")[0][0]
    assert count == len(EXPECTED["articles"]) - 1  # one article is only linked, not listed
    assert "0 left queued" in run.stdout
    assert rows(db, "SELECT count(*) - count(DISTINCT url) FROM pages") == [(0,)]
    if queue_limit:  # the sitemap's pages waited in the frontier, and came back from it once
        counts = json.loads(rows(db, "SELECT counts FROM runs")[0][0])
        assert counts["newscrawl/frontier/spilled"] == counts["newscrawl/frontier/refilled"] > 5


@pytest.mark.parametrize(("args", "code", "message"), [
    (["crawl", "ftp://example.com/", "--db", "{tmp}/x.db"], 2, "invalid start URL"),
    (["crawl", "not a url", "--db", "{tmp}/x.db"], 2, "invalid start URL"),
    (["crawl", "http://exa mple.com/", "--db", "{tmp}/x.db"], 2, "white space in the URL"),
    (["crawl", "http://exa<mple.com/", "--db", "{tmp}/x.db"], 2, "is not a host name"),
    (["crawl", "http://exa&mple.com/", "--db", "{tmp}/x.db"], 2, "is not a host name"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/missing/x.db"], 2, "does not exist"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/text.db"], 2, "not a SQLite database"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/dead.db"], 1, "nothing could be fetched"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/r.db", "--rules", "{tmp}/nope"], 2,
     "not a folder of site rules"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/r.db", "--rules", "{tmp}"], 2,
     "no site rules in it (a rule is a *.toml file)"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/bad-set.db", "-s", "DOWNLOAD_DELAY=abc"],
     2, "--set DOWNLOAD_DELAY='abc': DOWNLOAD_DELAY takes a number"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/max.db", "-s", "DOWNLOAD_MAXSIZE=abc"],
     2, "DOWNLOAD_MAXSIZE takes a number"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/q.db", "-s", "NEWSCRAWL_QUEUE_LIMIT=-5"],
     2, "--set NEWSCRAWL_QUEUE_LIMIT=-5: NEWSCRAWL_QUEUE_LIMIT takes a number of 0 or more"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/q.db", "-s", "DOWNLOAD_DELAY=-1"],
     2, "DOWNLOAD_DELAY takes a number of 0 or more"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/log.db", "-s", "LOG_FILE={tmp}/no/x.log"],
     2, "the crawl could not start: FileNotFoundError"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/p.db", "-s",
      "NEWSCRAWL_PROGRESS_INTERVAL=-5"], 2, "NEWSCRAWL_PROGRESS_INTERVAL takes a number of 0"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/p.db", "-s",
      "NEWSCRAWL_PROGRESS_INTERVAL=0"], 2, "NEWSCRAWL_PROGRESS_INTERVAL must be a number"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/t.db", "-s",
      "NEWSCRAWL_EXTRACT_TIMOUT=5"], 2, "--set NEWSCRAWL_EXTRACT_TIMOUT: no such newscrawl "
     "setting (did you mean NEWSCRAWL_EXTRACT_TIMEOUT?)"),
    # a slip for a setting newscrawl sets itself is pointed at its option, not at the
    # setting -s refuses
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/t.db", "-s", "NEWSCRAWL_DBB=x"], 2,
     "--set NEWSCRAWL_DBB: no such newscrawl setting (did you mean --db?)"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/j.db", "-s", "JOBDIR={tmp}/job"], 2,
     "--set JOBDIR: newscrawl keeps its queue in the database"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/o.db", "-s", "NEWSCRAWL_RUN_OPTIONS=x"],
     2, "--set NEWSCRAWL_RUN_OPTIONS: set by newscrawl itself, not from the command line"),
    *[(["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/o.db", "-s", f"{name}={value}"], 2,
       f"--set {name}: set by newscrawl itself, not from the command line")
      for name, value in (("NEWSCRAWL_DB", "{tmp}/other.db"), ("NEWSCRAWL_LOCK_HELD", "false"),
                          ("NEWSCRAWL_RULES", "{tmp}"))],
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/s.db", "-s", "SCHEDULER=nope.Nope"],
     2, "the crawl could not start: ModuleNotFoundError: No module named 'nope'"),
    (["crawl", "http://127.0.0.1:9/ http://127.0.0.2:9/", "--db", "{tmp}/x.db"], 2,
     "white space in the URL (two URLs in one argument?)"),
    (["crawl", "http://127.0.0.1:99999/", "--db", "{tmp}/x.db"], 2, "Port out of range"),
    (["crawl", "http://127.0.0.1:abc/", "--db", "{tmp}/x.db"], 2, "invalid start URL"),
    # SQLite's names for what is no file: each connection an empty database (tracebacks,
    # nothing stored, exit 0), or a URI for a file beside which no lock was taken
    (["crawl", "http://127.0.0.1:9/", "--db", ":memory:"], 2,
     "':memory:' is SQLite's in-memory database, not a file name"),
    (["crawl", "http://127.0.0.1:9/", "--db", "file:{tmp}/x.db"], 2,
     "is a URI to SQLite, not a file name"),
    (["crawl", "--db", "{tmp}/x.db"], 2, "Missing argument"),
    (["crawl", "http://x.example/", "--db", "{tmp}/x.db", "--bogus"], 2, "No such option"),
])
def test_bad_input_is_one_line_and_a_nonzero_exit(tmp_path, args, code, message):
    (tmp_path / "text.db").write_text("not a database")
    before = (tmp_path / "text.db").read_bytes()
    run = newscrawl(*[a.format(tmp=tmp_path) for a in args], "--log-level", "ERROR")
    assert run.returncode == code, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert message in last and "Traceback" not in run.stderr
    assert (tmp_path / "text.db").read_bytes() == before
    assert not (tmp_path / "x.db").exists()
    if "could not start" in message:  # the database it made for the run is gone again
        db = Path(args[args.index("--db") + 1].format(tmp=tmp_path))
        assert not db.exists() and not db.with_name(db.name + ".lock").exists()


def test_a_run_that_fetched_nothing_still_prints_its_summary(tmp_path):
    """The run N: lines come whatever the outcome (a cron log shows what the run did)."""
    run = newscrawl("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "dead.db"),
                    "--log-level", "ERROR")
    assert run.returncode == 1
    assert run.stdout.startswith("run 1: 0 pages fetched") and "failed sites: 127.0.0.1" in (
        run.stdout)
    assert run.stderr.strip().splitlines()[-1].startswith(
        "newscrawl: error: nothing could be fetched")


def test_a_dead_server_is_told_once_per_failure_not_once_per_layer(tmp_path):
    """One line for its robots.txt (a WARNING: nothing more of the host is fetched, RFC
    9309), then the error, with the reason robots.txt's download gave; Scrapy's own "Gave
    up retrying" ERROR lines, and its robots.txt ERROR naming the page as if the page had
    failed, are not repeated. With robots.txt not obeyed, the page's own line says why."""
    run = newscrawl("crawl", "http://127.0.0.1:9/news/", "--db", str(tmp_path / "dead.db"),
                    "--allow-private", "-s", "RETRY_TIMES=1", "--log-level", "INFO")
    assert run.returncode == 1
    logged = [line for line in run.stderr.splitlines() if "127.0.0.1:9" in line]
    assert len(logged) == 2, logged
    robots, last = logged
    assert "WARNING: http://127.0.0.1:9/robots.txt could not be fetched (" in robots
    assert "nothing more of its host is fetched this run (RFC 9309)" in robots
    assert last == ("newscrawl: error: nothing could be fetched from http://127.0.0.1:9/news/"
                    " (connection: 1)")
    assert " ERROR: " not in run.stderr and "Gave up retrying" not in run.stderr
    unobeyed = newscrawl("crawl", "http://127.0.0.1:9/news/", "--db", str(tmp_path / "u.db"),
                         "--allow-private", "-s", "RETRY_TIMES=1", "-s", "ROBOTSTXT_OBEY=false",
                         "--log-level", "INFO")
    assert unobeyed.returncode == 1
    page, last = [line for line in unobeyed.stderr.splitlines() if "127.0.0.1:9" in line]
    assert "WARNING: http://127.0.0.1:9/news/: connection (" in page
    assert last.startswith("newscrawl: error: nothing could be fetched")


def test_a_robots_txt_answering_a_server_error_is_one_warning(caplog):
    """Scrapy reads a 500's body as the rules (everything allowed) without a word, and the
    spider's own request for the file said only "http_500": the README promises a line,
    which says what follows (nothing more of the host, RFC 9309)."""
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import RobotsTxtMiddleware

    middleware = RobotsTxtMiddleware(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))
    own = Request("https://news.example.com/robots.txt", meta={"dont_obey_robotstxt": True},
                  callback=NO_CALLBACK)
    for status in (404, 200, 500, 429):
        middleware.process_response(own, Response(own.url, status=status), None)
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        f"https://news.example.com/robots.txt could not be fetched (HTTP {status}): nothing"
        " more of its host is fetched this run (RFC 9309), its URLs wait for the next"
        for status in (500, 429)]


def test_a_robots_txt_failure_record_is_reworded_and_others_pass(caplog):
    import logging

    from scrapy import Request

    from crawler.extensions import _RobotsFetchFailures

    record = logging.LogRecord(
        "scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__, 1,
        "Error downloading %(request)s: %(f_exception)s",
        ({"request": Request("https://news.example.com:8443/a/b?c"), "f_exception": "gone"},),
        None)
    assert _RobotsFetchFailures().filter(record)
    assert (record.levelname, record.getMessage()) == (
        "WARNING", "https://news.example.com:8443/robots.txt could not be fetched (gone): "
        "nothing more of its host is fetched this run (RFC 9309), its URLs wait for the next")
    other = logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", logging.ERROR,
                              __file__, 1, "something else %s", ("x",), None)
    assert _RobotsFetchFailures().filter(other) and other.getMessage() == "something else x"


def test_a_robots_txt_over_the_size_limit_leaves_its_host_allowed_and_says_so(caplog):
    """RFC 9309's complete disallow is for a robots.txt unreachable (a server error, no
    answer), not for one that answered with more than DOWNLOAD_MAXSIZE: that one disallowed
    its whole host, every run while it stayed that big. (RFC 9309 asks that 500 KiB of it be
    read; Scrapy cancels the download unread.)"""
    import logging

    from scrapy import Request
    from scrapy.exceptions import DownloadCancelledError
    from scrapy.utils.test import get_crawler
    from twisted.internet.defer import Deferred
    from twisted.internet.error import ConnectionRefusedError

    from crawler.extensions import _RobotsFetchFailures
    from crawler.middlewares import RobotsTxtMiddleware, RobotsUnavailable

    big = DownloadCancelledError("Cancelling download of https://big.example/robots.txt:"
                                 " expected response size (22020096) larger than download"
                                 " max size (20971520).")
    middleware = RobotsTxtMiddleware(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))
    for netloc, error in (("big.example", big), ("down.example", ConnectionRefusedError())):
        middleware._parsers[netloc] = Deferred()
        middleware._robots_error(error, netloc)
    middleware.process_request_2(None, Request("https://big.example/news/1.html"))
    with pytest.raises(RobotsUnavailable):
        middleware.process_request_2(None, Request("https://down.example/news/1.html"))
    record = logging.LogRecord(
        "scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__, 1,
        "Error downloading %(request)s: %(f_exception)s",
        ({"request": Request("https://big.example/news/1.html"), "f_exception": big},), None)
    assert _RobotsFetchFailures().filter(record)
    assert record.getMessage().endswith(
        "(20971520).): its pages are fetched as if it allowed them")


def test_a_setting_neither_scrapy_nor_newscrawl_defines_is_passed_on_with_a_warning(capsys):
    from crawler.cli import parse_settings

    assert parse_settings(("DOWNLOAD_DELAI=1", "REDIS_URL=redis://127.0.0.1")) == {
        "DOWNLOAD_DELAI": 1, "REDIS_URL": "redis://127.0.0.1"}
    warnings = capsys.readouterr().err.splitlines()
    assert warnings[0].startswith("newscrawl: warning: --set DOWNLOAD_DELAI: not a Scrapy or "
                                  "newscrawl setting (did you mean DOWNLOAD_DELAY?)")
    assert "did you mean" not in warnings[1] and len(warnings) == 2


def test_a_crawl_that_cannot_start_leaves_an_existing_database_alone(tmp_path):
    from crawler import storage

    db = tmp_path / "news.db"
    storage.open_db(db).close()  # there before the command, with no run yet
    run = newscrawl("crawl", "http://127.0.0.1:9/", "--db", str(db), "-s",
                    f"LOG_FILE={tmp_path}/no/x.log", "--log-level", "ERROR")
    assert run.returncode == 2 and "could not start" in run.stderr
    assert storage.counts(storage.open_db(db, create=False)) == {
        "pages": 0, "articles": 0, "runs": 0}


# Faults that strike as the crawl's pipelines open, after the checks before it: run
# through the CLI with the fault set up by the line before it.
AFTER_THE_CHECK = {
    # another connection takes the write lock once the check has waited for writers
    # (SQLite's wait for it cut from 30 s to 0.2 s)
    "another writer": (
        "import sqlite3\n"
        "from crawler import runner, storage\n"
        "storage.BUSY_TIMEOUT_MS = 200\n"
        "checked = runner.check\n"
        "def check_then_lock(options):\n"
        "    sites = checked(options)\n"
        "    check_then_lock.writer = sqlite3.connect(options.db, isolation_level=None)\n"
        "    check_then_lock.writer.execute('BEGIN IMMEDIATE')\n"
        "    return sites\n"
        "runner.check = check_then_lock\n",
        "{db}: another connection holds it locked (database is locked); try again when it"
        " lets go (the file itself is fine)"),
    # the extraction workers cannot be started (no memory left to fork them)
    "no workers": (
        "import crawler.workers as w\n"
        "def cannot(*args):\n"
        "    raise w.PoolError('the extraction workers could not start: OSError: no memory')\n"
        "w.start_pool = cannot\n",
        "the extraction workers could not start: OSError: no memory"),
}


def crawl_after(setup: str, db: Path) -> subprocess.CompletedProcess:
    """`newscrawl crawl` of a dead address into `db`, run after the lines of `setup`."""
    script = setup + "from crawler.entry import main\nmain(prog_name='newscrawl')\n"
    return subprocess.run(
        [sys.executable, "-c", script, "crawl", "http://127.0.0.1:9/", "--db", str(db),
         "--log-level", "WARNING", "--workers", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("fault", AFTER_THE_CHECK)
def test_a_crawl_that_cannot_start_says_why_in_one_line(tmp_path, fault):
    """The pipeline that failed as it opened left Scrapy's engine half open, and Scrapy's
    close of it sent spider_closed to CoreStats, which had never been sent spider_opened:
    an AssertionError traceback (and a RuntimeWarning) came before the one-line error. It
    is that line alone now, exit 1, and the database as it was."""
    from crawler import storage

    db = tmp_path / "news.db"
    database = storage.open_db(db)
    storage.finish_run(database, storage.start_run(database, {}), "ok", {})
    database.close()
    setup, said = AFTER_THE_CHECK[fault]
    run = crawl_after(setup, db)
    assert run.returncode == 1, run.stderr
    assert run.stderr.splitlines() == [f"newscrawl: error: {said.format(db=db)}"]
    assert rows(db, "SELECT id, status FROM runs") == [(1, "ok")]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_a_sigterm_that_kills_the_workers_as_they_start_stops_the_crawl(tmp_path):
    """A SIGTERM sent to the whole process group in the first second or two (`timeout`,
    `kill -- -PGID`) could kill the forkserver before it moved to a group of its own: the
    pool could not start, and the crawl said "the extraction workers could not start:
    BrokenProcessPool", exit 1. The signal was held off meanwhile, and is the reason: the
    crawl was stopped (exit 5) before its run began, as a Ctrl-C then stops it."""
    db = tmp_path / "news.db"
    # (the workers are let up first, then said dead: stopped as they start, they would
    # print their own traceback on the semaphores the pool removed, a race this test
    # does not stand for, as the forkserver's death leaves no worker starting)
    setup = ("import signal\n"
             "import crawler.workers as w\n"
             "up = w._all_up\n"
             "def killed(*args):\n"
             "    up(*args)\n"
             "    signal.raise_signal(signal.SIGTERM)  # held off: the pool is starting\n"
             "    return False  # and its workers died of it\n"
             "w._all_up = killed\n")
    run = crawl_after(setup, db)
    assert run.returncode == 5, run.stderr
    assert run.stderr.splitlines() == ["newscrawl: error: interrupted as the crawl started,"
                                       " before any page was fetched (rerun to crawl)"]
    assert rows(db, "SELECT name FROM sqlite_master WHERE name = 'runs'") == []  # none began


def test_scrapy_crawl_writes_to_its_db_argument_and_takes_the_lock(demo_site, tmp_path):
    """`scrapy crawl news -a db=X` (README): pages, frontier and run all in X, under X's lock."""
    db = tmp_path / "scrapy.db"
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a",
               f"start_urls={demo_site.base_url}/", "-a", f"db={db}", "-a", "max_pages=3",
               "-s", "NEWSCRAWL_ALLOW_PRIVATE=1", "-s", "LOG_LEVEL=WARNING",
               "-s", "NEWSCRAWL_EXTRACT_WORKERS=1"]
    with crawl_lock(db):
        held = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    (said,) = held.stderr.splitlines()  # not CoreStats' traceback, then the error's own
    assert "ERROR: the crawl could not start: another crawl is running on" in said
    assert held.returncode == 1  # (Scrapy's own exit status for a spider a component closed: 0)
    assert not db.exists() or sqlite_utils.Database(db)["pages"].count == 0
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    database = sqlite_utils.Database(db)
    assert database["pages"].count == 3
    assert database.execute("SELECT count(*) FROM runs").fetchone() == (1,)


def test_a_database_the_run_cannot_write_is_refused_before_any_request(tmp_path, monkeypatch):
    from crawler import storage
    db = tmp_path / "news.db"
    storage.open_db(db).close()
    unwritable = {db, tmp_path}
    monkeypatch.setattr(storage.os, "access", lambda path, mode: Path(path) not in unwritable)
    with pytest.raises(storage.StorageError, match=r"folder .* is not writable"):
        storage.check_writable(db)
    unwritable = {db}
    with pytest.raises(storage.StorageError, match="the file is not writable"):
        storage.check_writable(db)
    shm = tmp_path / "news.db-shm"
    shm.touch()  # a reader's, left read-only: SQLite would only say "readonly database"
    unwritable = {shm}
    with pytest.raises(storage.StorageError, match=r"its -shm file .*news.db-shm is not writ"):
        storage.check_writable(db)
    unwritable = set()
    storage.check_writable(db)


def test_a_crawl_opens_no_listening_port(tmp_path):
    from crawler.runner import CrawlOptions, settings_for
    settings = settings_for(CrawlOptions(["http://127.0.0.1:9/"], tmp_path / "x.db"))
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")


def test_a_start_url_robots_txt_forbids_says_so(spider_site, tmp_path):
    run = newscrawl("crawl", f"{spider_site.base_url}/private/secret.html", "--db",
                    str(tmp_path / "r.db"), "--allow-private", "--log-level", "ERROR")
    assert run.returncode == 1, run.stderr[-2000:]
    last = run.stderr.strip().splitlines()[-1]
    assert "nothing could be fetched" in last and "(robots: 1)" in last


def test_a_crawl_that_fails_as_it_starts_is_bad_input_only_for_a_bad_setting():
    import sqlite3

    from crawler.runner import EXIT_FAILED, EXIT_USAGE, start_failure_code
    assert start_failure_code(ValueError("could not convert string to float: 'abc'")) == EXIT_USAGE
    assert start_failure_code(sqlite3.OperationalError("database is locked")) == EXIT_FAILED
    assert start_failure_code(OSError(28, "No space left on device")) == EXIT_FAILED


def test_runs_options_record_the_command_line_but_not_its_secrets(tmp_path):
    from crawler.runner import CrawlOptions, _run_options

    options = _run_options(CrawlOptions(
        ["https://n.example/"], tmp_path / "news.db", config=Path("sites.toml"), workers=2,
        settings={"USER_AGENT": "newscrawl-test", "HTTPPROXY_AUTH_ENCODING": "latin-1",
                  "DEFAULT_REQUEST_HEADERS": {"Authorization": "Bearer s3cret"}}))
    assert options["config"] == str(Path("sites.toml").resolve()) and options["workers"] == 2
    assert options["settings"] == {"USER_AGENT": "newscrawl-test",
                                   "HTTPPROXY_AUTH_ENCODING": "(hidden)",
                                   "DEFAULT_REQUEST_HEADERS": "(hidden)"}


def test_the_exit_1_line_names_why_the_start_urls_failed_not_the_other_urls():
    """An earlier run's URLs tried again (3 stories gone) are not why this run's start URL
    (a 503) gave nothing."""
    from crawler.runner import error_summary

    stats = {"newscrawl/errors/http_404": 3, "newscrawl/errors/http_503": 1,
             "newscrawl/start_errors/http_503": 1, "newscrawl/start_skipped/robots": 1}
    assert error_summary(stats) == "http_503: 1, robots: 1"
    assert error_summary({"newscrawl/errors/http_404": 3}) == "no response"


def test_extract_command_bad_url_is_one_line(tmp_path):
    """`--url 'http://[::1'` was a 52-line traceback."""
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body><p>x</p></body></html>")
    run = newscrawl("extract", str(page), "--url", "http://[::1")
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and "Invalid IPv6 URL" in run.stderr, run.stderr


def quadratic_page(paragraphs: int) -> str:
    """A page libxml2 spends long in one call on: trafilatura's `//p//text()` XPath, one C
    call, merges its node sets in time quadratic in the paragraphs (150,000 one-letter
    ones beside a short story: some 20 s of CPU in that call, minutes for the page)."""
    story = "<p>" + "The council voted on the harbour plan today. " * 10 + "</p>"
    return ("<html><body><div>" + "<p>a</p>" * paragraphs + "</div><article>"
            + story * 5 + "</article></body></html>")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_extract_stops_within_seconds_of_a_sigterm_on_a_page_that_takes_minutes(tmp_path):
    """A SIGTERM (a job runner's stop) reached the command in the middle of that call, and
    Python, which runs signal handlers between bytecodes only, acted on it when the call
    returned: minutes later (a 4.8 MB page of them: still going 16 minutes after the
    signal). Extracted in a worker process, as the crawl and reextract do, the command
    stops the worker at once: exit 5, one line, no process left behind."""
    import os
    import signal
    import time

    from tests.processes import cpu_seconds, in_group

    page = tmp_path / "page.html"
    page.write_text(quadratic_page(150_000), encoding="utf-8")
    command = [sys.executable, "-m", "crawler", "extract", str(page), "--url",
               "https://news.example/2026/01/05/harbour"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        # in that call by now, which begins after about 6 s: the imports, the page's first
        # steps (CPU time, which a loaded machine does not stretch as it does the clock's)
        while cpu_seconds(process.pid) < 8:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 5, stderr
    assert stderr.splitlines() == ["newscrawl: error: interrupted; nothing was done"]
    deadline = time.monotonic() + 5
    while in_group(process.pid):  # its forkserver exits as it sees the command gone
        assert time.monotonic() < deadline, in_group(process.pid)
        time.sleep(0.05)


def test_a_ctrl_c_before_the_crawl_begins_leaves_no_database(tmp_path, monkeypatch):
    """Caught while the database made for the run waited for other writers: "interrupted;
    nothing was done", and a 180 KB database with the schema and no run stayed (a CLI
    walkthrough, 2 tries in 30)."""
    from crawler import runner, storage

    def interrupted(path):
        storage.open_db(path).close()  # as the real one makes it, then the signal
        raise KeyboardInterrupt
    monkeypatch.setattr(storage, "wait_for_writers", interrupted)
    db = tmp_path / "n.db"
    with pytest.raises(KeyboardInterrupt):
        runner.run_crawl(runner.CrawlOptions(["http://127.0.0.1:9/"], db))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("since", "warned"), [("2099-01-01", True), ("2020-01-01", False),
                                               ("not a date", False)])
def test_a_since_after_now_is_warned_of(monkeypatch, since, warned):
    """--since 2052-01-01 (2025 mistyped) held back every dated entry of every listing and
    the run fetched nothing of them, exit 0, without a word (a CLI user's walkthrough)."""
    from click.testing import CliRunner

    import crawler.cli

    monkeypatch.setattr(crawler.cli, "_run", lambda options: None)  # no crawl: the warning
    result = CliRunner().invoke(crawler.cli.cli, ["crawl", "https://news.example.com/",
                                                  "--db", "x.db", "--since", since])
    assert result.exit_code == 0
    assert ("newscrawl: warning: --since 2099-01-01 is after now: every sitemap and feed entry"
            " dated before it waits for a later run" in result.stderr) is warned
