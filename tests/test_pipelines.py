"""The pipelines on their own: a page that hangs or kills its worker, digests, WAL readers.

Components are built with `get_crawler()`; the extraction job is swapped through the
`NEWSCRAWL_EXTRACT_FUNCTION` setting for the functions below (imported by name in the
worker processes). No timing is asserted beyond "the next page is processed".
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import sqlite3
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.utils.test import get_crawler

from crawler import digests, storage
from crawler.cli import cli
from crawler.jobs import extract_job
from crawler.pipelines import ExtractionPipeline, StoragePipeline
from crawler.visits import base_visit

ROOT = Path(__file__).resolve().parent.parent

PAGE = (b"<html><head><title>Harbour wind farm approved</title></head><body><article>"
        b"<h1>Harbour wind farm approved</h1>"
        + b"<p>The council approved the harbour wind farm after a long debate. " * 30
        + b"</p></article></body></html>")


def quick_job(body, url, content_type, rules, fetched_at):
    """A stand-in extraction: instant, or hangs / kills its worker when the URL says so."""
    if url.endswith("/hang"):
        time.sleep(60)
    if url.endswith("/die"):
        os._exit(3)
    article = {"is_article": True, "text": body.decode("utf-8", "replace"), "url": url}
    return {"article": article, "body_digest": digests.body_digest(body),
            "text_digest": digests.text_digest(article["text"])}


def item(url: str, body: bytes = b"<html><body><p>hello</p></body></html>") -> dict:
    return {"url": url, "requested_url": url, "status": 200, "content_type": "text/html",
            "headers": {}, "body": body, "fetched_at": "2026-01-01T00:00:00Z",
            "site": "example.com", "depth": 1, "source": "sitemap"}


@pytest.fixture
def pipeline():
    crawler = get_crawler(settings_dict={
        "NEWSCRAWL_EXTRACT_FUNCTION": f"{__name__}.quick_job",
        "NEWSCRAWL_EXTRACT_WORKERS": 1,
        "NEWSCRAWL_EXTRACT_TIMEOUT": 2.0,
    })
    crawler.stats.open_spider()
    pipeline = ExtractionPipeline.from_crawler(crawler)
    pipeline.open_spider()
    yield pipeline
    pipeline.close_spider()


def process(pipeline: ExtractionPipeline, *items: dict) -> list[dict]:
    async def run():
        return [await pipeline.process_item(i) for i in items]
    return asyncio.run(run())


def rules_job(body, url, content_type, rules, fetched_at):
    """A stand-in extraction that reports the rule folders it was given."""
    return {"article": {"is_article": False, "text": "", "url": url, "rules": list(rules)}}


def test_a_sites_rule_folder_applies_to_its_pages_only(tmp_path):
    from crawler.config import SiteIndex, SiteSpec
    crawler = get_crawler(settings_dict={
        "NEWSCRAWL_EXTRACT_FUNCTION": f"{__name__}.rules_job",
        "NEWSCRAWL_EXTRACT_WORKERS": 1, "NEWSCRAWL_RULES": ["/everywhere"]})
    crawler.stats.open_spider()
    crawler.spider = type("Spider", (), {"sites": SiteIndex([
        SiteSpec(name="example.com", start_urls=("https://example.com/",), rules=tmp_path),
        SiteSpec(name="other.test", start_urls=("https://other.test/",))])})()
    pipeline = ExtractionPipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        own, other = process(pipeline, item("https://example.com/a"),
                             {**item("https://other.test/a"), "site": "other.test"})
    finally:
        pipeline.close_spider()
    assert own["article"]["rules"] == ["/everywhere", str(tmp_path)]
    assert other["article"]["rules"] == ["/everywhere"]


def test_an_article_that_its_sites_rule_did_not_match_is_counted_and_said_once(
        tmp_path, caplog):
    """A rule whose body selector matches nothing (a redesign) left no trace but a NULL
    `articles.rule`: the run counts those articles and names the rule file, once."""
    (tmp_path / "example.com.toml").write_text(
        'domains = ["example.com"]\n[[layout]]\nname = "v1"\nbody = ["div.gone"]\n')
    crawler = get_crawler(settings_dict={"NEWSCRAWL_EXTRACT_WORKERS": 1,
                                         "NEWSCRAWL_RULES": [str(tmp_path)]})
    crawler.stats.open_spider()
    pipeline = ExtractionPipeline.from_crawler(crawler)
    pipeline.open_spider()
    story = (ROOT / "fixtures" / "demo-site" / "articles" / "harbour-wind-farm-approved.html"
             ).read_bytes()
    try:
        with caplog.at_level("WARNING", logger="crawler.pipelines"):
            pages = process(pipeline, *(item(f"https://example.com/2026/01/05/story-{n}",
                                             story) for n in range(2)),
                            item("https://other.test/2026/01/05/story", story))
    finally:
        pipeline.close_spider()
    assert all(p["article"]["is_article"] and p["article"]["rule"] is None for p in pages)
    assert crawler.stats.get_value("newscrawl/extract/no_layout") == 2
    said = [r.getMessage() for r in caplog.records if "matched none of its layouts" in
            r.getMessage()]
    assert len(said) == 1 and str(tmp_path / "example.com.toml") in said[0]


def test_a_page_that_hangs_is_failed_and_the_next_is_processed(pipeline):
    hung, after = process(pipeline, item("https://example.com/hang"),
                          item("https://example.com/next"))
    assert hung["extract_error"] == "timeout after 2s"
    assert "article" not in hung
    assert after["article"]["is_article"] is True
    assert "extract_error" not in after


def test_a_page_that_kills_its_worker_is_failed_and_the_worker_replaced(pipeline):
    died, after = process(pipeline, item("https://example.com/die"),
                          item("https://example.com/next"))
    assert died["extract_error"] == "worker died (exit code 3)"
    assert after["article"]["is_article"] is True
    assert pipeline.stats.get_value("newscrawl/extract/failed") == 1


def test_a_worker_killed_while_idle_breaks_no_page(pipeline):
    """pebble's pool breaks for good when a worker dies waiting for a page (the OOM
    killer, an administrator's kill): a new pool takes over and every page is extracted."""
    import os
    import signal
    import time

    process(pipeline, item("https://example.com/first"))
    workers = pipeline.extraction.pool._pool_manager.worker_manager.workers.values()
    os.kill(next(iter(workers)).pid, signal.SIGKILL)
    time.sleep(0.5)
    pages = process(pipeline, *(item(f"https://example.com/{n}") for n in range(3)))
    assert [page["article"]["is_article"] for page in pages] == [True] * 3
    assert pipeline.stats.get_value("newscrawl/extract/pool_restarts") == 1
    assert pipeline.stats.get_value("newscrawl/extract/failed") is None


