"""Tests for crawler.storage, on in-memory databases and temporary files."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlite_utils

from crawler import storage
from crawler.storage import StorageError

MIGRATION_NAMES = [name for name, _ in storage.MIGRATIONS]

BODY = "<html><body><h1>Tallinn ferry</h1><p>The ferry sailed at dawn.</p></body></html>"


def page_item(url: str = "https://news.example.com/a/1", **changes) -> dict:
    """A PageItem as the spider yields it."""
    item = {
        "url": url,
        "requested_url": url + "?utm=x",
        "status": 200,
        "content_type": "text/html; charset=utf-8",
        "headers": {"Content-Type": "text/html; charset=utf-8", "Server": "nginx"},
        "body": BODY.encode("utf-8"),
        "fetched_at": "2026-11-28T02:30:00Z",
        "site": "news.example.com",
        "depth": 1,
        "source": "link",
    }
    return item | changes


def article_dict(text: str = "The ferry sailed at dawn.", **changes) -> dict:
    """An Article.to_dict() as the extractor returns it."""
    article = {
        "url": "https://news.example.com/a/1",
        "canonical_url": "https://news.example.com/a/1",
        "is_article": True,
        "title": "Tallinn ferry",
        "authors": ["Kadri Tamm"],
        "published": "2026-11-27T18:00:00Z",
        "language": "en",
        "text": text,
        "paywall": "none",
        "rule": "news.example.com",
        "description": "A ferry.",
        "site_name": "Example News",
        "text_source": "dom",
        "removed": ["newsletter-box"],
        "reasons": [],
        "extractor_version": "0.1.0",
    }
    article["word_count"] = len(article["text"].split())
    return article | changes


def store(db: sqlite_utils.Database, item: dict, article: dict | None, run_id: int = 1) -> None:
    """Write one page (and its article, if any) the way the pipeline does."""
    articles = [storage.article_row(article, item, run_id)] if article else []
    storage.write_batch(db, [storage.page_row(item, run_id)], articles)


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fts_urls(db: sqlite_utils.Database, query: str) -> list[str]:
    """URLs of articles whose title or text matches an FTS5 query."""
    sql = (
        "SELECT articles.url FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid"
        " WHERE articles_fts MATCH ? ORDER BY articles.url"
    )
    return [row["url"] for row in db.query(sql, [query])]


@pytest.fixture
def db() -> sqlite_utils.Database:
    """A migrated in-memory database."""
    database = sqlite_utils.Database(memory=True)
    storage.migrate(database)
    return database


# -- rows and round trip ---------------------------------------------------------------


def test_page_round_trip(db):
    item = page_item()
    store(db, item, None)
    row = db["pages"].get(item["url"])
    assert row["requested_url"] == item["requested_url"]
    assert row["status"] == 200
    assert json.loads(row["headers"])["Server"] == "nginx"
    assert row["body_size"] == len(item["body"])
    assert row["body_sha256"] == hashlib.sha256(item["body"]).hexdigest()
    assert row["body"] != item["body"]  # compressed
    assert row["is_article"] is None and row["extract_error"] is None
    assert storage.stored_body(db, item["url"]) == item["body"]
    assert storage.stored_body(db, "https://news.example.com/missing") is None


def test_page_refetch_replaces(db):
    store(db, page_item(), None)
    store(db, page_item(status=404, body=b"gone", is_article=False, extract_error="timeout"), None)
    row = db["pages"].get("https://news.example.com/a/1")
    assert (row["status"], row["is_article"], row["extract_error"]) == (404, 0, "timeout")
    assert storage.stored_body(db, row["url"]) == b"gone"
    assert storage.counts(db)["pages"] == 1


def test_a_refetch_that_gives_no_article_keeps_the_page_the_article_was_read_from(db):
    store(db, page_item(), article_dict())
    challenge = page_item(body=b"<html>Checking your browser...</html>",
                          fetched_at="2026-11-29T02:30:00Z", is_article=False)
    store(db, challenge, None)
    kept = db["article_sources"].get("https://news.example.com/a/1")
    assert (kept["fetched_at"], kept["site"]) == ("2026-11-28T02:30:00Z", "news.example.com")
    assert zlib.decompress(kept["body"]) == BODY.encode("utf-8")
    assert storage.stored_body(db, kept["page_url"]) == challenge["body"]
    assert _article(db, "https://news.example.com/a/1")["title"] == "Tallinn ferry"
    # a second non-article fetch keeps the source it has: the block page gave no article
    store(db, page_item(body=b"<html>Still checking</html>", fetched_at="2026-11-30T02:30:00Z",
                        is_article=False), None)
    assert db["article_sources"].get(kept["page_url"])["fetched_at"] == kept["fetched_at"]
    # the page gives its article again: it is the article's source again
    store(db, page_item(fetched_at="2026-12-01T02:30:00Z"), article_dict())
    assert db["article_sources"].count == 0


def test_a_page_that_never_gave_an_article_keeps_no_source(db):
    store(db, page_item(is_article=False), None)
    store(db, page_item(body=b"<html>new</html>", fetched_at="2026-11-29T02:30:00Z"), None)
    store(db, page_item(fetched_at="2026-11-30T02:30:00Z"), article_dict())
    store(db, page_item(fetched_at="2026-12-01T02:30:00Z"), None)  # same body, no article
    assert db["article_sources"].count == 0


def test_runs_a_killed_crawl_left_running_are_marked_interrupted(db):
    killed = storage.start_run(db, {})
    storage.finish_run(db, storage.start_run(db, {}), "ok", {})
    for site, pages, articles in (("a.example", 9, 8), ("b.example", 4, 3)):  # committed
        db["run_sites"].insert({"run_id": killed, "site": site, "pages": pages,
                                "articles": articles, "non_articles": pages - articles,
                                "failed": 1, "skipped": 2})
    assert storage.close_dead_runs(db) == 1
    row = db["runs"].get(killed)
    assert (row["status"], row["finished_at"]) == ("interrupted", None)
    # what it committed, not zeros; skipped pages are the pages that gave no article, as a
    # finished run's are (not robots.txt refusals and the like: run_sites.skipped)
    assert (row["pages_fetched"], row["articles_stored"], row["pages_skipped"],
            row["errors"]) == (13, 11, 2, 2)
    assert storage.close_dead_runs(db) == 0


def test_an_article_whose_page_is_gone_is_marked_not_deleted(db):
    store(db, page_item(), article_dict())
    gone = {"url": "https://news.example.com/a/1", "state": "failed", "reason": "http_404",
            "visited_at": "2026-11-29T02:30:00Z"}
    db.execute("UPDATE articles SET extracted_at = '2000-01-01T00:00:00Z'")
    with db.atomic():
        storage.mark_gone(db, [gone, gone | {"reason": "timeout", "url": "x"}])
    row = _article(db, "https://news.example.com/a/1")
    assert (row["gone_at"], row["title"]) == ("2026-11-29T02:30:00Z", "Tallinn ferry")
    # an incremental export on extracted_at sees the article go
    assert row["extracted_at"] > "2000-01-01T00:00:00Z"
    # re-extracted from the stored page: still gone
    storage.write_batch(db, [], [storage.article_row(article_dict(), page_item(), 1)])
    assert _article(db, "https://news.example.com/a/1")["gone_at"] == "2026-11-29T02:30:00Z"
    # fetched again, and an article again: back
    store(db, page_item(fetched_at="2026-11-30T02:30:00Z"), article_dict())
    assert _article(db, "https://news.example.com/a/1")["gone_at"] is None
    # gone again, then back unchanged (a 304 to the conditional request)
    with db.atomic():
        storage.mark_gone(db, [gone | {"visited_at": "2026-12-01T02:30:00Z"}])
        db.execute("UPDATE articles SET extracted_at = '2000-01-01T00:00:00Z'")
        storage.mark_gone(db, [{"url": gone["url"], "state": "fetched", "http_status": 304,
                                "visited_at": "2026-12-02T02:30:00Z"}])
    row = _article(db, "https://news.example.com/a/1")
    assert row["gone_at"] is None and row["extracted_at"] > "2000-01-01T00:00:00Z"  # and back
    # gone again; a 304 from the page a redirect now leads to is not this article back,
    # nor is a 304 for a body that is not the article's any more
    with db.atomic():
        storage.mark_gone(db, [gone | {"visited_at": "2026-12-03T02:30:00Z"}])
        storage.mark_gone(db, [{"url": gone["url"], "state": "fetched", "http_status": 304,
                                "final_url": "https://news.example.com/other",
                                "visited_at": "2026-12-04T02:30:00Z"}])
    assert _article(db, "https://news.example.com/a/1")["gone_at"] == "2026-12-03T02:30:00Z"
    store(db, page_item(body=b"<html>Story removed</html>", fetched_at="2026-12-05T02:30:00Z",
                        is_article=False), None)
    with db.atomic():
        storage.mark_gone(db, [{"url": gone["url"], "state": "fetched", "http_status": 304,
                                "final_url": gone["url"], "visited_at": "2026-12-06T02:30:00Z"}])
    assert _article(db, "https://news.example.com/a/1")["gone_at"] == "2026-12-03T02:30:00Z"


def test_migration_0007_drops_kept_pages_whose_article_moved(tmp_path):
    path = tmp_path / "six.db"
    db = storage.open_db(path)
    store(db, page_item(), article_dict())
    store(db, page_item(body=b"<html>blocked</html>", fetched_at="2026-11-29T02:30:00Z",
                        is_article=False), None)
    store(db, page_item("https://news.example.com/b/2"), article_dict())  # moved
    store(db, page_item("https://news.example.com/c/3"), article_dict(url="x", canonical_url=
          "https://news.example.com/c/3"))
    store(db, page_item("https://news.example.com/c/3", body=b"<html>gone</html>",
                        fetched_at="2026-11-29T02:30:00Z", is_article=False), None)
    with db.atomic():  # back to schema 6, as a database made before 0007
        db.execute("DROP INDEX idx_article_sources_fetched_at")
        db.execute("ALTER TABLE article_sources DROP COLUMN article_url")
        db.execute("DELETE FROM migrations WHERE name = '0007_source_article'")
    db.close()
    db = storage.open_db(path)
    assert list(db.execute("SELECT page_url, article_url FROM article_sources")) == [
        ("https://news.example.com/c/3", "https://news.example.com/c/3")]
    db.close()


def test_article_round_trip(db):
    item, article = page_item(), article_dict()
    store(db, item, article, run_id=7)
    row = _article(db, "https://news.example.com/a/1")
    assert row["page_url"] == item["url"]
    assert row["site"] == "news.example.com"
    assert json.loads(row["authors"]) == ["Kadri Tamm"]
    assert json.loads(row["removed"]) == ["newsletter-box"]
    assert row["word_count"] == 5
    assert row["content_hash"] == hashlib.sha256(article["text"].encode()).hexdigest()
    assert row["first_seen"] == row["last_seen"] == row["updated_at"] == item["fetched_at"]
    assert row["run_id"] == 7
    assert storage.counts(db) == {"pages": 1, "articles": 1, "runs": 0}


@pytest.mark.parametrize(
    ("canonical", "expected"),
    [
        ("https://news.example.com/a/1-slug", "https://news.example.com/a/1-slug"),
        ("https://www.news.example.com/a/1", "https://www.news.example.com/a/1"),
        ("https://aggregator.example.org/a/1", "https://news.example.com/a/1?x=1"),
        ("/a/1", "https://news.example.com/a/1?x=1"),
        (None, "https://news.example.com/a/1?x=1"),
        # the site's front page, from a story: a template's mistake (all one article)
        ("https://news.example.com/", "https://news.example.com/a/1?x=1"),
        ("https://www.news.example.com", "https://news.example.com/a/1?x=1"),
        ("https://news.example.com/?lang=en", "https://news.example.com/?lang=en"),
    ],
)
def test_article_key_is_canonical_url_on_same_site(canonical, expected):
    item = page_item("https://news.example.com/a/1?x=1")
    row = storage.article_row(article_dict(canonical_url=canonical), item, 1)
    assert row["url"] == expected
    assert row["page_url"] == item["url"]


# -- upsert and full-text search -------------------------------------------------------


def test_article_upsert_keeps_first_seen_and_moves_last_seen(db):
    store(db, page_item(), article_dict(), run_id=1)
    later = page_item(fetched_at="2026-11-29T09:00:00Z")
    store(db, later, article_dict(), run_id=2)
    rows = list(db["articles"].rows)
    assert len(rows) == 1
    assert rows[0]["first_seen"] == "2026-11-28T02:30:00Z"
    assert rows[0]["last_seen"] == "2026-11-29T09:00:00Z"
    assert rows[0]["run_id"] == 2
    assert rows[0]["updated_at"] == "2026-11-28T02:30:00Z"  # same text: not updated


def test_article_update_moves_updated_at_when_text_changes(db):
    store(db, page_item(), article_dict())
    store(db, page_item(fetched_at="2026-11-29T09:00:00Z"), article_dict("A new text."))
    row = _article(db, "https://news.example.com/a/1")
    assert row["first_seen"] == "2026-11-28T02:30:00Z"
    assert row["updated_at"] == "2026-11-29T09:00:00Z"
    assert row["text"] == "A new text."


@pytest.mark.parametrize("site", ["news.example.com", "news", "com", "example.com"])
@pytest.mark.parametrize(("page", "canonical", "same"), [
    ("https://www.news.example.com/a/1", "http://news.example.com/a/1", True),
    ("https://amp.news.example.com/a/1", "https://news.example.com/a/1", True),  # an AMP copy
    ("https://news.example.com/a/1", "https://m.news.example.com/a/1", True),
    ("https://amp.news.example.com/a/1", "https://www.news.example.com/a/1", True),
    ("https://news.example.com/a/1", "https://other.example.com/a/1", False),
    ("https://news.example.com/a/1", "https://example.net/a/1", False),
])
def test_the_canonical_urls_site_is_the_pages_not_the_sites_name(site, page, canonical, same):
    """Which pages are one article does not hang on what the config names their site: a
    name that is no host ("news") takes nothing in, a name that is no site ("com") no more
    than its pages' hosts do; a site named by its domain takes in its subdomains."""
    row = storage.article_row(article_dict(canonical_url=canonical), page_item(page, site=site),
                              1)
    sibling = site == "example.com" and canonical == "https://other.example.com/a/1"
    assert row["url"] == (canonical if same or sibling else page)