def test_a_page_lost_in_a_broken_pool_is_extracted_on_a_new_one(pipeline, monkeypatch):
    """pebble fails the pages a broken pool holds, but not one it takes in just after it
    broke: that page's future never finishes. The wait notices the pool is gone."""
    from concurrent.futures import Future

    broken = pipeline.extraction.pool
    broken.stop()
    broken.join()
    monkeypatch.setattr(broken, "schedule", lambda *args, **kwargs: Future())
    (page,) = process(pipeline, item("https://example.com/a"))
    assert page["article"]["is_article"] is True and "extract_error" not in page
    assert pipeline.stats.get_value("newscrawl/extract/pool_restarts") == 1


def test_a_new_pool_that_cannot_fork_fails_the_page_and_leaves_no_pool(pipeline, monkeypatch):
    import errno
    import os
    import signal
    import time

    import pebble.pool.process

    process(pipeline, item("https://example.com/first"))
    (worker,) = pipeline.extraction.pool._pool_manager.worker_manager.workers.values()
    os.kill(worker.pid, signal.SIGKILL)  # killed while idle: the pool breaks
    time.sleep(0.5)

    def no_fork(*args, **kwargs):  # memory pressure: the new pool's workers cannot fork
        raise OSError(errno.ENOMEM, "Cannot allocate memory")
    monkeypatch.setattr(pebble.pool.process, "launch_process", no_fork)
    (page,) = process(pipeline, item("https://example.com/a"))
    assert page["extract_error"].startswith("the extraction workers could not start")


@pytest.mark.parametrize(("error", "said"), [
    (EOFError(), "EOFError"),  # a forkserver killed as it starts: no message of its own
    (OSError("Cannot allocate memory"), "OSError: Cannot allocate memory"),
])
def test_a_pool_that_cannot_start_says_why(monkeypatch, error, said):
    import crawler.workers

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        @property
        def active(self):
            raise error

        def stop(self):
            pass

        def join(self):
            pass
    monkeypatch.setattr(crawler.workers, "ProcessPool", Broken)
    with pytest.raises(crawler.workers.PoolError) as raised:
        crawler.workers.start_pool(1)
    assert str(raised.value) == f"the extraction workers could not start: {said}"


def test_a_sigterm_that_breaks_the_pool_as_it_starts_is_an_interrupt(monkeypatch):
    """A SIGTERM sent to the whole process group (`timeout`, `kill -- -PGID`) as the pool
    starts reaches the forkserver and the workers too, which die of it: the pool breaks.
    The command's own SIGTERM, held off meanwhile, was dropped with the block's error, and
    `newscrawl extract` said "the extraction workers could not start: BrokenProcessPool"
    (exit 1) where it was stopped (exit 5)."""
    import signal
    from concurrent.futures.process import BrokenProcessPool

    import crawler.workers

    class KilledAsItStarts:
        def __init__(self, *args, **kwargs):
            pass

        @property
        def active(self):
            signal.raise_signal(signal.SIGTERM)  # noted, not acted on: the pool is starting
            raise BrokenProcessPool("a child process terminated abruptly")

        def stop(self):
            pass

        def join(self):
            pass
    monkeypatch.setattr(crawler.workers, "ProcessPool", KilledAsItStarts)
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # as entry.py sets
    try:
        with pytest.raises(KeyboardInterrupt):
            crawler.workers.start_pool(1)
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_sigterm_to_the_whole_group_leaves_the_workers_at_their_pages():
    """`timeout` (a cron job's time limit) and `kill -- -PGID` send SIGTERM to the crawl's
    whole process group. It reached the workers too, which died of it mid-page: the pages
    under way were stored as failed extractions ("worker died (exit code 255)", two in a
    crawl stopped so after 7 s) while the crawl itself stopped gracefully. The workers now
    run in a group of their own (crawler/detach.py): the page under way is extracted, and
    the crawl, which got the signal, stops its workers itself."""
    import subprocess
    import sys

    script = ("import os, signal, time\n"
              "from crawler.workers import Workers\n"
              "noted = []\n"
              "signal.signal(signal.SIGTERM, lambda number, frame: noted.append(number))\n"
              "with Workers(1) as workers:\n"
              "    page = workers.schedule(time.sleep, 30, (1.5,))\n"
              "    time.sleep(0.5)\n"
              "    os.killpg(0, signal.SIGTERM)\n"
              "    page.result()\n"
              "    group = workers.schedule(os.getpgid, 30, (0,)).result()\n"
              "print(noted == [signal.SIGTERM], group != os.getpgid(0))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)},
                         start_new_session=True)  # its group is its own, not the suite's
    assert (run.returncode, run.stdout, run.stderr) == (0, "True True\n", "")


def test_the_workers_end_with_the_command_however_it_is_killed():
    """In a process group of their own, the forkserver and the workers are not reached by a
    SIGKILL to the command's group (`kill -9 -- -PGID`, `timeout -k`): a worker busy with a
    page, and the forkserver, outlived the command until the page was done (here 60 s).
    The kernel now kills the forkserver with the command, and the worker with it."""
    import signal
    import subprocess
    import sys

    script = ("import multiprocessing.forkserver as f, time\n"
              "from crawler.workers import Workers\n"
              "workers = Workers(1)\n"
              "workers.schedule(time.sleep, 90, (60,))\n"
              "(worker,) = workers.pool._pool_manager.worker_manager.workers\n"
              "print(f._forkserver._forkserver_pid, worker, flush=True)\n"
              "time.sleep(60)\n")
    command = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               text=True, cwd=ROOT, start_new_session=True,
                               env=os.environ | {"PYTHONPATH": str(ROOT)})
    try:
        pids = [int(pid) for pid in command.stdout.readline().split()]
        time.sleep(0.5)  # the worker is at its page
        os.killpg(command.pid, signal.SIGKILL)  # the command's group: not the workers'
    finally:
        command.kill()
        command.wait()
        command.stdout.close()

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as stat:  # a zombie is gone: its parent reaps it
                return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    deadline = time.monotonic() + 10
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pids) == 2 and not any(map(alive, pids))