def test_the_front_page_may_name_itself_canonical():
    item = page_item("https://www.news.example.com/")
    row = storage.article_row(article_dict(canonical_url="https://news.example.com/"), item, 1)
    assert row["url"] == "https://news.example.com/"


def test_a_page_whose_canonical_url_changed_keeps_one_article(db):
    store(db, page_item(), article_dict("The ferry sailed at dawn."))
    moved = article_dict("The ferry sailed at noon.",
                         canonical_url="https://news.example.com/a/1-ferry-noon")
    store(db, page_item(fetched_at="2026-11-29T09:00:00Z"), moved, run_id=2)
    assert [r["url"] for r in db.query("SELECT url FROM articles")] == [
        "https://news.example.com/a/1-ferry-noon"]
    assert fts_urls(db, "dawn") == [] and fts_urls(db, "noon") == [
        "https://news.example.com/a/1-ferry-noon"]


@pytest.mark.parametrize("text", ["The ferry sailed at dawn.", "The ferry sailed at noon."])
def test_an_article_whose_canonical_url_changed_is_the_same_article(db, text):
    """A new slug is no new story: the row keeps its id and first_seen, updated_at moves
    only with its text, and nothing is recorded as deleted."""
    store(db, page_item(), article_dict("The ferry sailed at dawn."))
    before = _article(db, "https://news.example.com/a/1")
    store(db, page_item(fetched_at="2026-11-29T09:00:00Z"), article_dict(
        text, canonical_url="https://news.example.com/a/1-ferry"), run_id=2)
    after = _article(db, "https://news.example.com/a/1-ferry")
    assert (after["id"], after["first_seen"]) == (before["id"], before["first_seen"])
    assert (after["updated_at"] == before["updated_at"]) == (text == before["text"])
    assert db["articles"].count == 1 and db["article_tombstones"].count == 0
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")


def test_an_article_renamed_without_a_fetch_moves_extracted_at(db):
    """A re-extraction that keys an article under a new canonical URL (a newer extractor
    reading the stored page) renames its row without a fetch: extracted_at must move, or an
    incremental export keyed on it (docs/schema.md) never sees the new URL."""
    item = page_item()
    store(db, item, article_dict("The ferry sailed at dawn."))
    db.execute("UPDATE articles SET extracted_at = '2020-01-01T00:00:00Z'")
    db.conn.commit()
    row = storage.article_row(article_dict(
        "The ferry sailed at dawn.", canonical_url="https://news.example.com/a/1-ferry"), item, 1)
    storage.write_batch(db, [], [row])  # as reextract writes it: the same page, no new fetch
    after = _article(db, "https://news.example.com/a/1-ferry")
    assert db["articles"].count == 1
    assert after["extracted_at"] > "2020-01-01T00:00:00Z"


def test_a_moved_article_whose_new_url_is_taken_gives_way_to_that_article(db):
    store(db, page_item("https://news.example.com/a/2"), article_dict(
        "The ferry sailed at noon.", canonical_url="https://news.example.com/a/2"))
    store(db, page_item(), article_dict("The ferry sailed at dawn."))
    store(db, page_item(fetched_at="2026-11-29T09:00:00Z"), article_dict(
        "The ferry sailed at dawn.", canonical_url="https://news.example.com/a/2"), run_id=2)
    assert [r["url"] for r in db.query("SELECT url FROM articles")] == [
        "https://news.example.com/a/2"]