def test_a_worker_writing_to_a_terminal_with_tostop_is_not_stopped():
    """On a terminal, the workers' process group of their own (crawler/detach.py) is a
    background group. With `stty tostop` a write of a background process to the terminal
    stops its whole group (SIGTTOU): a worker's warning (a site rule's `published` that
    matched no date) stopped the forkserver and every worker, and `newscrawl extract` or a
    crawl waited forever. Here a worker writes to the terminal and the job must finish."""
    import pty
    import select
    import signal
    import sys
    import termios

    script = ("import os\n"
              "from crawler.workers import Workers, result\n"
              "with Workers(1) as workers:\n"
              "    job = workers.schedule(os.write, 10, (2, b'from a worker\\n'))\n"
              "    print('written', result(job, workers.pool))\n")
    pid, terminal = pty.fork()
    if pid == 0:  # the session leader, its terminal in the foreground
        try:
            attributes = termios.tcgetattr(0)
            attributes[3] |= termios.TOSTOP
            termios.tcsetattr(0, termios.TCSANOW, attributes)
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-c", script],
                      os.environ | {"PYTHONPATH": str(ROOT)})
        finally:
            os._exit(127)
    output = b""
    deadline = time.monotonic() + 40
    try:
        while time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.5)[0]:
                try:
                    chunk = os.read(terminal, 4096)
                except OSError:  # EIO: every process of the terminal's session is gone
                    break
                if not chunk:
                    break
                output += chunk
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(terminal)
    lines = output.decode().replace("\r", "").splitlines()
    assert (os.waitstatus_to_exitcode(status), lines) == (0, ["from a worker", "written 14"])


def test_a_pool_stopped_as_it_starts_leaves_no_traceback():
    """A crawl that ends at once (its one start URL refused) stops the pool it just started.
    A worker still starting then found the pool's semaphores gone (pebble removes them
    before it stops the workers): FileNotFoundError, a traceback on the crawl's stderr
    (seen once in a few hundred runs of the suite). Here every worker is slow to start and
    outlives the stop's SIGTERM (tests/slow_bootstrap.py), which makes it happen every time
    unless the pool waits for its workers to be up."""
    import subprocess
    import sys

    script = ("import crawler.workers as w\n"
              "w.PRELOAD = [*w.PRELOAD, 'tests.slow_bootstrap']\n"
              "w.Workers(2).stop()\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert run.returncode == 0 and run.stderr == ""


def test_a_pool_that_cannot_start_again_fails_the_page_not_the_crawl(pipeline, monkeypatch):
    import crawler.workers

    def cannot(*args):
        raise crawler.workers.PoolError("the extraction workers could not start")
    pipeline.extraction.pool.stop()
    pipeline.extraction.pool.join()
    monkeypatch.setattr(crawler.workers, "start_pool", cannot)
    (page,) = process(pipeline, item("https://example.com/a"))
    assert page["extract_error"] == "the extraction workers could not start"


def test_a_page_over_the_size_cap_is_failed_without_a_worker(pipeline):
    pipeline.max_bytes = 10
    (big,) = process(pipeline, item("https://example.com/big"))
    assert big["extract_error"].startswith("too large:")


def test_the_worker_job_returns_the_article_and_the_storage_digests():
    result = extract_job(PAGE, "https://example.com/2026/01/01/wind", "text/html", (), "")
    assert result["body_digest"] == digests.body_digest(PAGE)
    assert zlib.decompress(result["body_digest"]["body"]) == PAGE
    if result["article"]["is_article"]:
        assert result["text_digest"] == digests.text_digest(result["article"]["text"])
    else:
        assert result["text_digest"] is None


def test_rows_built_from_worker_digests_equal_rows_built_in_place():
    page = item("https://example.com/a", PAGE)
    article = {"is_article": True, "text": "Some text.", "title": "T"}
    in_place = (storage.page_row(page, 1), storage.article_row(article, page, 1))
    page |= {"body_digest": digests.body_digest(PAGE),
             "text_digest": digests.text_digest("Some text.")}
    assert (storage.page_row(page, 1), storage.article_row(article, page, 1)) == in_place


def storage_pipeline(db_path, batch_size: int = 2) -> StoragePipeline:
    crawler = get_crawler(settings_dict={"NEWSCRAWL_DB": str(db_path),
                                         "NEWSCRAWL_BATCH_SIZE": batch_size})
    crawler.stats.open_spider()
    pipeline = StoragePipeline.from_crawler(crawler)
    asyncio.run(pipeline.open_spider())
    return pipeline


def test_a_database_another_writer_holds_closes_the_spider_as_it_opens(tmp_path,
                                                                       monkeypatch):
    """Raised as it was (sqlite3's "database is locked"), the error left Scrapy's engine
    half open, and its close sent spider_closed to CoreStats, which had never been sent
    spider_opened: a traceback. The pipeline asks Scrapy to close the spider instead,
    says why, records no run and lets go of the file and of the crawl lock."""
    from scrapy.exceptions import CloseSpider

    from crawler.lock import crawl_lock
    from crawler.status import START_ERROR

    db_path = tmp_path / "news.db"
    storage.open_db(db_path).close()
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 100)  # SQLite's wait, 30 s by default
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    crawler = get_crawler(settings_dict={"NEWSCRAWL_DB": str(db_path)})
    crawler.stats.open_spider()
    pipeline = StoragePipeline.from_crawler(crawler)
    with pytest.raises(CloseSpider) as closed:
        asyncio.run(pipeline.open_spider())
    writer.close()
    assert closed.value.reason == "storage_error"
    assert crawler.stats.get_value(START_ERROR) == (
        f"{db_path}: another connection holds it locked (database is locked); try again when"
        " it lets go (the file itself is fine)")
    assert pipeline.db is None and pipeline.run_id is None
    with crawl_lock(db_path):  # let go of, not held until the process ends
        pass
    assert storage.counts(storage.open_db(db_path)) == {"pages": 0, "articles": 0, "runs": 0}