def test_an_amp_copy_changing_its_canonical_url_leaves_the_storys_article(db):
    story, amp = "https://news.example.com/a/1", "https://news.example.com/amp/a/1"
    store(db, page_item(story), article_dict())
    store(db, page_item(amp, fetched_at="2026-11-28T03:00:00Z"), article_dict())  # wrote last
    assert [r["page_url"] for r in db.query("SELECT page_url FROM articles")] == [amp]
    store(db, page_item(amp, fetched_at="2026-11-29T09:00:00Z"),
          article_dict(canonical_url="https://news.example.com/amp-only/a/1"), run_id=2)
    assert sorted(r["url"] for r in db.query("SELECT url FROM articles")) == [
        "https://news.example.com/a/1", "https://news.example.com/amp-only/a/1"]


def test_the_index_is_rewritten_only_when_title_or_text_change(db):
    store(db, page_item(), article_dict("The ferry sailed at dawn."))
    before = db.conn.total_changes
    store(db, page_item(fetched_at="2026-11-29T09:00:00Z"), article_dict(
        "The ferry sailed at dawn."), run_id=2)  # a refetch, same text
    assert db.conn.total_changes - before == 2  # the page and the article row, no index rows
    store(db, page_item(fetched_at="2026-11-30T09:00:00Z"), article_dict(
        "The ferry sailed at noon."), run_id=3)
    assert fts_urls(db, "noon") == ["https://news.example.com/a/1"] and fts_urls(db, "dawn") == []
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")