def stored_item(n: int) -> dict:
    page = item(f"https://example.com/{n}", PAGE)
    page["article"] = {"is_article": True, "text": f"Article {n} text.", "title": f"A{n}"}
    return page


def test_a_reader_holding_a_read_transaction_does_not_break_the_writer(tmp_path):
    db_path = tmp_path / "news.db"
    pipeline = storage_pipeline(db_path)
    for n in range(2):
        pipeline.process_item(stored_item(n))
    reader = sqlite3.connect(db_path, timeout=1)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    for n in range(2, 6):  # two more batches committed while the reader holds its snapshot
        pipeline.process_item(stored_item(n))
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2  # its snapshot
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    reader.close()
    pipeline.close_spider()
    pipeline.spider_closed(None, "finished")
    assert storage.counts(storage.open_db(db_path))["pages"] == 6


def visited_item(n: int) -> dict:
    """`stored_item` with the frontier's record of its fetch, as the spider yields it."""
    page = stored_item(n)
    page["visit"] = base_visit(page["url"], {}, page["site"], "fetched")
    return page


def test_disk_full_mid_crawl_stops_cleanly_and_keeps_what_was_committed(tmp_path):
    db_path = tmp_path / "news.db"
    pipeline = storage_pipeline(db_path)
    for n in range(2):  # one committed batch
        pipeline.process_item(visited_item(n))
    used = pipeline.db.execute("PRAGMA page_count").fetchone()[0]
    pipeline.db.execute(f"PRAGMA max_page_count = {used}")  # the disk is now full
    big = [visited_item(n) for n in range(2, 4)]
    for page in big:
        page["body"] = os.urandom(200_000)  # incompressible: needs new pages
    for page in big:
        pipeline.process_item(page)
    assert pipeline.failed
    assert "full" in pipeline.stats.get_value("newscrawl/storage_error")
    pipeline.process_item(visited_item(9))  # arrives while stopping: not written
    pipeline.stats.set_value("newscrawl/pages", 5)  # as the spider counted the five
    pipeline.close_spider()
    pipeline.spider_closed(None, "storage_error")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
        # the run's row counts what it stored, not the pages the rollback took back
        assert conn.execute("SELECT pages_fetched, articles_stored FROM runs").fetchone() == (
            2, 2)


def test_the_summary_of_a_run_a_full_disk_cut_short_says_which_skipped_pages_it_stored(
        tmp_path):
    """Its pages skipped were those fetched ("6 pages skipped (6 not articles...)") where the
    runs row, `status` and the bracket of pages fetched ("2 stored, 4 not") count those
    stored: 2. The summary says both, each for what it is."""
    from crawler.runner import CrawlResult, committed_counts, summary

    db_path = tmp_path / "news.db"
    pipeline = storage_pipeline(db_path)
    skipped = [visited_item(n) for n in range(6)]
    for page in skipped:
        page["article"] = {"is_article": False, "text": "", "title": "A section"}
    for page in skipped[:2]:  # one committed batch
        pipeline.process_item(page)
    used = pipeline.db.execute("PRAGMA page_count").fetchone()[0]
    pipeline.db.execute(f"PRAGMA max_page_count = {used}")  # the disk is now full
    for page in skipped[2:]:
        page["body"] = os.urandom(200_000)  # incompressible: needs new pages
        pipeline.process_item(page)
    assert pipeline.failed
    pipeline.stats.set_value("newscrawl/pages", 6)  # as the spider and the extraction
    pipeline.stats.set_value("newscrawl/extract/non_articles", 6)  # counted them
    pipeline.close_spider()
    pipeline.spider_closed(None, "storage_error")
    row = storage.open_db(db_path).execute("SELECT pages_fetched, pages_skipped FROM runs")
    assert row.fetchone() == (2, 2)
    stats = pipeline.stats.get_stats()
    result = CrawlResult(1, stats, 1.0, [], "failed", recorded=committed_counts(db_path, 1))
    assert summary(result).startswith(
        "run 1: 6 pages fetched (2 stored, 4 not: rolled back or cut short, fetched again next"
        " run) in 1.0s, 0 articles stored, 6 pages skipped (6 not articles, 0 not HTML,"
        " 0 extraction failures; 2 of them stored), ")
    # a run that stored all it fetched says nothing of it
    result = CrawlResult(1, {**stats, "newscrawl/stored/pages": 6}, 1.0, [], "ok")
    assert "of them stored" not in summary(result)


def test_a_last_batch_that_fails_as_the_spider_closes_fails_the_run(tmp_path):
    """The crawl finished (reason "finished"), then its last batch, written as the spider
    closes, found the disk full: the run is `failed`, not `ok`, and `status --check` says so."""
    db_path = tmp_path / "news.db"
    pipeline = storage_pipeline(db_path)
    pipeline.process_item(stored_item(0))
    pipeline.flush()
    used = pipeline.db.execute("PRAGMA page_count").fetchone()[0]
    pipeline.db.execute(f"PRAGMA max_page_count = {used}")  # the disk is now full
    page = stored_item(1)
    page["body"] = os.urandom(200_000)
    pipeline.batch_size = 10  # held for the last batch
    pipeline.process_item(page)
    pipeline.close_spider()
    assert pipeline.failed
    pipeline.spider_closed(None, "finished")
    with sqlite3.connect(db_path) as conn:
        status, counts = conn.execute("SELECT status, counts FROM runs").fetchone()
    assert status == "failed" and "full" in json.loads(counts)["newscrawl/storage_error"]
    result = CliRunner().invoke(cli, ["status", "--db", str(db_path), "--check"])
    assert result.exit_code == 1
    assert re.search(r"ALERT run #1: failed: batch of 1 pages.*full", result.output)


def test_a_write_that_fails_by_a_bug_stops_the_crawl_and_rolls_back(tmp_path, monkeypatch):
    """Not only SQLite's errors: any exception in a batch write rolls it back whole and
    stops the crawl (every later batch would fail the same way)."""
    db_path = tmp_path / "news.db"
    pipeline = storage_pipeline(db_path)
    for n in range(2):  # one committed batch
        pipeline.process_item(stored_item(n))

    def broken(conn, articles):
        raise TypeError("a bug in the writer")
    monkeypatch.setattr(storage.near_duplicates, "link", broken)
    for n in range(2, 4):
        pipeline.process_item(stored_item(n))
    assert pipeline.failed
    assert pipeline.stats.get_value("newscrawl/storage_error") == "TypeError: a bug in the writer"
    pipeline.close_spider()
    pipeline.spider_closed(None, "storage_error")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 2