def test_fts_follows_upserts(db):
    store(db, page_item(), article_dict("The ferry sailed at dawn."))
    store(db, page_item("https://news.example.com/a/2"), article_dict(
        "Harbour news.", canonical_url=None, title="Other"))  # fmt: skip
    assert fts_urls(db, "dawn") == ["https://news.example.com/a/1"]
    assert fts_urls(db, "tallinn") == ["https://news.example.com/a/1"]  # title is indexed
    store(db, page_item(), article_dict("The icebreaker sailed at noon.", title="Icebreaker"))
    assert fts_urls(db, "icebreaker") == ["https://news.example.com/a/1"]
    assert fts_urls(db, "dawn") == []
    assert fts_urls(db, "tallinn") == []
    assert fts_urls(db, "sailed") == ["https://news.example.com/a/1"]
    assert fts_urls(db, "harbour") == ["https://news.example.com/a/2"]
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")


def test_fts_ignores_diacritics(db):
    store(db, page_item(), article_dict("Tõnis Mägi sang in Pärnu."))
    assert fts_urls(db, "parnu") == ["https://news.example.com/a/1"]


# -- runs ------------------------------------------------------------------------------


def test_runs(db):
    run_id = storage.start_run(db, {"start_urls": ["https://news.example.com/"], "max_depth": 2})
    row = db["runs"].get(run_id)
    assert row["status"] == "running" and row["finished_at"] is None
    assert json.loads(row["options"])["max_depth"] == 2
    stats = {"pages_fetched": 10, "articles_stored": 4, "pages_skipped": 1, "errors": 2,
             "downloader/response_count": 11}  # fmt: skip
    storage.finish_run(db, run_id, "partial", stats)
    row = db["runs"].get(run_id)
    assert row["status"] == "partial" and row["finished_at"].endswith("Z")
    assert (row["pages_fetched"], row["articles_stored"], row["pages_skipped"]) == (10, 4, 1)
    assert row["errors"] == 2
    assert json.loads(row["counts"])["downloader/response_count"] == 11
    assert storage.start_run(db, {}) == run_id + 1
    with pytest.raises(ValueError, match="not one of"):
        storage.finish_run(db, run_id, "done", {})


# -- migrations and opening ------------------------------------------------------------


def test_migrations_recorded_and_idempotent(tmp_path):
    path = tmp_path / "news.db"
    db = storage.open_db(path)
    assert [row["name"] for row in db["migrations"].rows] == MIGRATION_NAMES
    assert storage.migrate(db) == []
    db.close()
    db = storage.open_db(path)
    assert db["migrations"].count == len(MIGRATION_NAMES)
    assert len(storage.MIGRATIONS) == storage.SCHEMA_VERSION
    db.close()


def test_concurrent_first_opens_migrate_once(tmp_path):
    path = tmp_path / "news.db"

    def open_and_count(_: int) -> int:
        db = storage.open_db(path)
        try:
            return db["migrations"].count
        finally:
            db.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(open_and_count, range(8))) == [len(MIGRATION_NAMES)] * 8


def test_migrate_returns_applied_names():
    db = sqlite_utils.Database(memory=True)
    assert storage.migrate(db) == MIGRATION_NAMES
    assert storage.migrate(db) == []


def test_schema(db):
    assert {"pages", "articles", "articles_fts", "runs", "migrations"} <= set(db.table_names())
    indexes = {tuple(ix.columns) for name in ("pages", "articles") for ix in db[name].indexes}
    assert {("site", "published"), ("last_seen",), ("site",), ("fetched_at",)} <= indexes
    triggers = {t.name for t in db["articles"].triggers}
    assert {"articles_ai", "articles_ad", "articles_au"} <= triggers