def test_the_forkserver_preload_warms_what_workers_would_each_load():
    """crawler.preload (imported once by the forkserver) loads justext's stop words, the
    date search's dateparser and dateparser's month names and freezes them, so forked workers
    share them instead of each building their own (~1, ~7 and ~3 MB; the stop words
    were ~20 before they were digests)."""
    import subprocess
    import sys

    probe = ("import gc, crawler.preload, trafilatura.external as e, justext.core as j,"
             " htmldate.extractors as h, extractors.dates as d;"
             "print(len(e.JT_STOPLIST) > 1000, j.define_stoplist.cache_info().currsize,"
             " h.month_words.cache_info().currsize, d.parser.cache_info().currsize,"
             " gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "1", "1", "1", "True"]


def test_the_warmed_stop_words_answer_as_justexts_and_hold_no_strings():
    """trafilatura's tuple of every language's 154,000 stop words and justext's frozenset
    of them took about 20 MB in the forkserver and so in each worker. Warmed, they are a
    `StopWords` (an array of digests) that answers `in` as justext's frozenset did, for
    every stop word and for words that are not; a language's own list is still a frozenset,
    lower-cased."""
    import subprocess
    import sys

    probe = ("import sys, crawler.preload, trafilatura.external as e, justext.core as j;"
             "from justext.utils import get_stoplists, get_stoplist;"
             "from extractors.warm import StopWords;"
             "words = {w for l in get_stoplists() for w in get_stoplist(l)};"
             "justexts = frozenset(w.lower() for w in words);"  # justext.core's own body
             "ours = j.define_stoplist(e.JT_STOPLIST);"
             "others = {w + 'q' for w in words} - justexts;"
             "print(isinstance(ours, StopWords), ours is e.JT_STOPLIST,"
             " all(w.lower() in ours for w in words), not any(w in ours for w in others),"
             " len(others) > 150000, 2 not in ours, sys.getsizeof(ours._digests) < 1.5e6,"
             " j.define_stoplist(('The', 'ΚΑΙ', 'и', '日本')) == {'the', 'και', 'и', '日本'})")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True"] * 8


def test_the_forkserver_carries_the_extractor_not_the_crawler_or_its_database():
    """Every module the forkserver imports is in every worker's memory: Scrapy, Twisted,
    sqlite-utils (and numpy, which it loads where installed) have no job there."""
    import subprocess
    import sys

    probe = ("import sys, crawler.preload; print(sorted({m.split('.')[0] for m in sys.modules}"
             " & {'scrapy', 'twisted', 'sqlite_utils', 'numpy', 'parsel'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_malloc_tuning_and_trimming_are_safe_between_pages():
    from crawler.jobs import release_memory, tune_malloc

    url = "https://example.com/2026/01/05/harbour-wind-farm-approved"
    glibc = platform.libc_ver()[0] == "glibc"
    assert tune_malloc() is glibc  # applied on glibc, a no-op elsewhere
    first = extract_job(PAGE, url, "", (), "")  # trims after the page
    release_memory()
    assert extract_job(PAGE, url, "", (), "") == first and first["article"]["text"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_the_heap_is_handed_back_after_an_outsized_page_only():
    """Trimming after every page cost a worker 9% of its time; now only after a page that
    grew the process by more than RELEASE_ABOVE."""
    from crawler import jobs

    url = "https://example.com/2026/01/05/harbour-wind-farm-approved"
    jobs.tune_malloc()
    jobs.extract_page(PAGE, url, "", (), "")
    jobs.release_memory()  # whatever the test process held before
    jobs.extract_page(PAGE, url, "", (), "")
    assert jobs.release_memory() is False  # a small page: nothing to hand back
    attributes = b"".join(b"<span data-x='%s'></span>" % (b"y" * 2000) for _ in range(8000))
    jobs.extract_page(PAGE.replace(b"<article>", b"<article>" + attributes), url, "", (), "")
    before = jobs._resident()
    assert jobs.release_memory() is True  # its tree's 16 MB of attributes, and copies
    assert jobs._resident() < before - jobs.RELEASE_ABOVE / 2


def test_a_template_naming_another_storys_url_counts_as_the_article_it_keeps(tmp_path):
    """A page whose canonical names another story's URL, sharing none of its text, keeps an
    article of its own (storage.own_keys): two rows, but the summary's articles stored and
    run_sites.articles counted canonical URLs, one (a data team's walkthrough)."""
    words = ["harbour", "council", "ferry", "budget", "tram", "strike", "wind", "quota"]
    texts = [" ".join(f"{words[(n * k) % 8]}{k % 50}" for k in range(300)) for n in (1, 3)]
    story, template = visited_item(1), visited_item(2)
    story["article"] |= {"text": texts[0], "canonical_url": story["url"]}
    template["article"] |= {"text": texts[1], "canonical_url": story["url"]}
    pipeline = storage_pipeline(tmp_path / "news.db", batch_size=2)
    for page in (template, story):  # one batch, as on a first crawl
        pipeline.process_item(page)
    assert pipeline.stats.get_value("newscrawl/stored/articles") == 2
    assert pipeline.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert pipeline.db.execute("SELECT sum(articles) FROM run_sites").fetchone()[0] == 2
    pipeline.close_spider()
    pipeline.spider_closed(None, "finished")