def test_open_db_settings_on_a_file(tmp_path):
    db = storage.open_db(tmp_path / "news.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_open_db_in_memory():
    db = storage.open_db(":memory:")
    assert storage.counts(db) == {"pages": 0, "articles": 0, "runs": 0}


def test_reader_is_not_blocked_by_an_open_write_transaction(tmp_path):
    path = tmp_path / "news.db"
    writer = storage.open_db(path)
    store(writer, page_item(), article_dict())
    with writer.atomic():
        writer.execute("DELETE FROM articles")
        writer.execute("DELETE FROM pages")
        assert storage.counts(writer)["articles"] == 0
        # WAL: opening and reading see the last committed state without waiting
        started = time.monotonic()
        reader = storage.open_db(path)
        reader.execute("PRAGMA busy_timeout=0")
        assert storage.counts(reader) == {"pages": 1, "articles": 1, "runs": 0}
        assert fts_urls(reader, "dawn") == ["https://news.example.com/a/1"]
        assert time.monotonic() - started < 5
    assert storage.counts(reader)["articles"] == 0
    writer.close()
    reader.close()


def test_open_db_create_false(tmp_path):
    path = tmp_path / "news.db"
    with pytest.raises(StorageError, match="no such database"):
        storage.open_db(path, create=False)
    assert not path.exists()
    path.touch()  # a reader leaves an empty file empty; a crawl makes it a database
    with pytest.raises(StorageError, match="an empty file, not a newscrawl database yet"):
        storage.open_db(path, create=False)
    assert path.stat().st_size == 0
    sqlite3.connect(path).execute("PRAGMA user_version = 1").connection.close()
    size = path.stat().st_size  # an empty SQLite database: not made ours by a reader either
    for upgrade in (False, True):
        with pytest.raises(StorageError, match="an empty SQLite database, not a newscrawl"):
            storage.open_db(path, create=False, upgrade=upgrade)
    assert path.stat().st_size == size and not path.with_suffix(".db-wal").exists()
    storage.open_db(path).close()
    storage.open_db(path, create=False).close()


def _assert_refused(path: Path, match: str, wal: bool = False) -> None:
    """open_db raises a one-line StorageError naming the file and leaves its bytes alone.

    No file appears beside it either, except, for a WAL-mode database, the -wal and -shm
    files that any SQLite reader (ours opens it read-only) may leave.
    """
    before = sha256_file(path) if path.exists() else None
    siblings = sorted(os.listdir(path.parent)) if path.parent.exists() else None
    with pytest.raises(StorageError, match=match) as info:
        storage.open_db(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    if before is not None:
        assert sha256_file(path) == before
    if siblings is not None:
        after = sorted(os.listdir(path.parent))
        if wal:
            after = [name for name in after if not name.endswith(("-wal", "-shm"))]
        assert after == siblings


def test_refuses_missing_parent_folder(tmp_path):
    path = tmp_path / "nope" / "news.db"
    _assert_refused(path, "does not exist")
    assert not path.parent.exists()


def test_refuses_text_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes.\nNot a database.\n")
    _assert_refused(path, "not a SQLite database")


def test_refuses_random_bytes(tmp_path):
    path = tmp_path / "news.db"
    path.write_bytes(os.urandom(8192))
    _assert_refused(path, "not a SQLite database")


def test_refuses_corrupt_sqlite_file(tmp_path):
    path = tmp_path / "news.db"
    storage.open_db(path).close()
    data = bytearray(path.read_bytes())
    data[100:] = os.urandom(len(data) - 100)  # keep the header, garble the pages
    path.write_bytes(bytes(data))
    _assert_refused(path, "corrupt|not a newscrawl", wal=True)


def test_refuses_foreign_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE foo (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO foo (name) VALUES ('bar')")
    conn.commit()
    conn.close()
    _assert_refused(path, "not a newscrawl database .*foo")


def test_refuses_database_from_a_newer_version(tmp_path):
    path = tmp_path / "news.db"
    db = storage.open_db(path)
    db["migrations"].insert({"name": "0999_future", "applied_at": "2030-01-01T00:00:00Z"})
    db.close()
    _assert_refused(path, "newer newscrawl", wal=True)


def test_refuses_a_path_sqlite_cannot_open(tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "missing" / "x.db")
    _assert_refused(link, "cannot open it")


def sqlite_error(message: str, code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def test_an_io_error_is_not_called_a_corrupt_file(tmp_path):
    """A full disk reads as "disk I/O error": the file may be fine, and must not be deleted.
    It, and a lock another connection holds, are transient (running again may work); a
    corrupt file and a permission problem are not."""
    full = sqlite_error("disk I/O error", sqlite3.SQLITE_IOERR | (3 << 8))  # ..._IOERR_WRITE
    error = storage.unreadable(tmp_path / "news.db", full)
    assert "corrupt" not in str(error) and "disk space" in str(error) and error.transient
    garbled = sqlite_error("database disk image is malformed", sqlite3.SQLITE_CORRUPT)
    error = storage.unreadable(tmp_path / "news.db", garbled)
    assert "damaged" in str(error) and "integrity_check" in str(error) and error.damaged
    assert not error.transient
    locked = sqlite_error("database is locked", sqlite3.SQLITE_BUSY)
    error = storage.unreadable(tmp_path / "news.db", locked)
    assert "corrupt" not in str(error) and "locked" in str(error) and "is fine" in str(error)
    assert error.transient
    read_only = sqlite_error("attempt to write a readonly database", sqlite3.SQLITE_READONLY)
    error = storage.unreadable(tmp_path / "news.db", read_only)
    assert "corrupt" not in str(error) and "permissions" in str(error)
    assert not error.transient


def test_a_file_sqlite_cannot_open_is_the_disks_fault_only_on_a_full_filesystem(
        tmp_path, monkeypatch):
    """SQLITE_CANTOPEN does not say why: out of inodes (or blocks), it is the disk's."""
    cannot = sqlite_error("unable to open database file", sqlite3.SQLITE_CANTOPEN)
    assert not storage.disk_trouble(cannot, tmp_path)
    assert not storage.disk_trouble(cannot)  # no folder to look at
    for blocks, inodes in ((0, 50), (50, 0)):  # no block, or no inode, left for a user
        monkeypatch.setattr(storage.os, "statvfs", lambda folder, b=blocks, i=inodes: (
            SimpleNamespace(f_bavail=b, f_files=100, f_favail=i, f_blocks=100, f_flag=0)))
        assert storage.disk_trouble(cannot, tmp_path), (blocks, inodes)
        assert "disk space" in str(storage.unreadable(tmp_path / "news.db", cannot))
    assert storage.disk_trouble(OSError(errno.ENOSPC, "No space left on device"))
    assert not storage.disk_trouble(PermissionError(errno.EACCES, "Permission denied"))


def test_accepts_empty_file(tmp_path):
    path = tmp_path / "news.db"
    path.touch()
    db = storage.open_db(path)
    assert db["migrations"].count == len(MIGRATION_NAMES)
    db.close()


def test_opening_the_file_again_keeps_the_open_connections_locks(tmp_path):
    """A second open_db in the crawl's process (the frontier's, a status query) must not
    drop the first connection's locks: a reader elsewhere would then delete the WAL under
    the crawl, whose later commits go to a deleted file and are lost."""
    path = tmp_path / "news.db"
    writer = storage.open_db(path)
    writer["t"].insert({"x": 1})
    storage.open_db(path).close()
    reader = [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
              "c.execute('SELECT count(*) FROM t').fetchall(); c.close()", str(path)]
    subprocess.run(reader, check=True, timeout=60)
    assert Path(f"{path}-wal").exists()
    writer["t"].insert({"x": 2})
    writer.close()
    assert sqlite_utils.Database(path)["t"].count == 2


# -- atomic batches --------------------------------------------------------------------


def test_write_batch_is_atomic(db):
    good = [storage.page_row(page_item(f"https://news.example.com/a/{i}"), 1) for i in range(3)]
    bad = storage.page_row(page_item("https://news.example.com/a/bad"), 1)
    del bad["site"]  # NOT NULL
    rows = [storage.article_row(article_dict(), page_item(), 1)]
    with pytest.raises(StorageError, match=r"rolled back: NOT NULL constraint failed: pages\.site"):
        storage.write_batch(db, [*good, bad], rows)
    assert storage.counts(db) == {"pages": 0, "articles": 0, "runs": 0}
    assert fts_urls(db, "ferry") == []


def test_write_batch_bad_article_rolls_back_pages(db):
    article = storage.article_row(article_dict(), page_item(), 1)
    article["first_seen"] = None
    with pytest.raises(StorageError, match=r"articles\.first_seen"):
        storage.write_batch(db, [storage.page_row(page_item(), 1)], [article])
    assert storage.counts(db)["pages"] == 0
    store(db, page_item(), article_dict())  # the connection is usable afterwards
    assert storage.counts(db) == {"pages": 1, "articles": 1, "runs": 0}


def _article(db, url: str) -> dict:
    """The articles row with this canonical URL."""
    return next(db["articles"].rows_where("url = ?", [url]))


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_no_database_file():
    """Bad input (2), not a failing disk: SQLite's I/O error on it is no full disk."""
    with pytest.raises(storage.StorageError, match="not a regular file") as caught:
        storage.open_db(Path("/dev/null"))
    assert not caught.value.transient


def test_a_batch_waits_out_another_connections_write_instead_of_failing(tmp_path):
    """An analyst's write (a row in a notes table) holds the write lock for a moment: the
    crawl's batch waits for it (busy_timeout) rather than fail at once with "database is
    locked", as a transaction that read first and then wrote did (SQLite calls no busy
    handler for a connection that holds a read snapshot)."""
    import threading

    path = tmp_path / "news.db"
    db = storage.open_db(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE notes (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO notes VALUES (1)")
    threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
    store(db, page_item(), article_dict("The ferry sailed at dawn."))
    assert _article(db, "https://news.example.com/a/1")["text"] == "The ferry sailed at dawn."
    other.close()
    db.close()


def test_a_crawl_waits_for_another_writer_before_it_starts_and_says_so_in_a_line(
        tmp_path, monkeypatch):
    """Another connection writing the whole time: the check a crawl runs before Scrapy
    starts gives up after busy_timeout with one line (its first write would otherwise fail
    inside Scrapy, with tracebacks and no run recorded); a short write is waited out."""
    import threading

    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "news.db"
    storage.open_db(path).close()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(storage.StorageError) as held:
        storage.wait_for_writers(path)
    assert held.value.transient and "another connection holds it locked" in str(held.value)
    threading.Timer(0.1, lambda: other.execute("COMMIT")).start()
    storage.wait_for_writers(path)  # waited out
    other.close()


def test_a_page_moving_onto_a_deleted_articles_url_brings_that_article_back(db):
    """The new URL had an article, deleted (a tombstone): that article comes back as itself
    (its id and first_seen), and the page's old article is the one deleted; a rename would
    have left the tombstone beside a live row and an updated_at before first_seen."""
    a1, a2 = "https://news.example.com/a/1", "https://news.example.com/a/2"
    store(db, page_item(a2, fetched_at="2026-11-01T00:00:00Z"), article_dict(
        "The ferry sailed at noon.", canonical_url=a2))
    gone = _article(db, a2)
    db.execute("DELETE FROM articles WHERE url = ?", [a2])
    store(db, page_item(a1), article_dict())
    store(db, page_item(a1, fetched_at="2026-11-29T09:00:00Z"), article_dict(
        "The ferry sailed at noon.", canonical_url=a2), run_id=2)
    back = _article(db, a2)
    assert (back["id"], back["first_seen"]) == (gone["id"], gone["first_seen"])
    assert back["first_seen"] <= back["updated_at"]
    assert [r["url"] for r in db.query("SELECT url FROM article_tombstones")] == [a1]


def test_a_story_page_first_stored_in_the_batch_that_moves_its_amp_copy_keeps_its_article(db):
    story, amp = "https://news.example.com/a/1", "https://news.example.com/amp/a/1"
    store(db, page_item(amp), article_dict())  # the AMP copy, fetched first, wrote /a/1
    before = _article(db, story)
    pages = [page_item(story, fetched_at="2026-11-29T09:00:00Z"),
             page_item(amp, fetched_at="2026-11-29T09:00:00Z")]
    articles = [article_dict(), article_dict(canonical_url="https://news.example.com/amp-only/a/1")]
    storage.write_batch(db, [storage.page_row(p, 2) for p in pages],
                        [storage.article_row(a, p, 2) for a, p in zip(articles, pages,
                                                                       strict=True)])
    after = _article(db, story)
    assert (after["id"], after["first_seen"]) == (before["id"], before["first_seen"])


def test_a_kept_pages_article_url_follows_its_article_to_a_new_canonical_url(db):
    store(db, page_item(), article_dict("The ferry sailed at dawn."))
    db.execute("INSERT INTO article_sources (page_url, site, status, fetched_at, body, "
               "body_size, body_sha256, run_id, kept_at, article_url) VALUES (?, ?, 200, ?, "
               "x'00', 1, 'x', 1, ?, ?)", [
                   "https://news.example.com/a/1", "news.example.com", "2026-11-28T02:30:00Z",
                   "2026-11-28T03:00:00Z", "https://news.example.com/a/1"])
    row = storage.article_row(article_dict("The ferry sailed at dawn.", canonical_url=
                                           "https://news.example.com/a/1-ferry"), page_item(), 1)
    storage.write_batch(db, [], [row], sources=False)  # a re-extraction: sources stay
    assert [r["article_url"] for r in db.query("SELECT article_url FROM article_sources")] == [
        "https://news.example.com/a/1-ferry"]


def test_a_commit_that_fails_leaves_no_transaction_open(tmp_path):
    """A COMMIT refused (here a deferred foreign key) rolls back: a transaction left open
    would make every later batch a savepoint of it, never committed."""
    db = sqlite_utils.Database(tmp_path / "fk.db")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) "
               "DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError), storage.write_lock(db):
        db.execute("INSERT INTO child VALUES (7)")
    assert not db.conn.in_transaction
    with storage.write_lock(db):
        db.execute("INSERT INTO parent VALUES (1)")
    assert sqlite3.connect(tmp_path / "fk.db").execute("SELECT id FROM parent").fetchall() == [
        (1,)]


def test_the_wal_a_pinned_reader_let_grow_is_cut_back_after_a_checkpoint(tmp_path, monkeypatch):
    """A reader holding one snapshot through a crawl keeps the writes from being
    checkpointed, and the -wal file grows with them (80 MB for a 400-page crawl). It kept
    that size for as long as any connection stayed open (a Datasette, a notebook); once a
    checkpoint has emptied it, the writer now cuts it back to WAL_SIZE_LIMIT."""
    monkeypatch.setattr(storage, "WAL_SIZE_LIMIT", 256 * 1024, raising=False)
    path = tmp_path / "news.db"
    db = storage.open_db(path)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM pages").fetchone()  # its snapshot, held
    for n in range(40):
        body = os.urandom(64 * 1024)  # incompressible: 64 kB a page in the WAL
        storage.write_batch(db, [storage.page_row(page_item(f"https://news.example.com/{n}",
                                                            body=body), 1)], [])
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size > 2 * 1024 * 1024  # held back by the reader
    reader.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    storage.write_batch(db, [storage.page_row(page_item("https://news.example.com/last"), 1)],
                        [])
    assert wal.stat().st_size <= 256 * 1024
    assert db.execute("SELECT count(*) FROM pages").fetchone() == (41,)
