"""The data team's side: documented schema and views, search, re-extraction, exports,
near-duplicates and the Datasette metadata, on temporary databases and a real demo crawl."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler import export as export_module
from crawler import reextract as reextract_module
from crawler import storage
from crawler.cli import cli
from crawler.export import ExportOptions, export
from crawler.listings import priority_of
from crawler.near_duplicates import (
    BANDS,
    BANDS_INDEX_SQL,
    BANDS_SQL,
    BANDS_TRIGGER_SQL,
    BINS,
    MAX_PAIRS,
    PAIRS_INDEX_SQL,
    PAIRS_SQL,
    PAIRS_TRIGGER_SQL,
    RELINK_SQL,
    SIMILAR,
    VALUES,
    band_keys,
    link,
    link_all,
    minhash,
    similarity,
)
from crawler.reextract import ReextractOptions, reextract
from crawler.search import (
    SearchError,
    SearchOptions,
    TooManySpellings,
    fold_yo,
    format_hits,
    search,
    yo_spellings,
)
from extractors import EXTRACTOR_VERSION
from tests.processes import children

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DOC = ROOT / "docs" / "schema.md"
README = ROOT / "README.md"
METADATA = ROOT / "datasette" / "metadata.yml"
DEMO_ARTICLES = ROOT / "fixtures" / "demo-site" / "articles"

WIRE = ("The harbour authority approved the wind farm on Tuesday after a two-year review, "
        "clearing the way for forty turbines off the northern coast. Fishermen said the "
        "decision ignored their concerns about the spawning grounds, and the council "
        "promised a compensation fund before construction starts next spring.")
OTHER = ("Tallinn's ferry operator cut the winter timetable to two sailings a day, blaming "
         "fuel costs and falling passenger numbers since the new bridge opened last year.")


# -- building databases ----------------------------------------------------------------


def page_item(url: str, site: str, body: bytes = b"<html></html>", **changes) -> dict:
    item = {"url": url, "status": 200, "content_type": "text/html; charset=utf-8",
            "headers": {}, "body": body, "fetched_at": "2026-11-20T08:00:00Z", "site": site,
            "depth": 1, "source": "link"}
    return item | changes


def article(text: str, title: str, **changes) -> dict:
    data = {"canonical_url": None, "is_article": True, "title": title, "authors": ["A. Writer"],
            "published": "2026-11-20T07:00:00Z", "language": "en", "text": text,
            "paywall": "none", "rule": None, "description": None, "text_source": "dom",
            "removed": [], "extractor_version": "0.1.0"}
    return data | changes


def add(db, url: str, site: str, text: str, title: str, page: dict | None = None, **changes):
    item = page_item(url, site, **(page or {}))
    storage.write_batch(db, [storage.page_row(item, 1)],
                        [storage.article_row(article(text, title, **changes), item, 1)])


@pytest.fixture
def news_db(tmp_path):
    """Two sites, a wire story on both, a paywalled article, a German one, two days."""
    db = storage.open_db(tmp_path / "news.db")
    add(db, "https://a.example/wind", "a.example", WIRE, "Wind farm approved")
    add(db, "https://b.example/wire/wind", "b.example", WIRE + " (Reporting by Wire)",
        "Wind farm gets green light")
    add(db, "https://a.example/ferry", "a.example", OTHER, "Ferry timetable cut",
        paywall="metered", published="2026-11-21T09:00:00+02:00")
    add(db, "https://b.example/rad", "b.example", "Die Stadt baut sechs neue Fahrradstraßen "
        "in Pärnu und Tallinn.", "Fahrradstraßen", language="de", published=None,
        page={"fetched_at": "2026-11-22T10:00:00Z"})
    yield db
    db.close()


def database_before(path: Path, migration: str) -> sqlite_utils.Database:
    """A database as a newscrawl without `migration` and the ones after it left it."""
    db = sqlite_utils.Database(path)
    db["migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, migrate in storage.MIGRATIONS[:[n for n, _ in storage.MIGRATIONS].index(migration)]:
        migrate(db)
        db["migrations"].insert({"name": name, "applied_at": "2026-11-01T00:00:00Z"})
    db.conn.commit()  # (a migration runs inside its caller's transaction)
    return db


def names(rows) -> list:
    return [row[0] for row in rows]


# -- schema as a contract --------------------------------------------------------------


def doc_sections() -> dict[str, str]:
    """`name` -> text of its `## name` / `### name` section of docs/schema.md."""
    text = SCHEMA_DOC.read_text("utf-8")
    parts = re.split(r"^#{2,3} `([^`]+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_table_view_column_index_and_trigger_is_documented(tmp_path):
    db = storage.open_db(tmp_path / "fresh.db")
    doc, sections = SCHEMA_DOC.read_text("utf-8"), doc_sections()
    objects = db.execute("SELECT type, name, tbl_name FROM sqlite_master "
                         "WHERE name NOT LIKE 'sqlite_autoindex_%'").fetchall()
    missing = [f"{kind} {name}" for kind, name, _ in objects if f"`{name}`" not in doc]
    for kind, name, _ in objects:
        if kind not in ("table", "view") or name.startswith("articles_fts_") or (
                name == "sqlite_sequence"):
            continue
        section = sections.get(name, "")
        missing += [f"column {name}.{column}" for column in names(
            db.execute(f"SELECT name FROM pragma_table_info('{name}')"))
            if not re.search(rf"`[^`\n]*\b{column}\b[^`\n]*`", section)]
    assert not missing, f"not documented in docs/schema.md: {missing}"


def test_schema_doc_has_the_example_queries():
    doc = SCHEMA_DOC.read_text("utf-8")
    for needle in ("date(published) AS day", "snippet(articles_fts", "paywall IN",
                   "latest_articles", "count(DISTINCT story_id)"):
        assert needle in doc


def test_migration_0001_creates_the_original_article_columns():
    db = sqlite_utils.Database(memory=True)
    storage._0001_initial(db)
    assert "minhash" not in db["articles"].columns_dict
    assert set(db["articles"].columns_dict) == {"id", *storage.ARTICLE_COLUMNS_0001}


def test_migrations_from_0001_fill_minhash_and_the_pairs(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db["migrations"].create({"name": str, "applied_at": str}, pk="name")
    storage._0001_initial(db)
    db["migrations"].insert({"name": "0001_initial", "applied_at": "2026-01-01T00:00:00Z"})
    row = storage.article_row(article(WIRE, "Wind"), page_item("https://a.example/w", "a.example"),
                              1)
    copy = storage.article_row(article(WIRE + " (Reporting by Wire)", "Gust"),
                               page_item("https://b.example/w", "b.example"), 1)
    for stored in (row, copy):
        db["articles"].insert({k: v for k, v in stored.items()
                               if k in storage.ARTICLE_COLUMNS_0001})
    db.close()
    db = storage.open_db(path)
    assert names(db.execute("SELECT minhash FROM articles")) == [
        minhash(WIRE), minhash(WIRE + " (Reporting by Wire)")]  # 0011
    assert "simhash" not in db["articles"].columns_dict
    assert names(db.execute("SELECT extracted_at = last_seen FROM articles")) == [1, 1]  # 0004
    assert names(db.execute("SELECT title FROM articles_fts WHERE articles_fts MATCH 'wind'")
                 ) == ["Wind", "Gust"]  # the index and its update trigger are whole after 0004
    assert list(db.execute("SELECT article_id, duplicate_id FROM near_duplicates")) == [
        (1, 2)]  # 0011 found the pair among the articles stored
    db["articles"].update(1, {"title": "Gale"})
    assert names(db.execute("SELECT title FROM articles_fts WHERE articles_fts MATCH 'gale'")
                 ) == ["Gale"]
    assert names(db.execute("SELECT name FROM migrations"))[1:] == [
        "0002_frontier", "0003_data_views", "0004_extracted_at", "0005_article_sources",
        "0006_gone_at", "0007_source_article", "0008_duplicate_pairs",
        "0009_article_tombstones", "0010_frontier_held", "0011_minhash",
        "0012_frontier_filters", "0013_front_page_keys", "0014_listing_reread",
        "0015_frontier_url_key", "0016_frontier_unfollowed",
        "0017_run_sites_revisited", "0018_priority_seconds", "0019_sitemap_nesting"]
    assert "reread_at" in db["frontier"].columns_dict  # 0014
    assert "nesting" in db["frontier"].columns_dict  # 0019
    plan = db.execute("EXPLAIN QUERY PLAN SELECT url FROM pages WHERE requested_url = 'x'")
    assert "idx_pages_requested_url" in plan.fetchall()[0][-1]  # not a scan of every page


def test_migration_0015_keys_the_frontier_and_drops_rows_queued_for_a_second_spelling(
        tmp_path):
    db = database_before(tmp_path / "old.db", "0015_frontier_url_key")
    row = {"site": "n.example", "source": "link", "discovered_at": "2026-11-01T00:00:00Z",
           "state": "queued", "held": 0}
    fetched = {"state": "fetched", "fetched_at": "2026-11-01T00:00:00Z"}
    skipped = {"state": "skipped", "reason": "redirect_duplicate"}
    db["frontier"].insert_all([
        row | {"url": "https://n.example/a?x=1&y=2"},  # first recorded, never fetched
        row | {"url": "https://n.example/a?y=2&x=1"} | fetched,
        row | {"url": "https://n.example/b?y=2&x=1", "held": 1},  # both queued: the first
        row | {"url": "https://n.example/b?x=1&y=2", "held": 0},  # stays, held as the least
        row | {"url": "https://n.example/c?q=%7e"} | fetched,  # both fetched: both stay
        row | {"url": "https://n.example/c?q=~"} | fetched,
        row | {"url": "https://n.example/d?y=2&x=1"} | skipped,  # a skip takes none's place
        row | {"url": "https://n.example/d?x=1&y=2"},
        row | {"url": "https://n.example/e?y=2&x=1", "state": "failed"},  # tried again
        row | {"url": "https://n.example/e?x=1&y=2"},
        row | {"url": "https://n.example/f?y=2&x=1", "fetched_at": "2026-11-01T00:00:00Z"},
        row | {"url": "https://n.example/f?x=1&y=2"},  # (the other queued again, fetched once)
        row | {"url": "https://n.example/plain"}])
    db.conn.commit()
    db.close()
    db = storage.open_db(tmp_path / "old.db")
    assert db.execute("SELECT url, url_key, held FROM frontier ORDER BY rowid").fetchall() == [
        ("https://n.example/a?y=2&x=1", "https://n.example/a?x=1&y=2", 0),
        ("https://n.example/b?y=2&x=1", "https://n.example/b?x=1&y=2", 0),
        ("https://n.example/c?q=%7e", "https://n.example/c?q=~", 0),
        ("https://n.example/c?q=~", None, 0),
        ("https://n.example/d?y=2&x=1", "https://n.example/d?x=1&y=2", 0),
        ("https://n.example/d?x=1&y=2", None, 0),
        ("https://n.example/e?y=2&x=1", "https://n.example/e?x=1&y=2", 0),
        ("https://n.example/f?y=2&x=1", "https://n.example/f?x=1&y=2", 0),
        ("https://n.example/plain", None, 0)]
    db.close()


def test_migration_0018_counts_an_entrys_priority_in_seconds_and_keeps_listings_above(
        tmp_path):
    db = database_before(tmp_path / "old.db", "0018_priority_seconds")
    row = {"site": "n.example", "source": "sitemap", "discovered_at": "2026-11-01T00:00:00Z"}
    hour = 220_000  # 2025-02-04T16:00:00Z, in hours since 2000
    db["frontier"].insert_all([
        row | {"url": "https://n.example/robots.txt", "priority": 10_000_001},
        row | {"url": "https://n.example/sitemap.xml", "priority": 10_000_000},
        row | {"url": "https://n.example/a", "priority": hour,
               "lastmod": "2025-02-04T16:59:30Z"},  # its date's second
        row | {"url": "https://n.example/b", "priority": hour,
               "lastmod": "2025-02-04T16:05:00Z", "published": "2025-02-04T16:20:00Z"},
        row | {"url": "https://n.example/c", "priority": hour + 1,  # from another listing:
               "lastmod": "2025-02-04T16:30:00Z"},                  # its hour's first second
        row | {"url": "https://n.example/d", "priority": hour},  # no date stored
        row | {"url": "https://n.example/e", "priority": 0, "source": "link"},
        row | {"url": "https://n.example/f", "priority": -2, "source": "link"}])
    db.conn.commit()
    db.close()
    db = storage.open_db(tmp_path / "old.db")
    second = hour * 3600
    assert db.execute("SELECT url, priority FROM frontier ORDER BY priority DESC, url"
                      ).fetchall() == [
        ("https://n.example/robots.txt", 100_000_000_001),
        ("https://n.example/sitemap.xml", 100_000_000_000),
        ("https://n.example/c", second + 3600),
        ("https://n.example/a", second + 59 * 60 + 30),
        ("https://n.example/b", second + 20 * 60),
        ("https://n.example/d", second),
        ("https://n.example/e", 0),
        ("https://n.example/f", -2)]
    assert priority_of("2025-02-04T16:59:30Z") == second + 59 * 60 + 30  # as a new entry's
    db.close()


def test_migration_0011_replaces_simhash_by_minhash(tmp_path):
    """A database a crawl wrote before 0011 (SimHashes, pairs by distance in bits): the
    pairs are found again by MinHash, the SimHash column and its indexes are gone."""
    path = tmp_path / "old.db"
    db = database_before(path, "0011_minhash")
    for n, text in enumerate((WIRE, OTHER, WIRE + " (Reporting by Wire)"), 1):
        row = storage.article_row(article(text, f"T{n}"), page_item(f"https://a.example/{n}",
                                                                    "a.example"), 1)
        db["articles"].insert({k: v for k, v in row.items() if k in storage.ARTICLE_COLUMNS_0001}
                              | {"simhash": n, "gone_at": None})
    db.execute("INSERT INTO article_duplicates VALUES (1, 2, 3)")  # SimHash found a wrong pair
    db.execute("CREATE VIEW my_wire AS SELECT * FROM stories WHERE site = 'a.example'")
    db.close()
    db = storage.open_db(path)
    assert db.execute("SELECT count(*) FROM my_wire").fetchone() == (3,)  # the user's view
    assert names(db.execute("SELECT minhash FROM articles ORDER BY id")) == [
        minhash(WIRE), minhash(OTHER), minhash(WIRE + " (Reporting by Wire)")]
    assert list(db.execute("SELECT article_id, duplicate_id, similarity FROM near_duplicates")
                ) == [(1, 3, similarity(minhash(WIRE), minhash(WIRE + " (Reporting by Wire)")))]
    assert db.execute("SELECT count(DISTINCT story_id) FROM stories").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM article_bands").fetchone() == (3 * BANDS,)
    assert "simhash" not in db["articles"].columns_dict
    assert not list(db.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%simhash%'"))
    db.execute("DELETE FROM articles WHERE id = 3")  # the triggers still clean up after it
    assert db.execute("SELECT count(*) FROM article_bands").fetchone() == (2 * BANDS,)
    assert list(db.execute("SELECT * FROM article_duplicates")) == []


def test_migration_0013_gives_articles_keyed_by_the_front_page_their_pages_urls(tmp_path):
    """Two stories whose canonical link named the front page were one article, keyed by it
    (the last one stored): after 0013 each story's article is keyed by its own page, and one
    whose page has an article of its own already is gone."""
    path = tmp_path / "old.db"
    db = database_before(path, "0013_front_page_keys")
    front = "https://a.example/"
    rows = [storage.article_row(article(text, title, canonical_url=front),
                                page_item(url, "a.example"), 1)
            for text, title, url in ((WIRE, "Wire", "https://a.example/2026/wire"),
                                     (OTHER, "Other", "https://a.example/2026/other"))]
    for row in rows:
        row["url"] = front if row["title"] == "Wire" else row["page_url"]
    db["articles"].insert_all([{k: v for k, v in row.items() if k in db["articles"].columns_dict}
                               for row in rows])
    db["articles"].insert({k: v for k, v in rows[1].items() if k in db["articles"].columns_dict}
                          | {"url": "https://a.example", "id": 9})  # a copy of Other
    db.close()
    db = storage.open_db(path)
    assert sorted(db.execute("SELECT url, page_url FROM articles")) == [
        ("https://a.example/2026/other", "https://a.example/2026/other"),
        ("https://a.example/2026/wire", "https://a.example/2026/wire")]


# -- views -----------------------------------------------------------------------------


def test_views(news_db):
    daily = list(news_db.query("SELECT * FROM site_daily_counts ORDER BY site, day"))
    assert [(r["site"], r["day"], r["articles"]) for r in daily] == [
        ("a.example", "2026-11-20", 1), ("a.example", "2026-11-21", 1),
        ("b.example", "2026-11-20", 1), ("b.example", "2026-11-22", 1)]  # no date: first_seen
    summary = {r["site"]: r for r in news_db.query("SELECT * FROM site_summary")}
    assert summary["a.example"]["paywalled_share"] == 0.5
    assert summary["b.example"]["paywalled"] == 0
    latest = list(news_db.query("SELECT title FROM latest_articles"))
    assert latest[0]["title"] == "Fahrradstraßen"
    versions = list(news_db.query("SELECT * FROM extraction_versions"))
    assert sum(r["articles"] for r in versions) == 4


def test_near_duplicates_group_wire_copy(news_db):
    pairs = list(news_db.query("SELECT * FROM near_duplicates"))
    assert [(p["site"], p["duplicate_site"]) for p in pairs] == [("a.example", "b.example")]
    assert pairs[0]["similarity"] == similarity(minhash(WIRE),
                                                minhash(WIRE + " (Reporting by Wire)"))
    assert SIMILAR <= pairs[0]["similarity"] < 1
    stories = news_db.execute("SELECT count(*), count(DISTINCT story_id) FROM stories")
    assert stories.fetchone() == (4, 3)


def test_near_duplicate_pairs_follow_the_articles_as_they_are_written(news_db):
    db = news_db
    pairs = "SELECT article_id, duplicate_id, similarity FROM article_duplicates"
    [(wind, wire, apart)] = db.execute(pairs).fetchall()
    ids = dict(db.execute("SELECT url, id FROM articles"))
    assert (wind, wire) == (ids["https://a.example/wind"], ids["https://b.example/wire/wind"])
    # a third copy pairs with both; a refetch with the same text changes nothing
    add(db, "https://c.example/wind", "c.example", WIRE + " Updated.", "Wind (update)")
    add(db, "https://a.example/wind", "a.example", WIRE, "Wind farm approved",
        page={"fetched_at": "2026-11-21T08:00:00Z"})
    third = db.execute("SELECT id FROM articles WHERE url = 'https://c.example/wind'").fetchone()
    assert sorted(db.execute(pairs).fetchall()) == sorted([
        (wind, wire, apart),
        (wind, third[0], similarity(minhash(WIRE), minhash(WIRE + " Updated."))),
        (wire, third[0], similarity(minhash(WIRE + " (Reporting by Wire)"),
                                    minhash(WIRE + " Updated.")))])
    # a text rewritten into another story leaves the group; a deleted article takes its pairs
    add(db, "https://c.example/wind", "c.example", "The city council passed next year's "
        "budget by one vote after a night of debate over the library's opening hours.", "Vote")
    assert db.execute(pairs).fetchall() == [(wind, wire, apart)]
    db.execute("DELETE FROM articles WHERE id = ?", [wire])
    assert db.execute(pairs).fetchall() == []
    assert list(db.query("SELECT * FROM near_duplicates")) == []


def test_migration_0011_keeps_the_simhash_column_a_view_of_the_users_reads(tmp_path):
    """SQLite refuses to drop a column a view reads (and any column before 3.35): the
    column stays, emptied, and the rest of the migration goes ahead."""
    path = tmp_path / "old.db"
    db = database_before(path, "0011_minhash")
    row = storage.article_row(article(WIRE, "Wind"), page_item("https://a.example/w",
                                                               "a.example"), 1)
    db["articles"].insert({k: v for k, v in row.items() if k in storage.ARTICLE_COLUMNS_0001}
                          | {"simhash": 7})
    db.execute("CREATE VIEW my_hashes AS SELECT id, simhash FROM articles")
    db.close()
    db = storage.open_db(path)
    assert list(db.execute("SELECT * FROM my_hashes")) == [(1, None)]
    assert names(db.execute("SELECT minhash FROM articles")) == [minhash(WIRE)]
    add(db, "https://b.example/w", "b.example", WIRE + " (Reporting by Wire)", "Gust")
    assert list(db.execute("SELECT article_id, duplicate_id FROM near_duplicates")) == [(1, 2)]


def test_a_template_sent_many_times_makes_pairs_by_the_article_not_the_square(tmp_path):
    db = storage.open_db(tmp_path / "news.db")
    for n in range(30):  # one story, 30 copies, written one by one as a crawl writes them
        add(db, f"https://a.example/{n}", "a.example", f"{WIRE} {n}", f"Copy {n}")
    pairs = "SELECT article_id, duplicate_id, similarity FROM article_duplicates ORDER BY 1, 2"
    written = db.execute(pairs).fetchall()
    later = {}
    for a, b, _ in written:
        later.setdefault(b, []).append(a)
    assert max(len(found) for found in later.values()) == MAX_PAIRS  # not 29
    assert all(found == sorted(found)[:MAX_PAIRS] and min(found) == 1 for found in later.values())
    assert db.execute("SELECT count(DISTINCT story_id) FROM stories").fetchone() == (1,)
    with db.atomic():  # migration 0011 fills the table with the same pairs
        link_all(db.conn)
    assert db.execute(pairs).fetchall() == written


def test_near_duplicate_pairs_kept_as_articles_change_are_the_pairs_filled_from_scratch():
    """Two stories of about 40 copies each (over the cap), written in batches, some
    rewritten in place (nearer, farther, into another story, no text), some deleted: after
    every batch the tables hold exactly what migration 0011's fill finds."""
    db = sqlite_utils.Database(memory=True)
    db.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, minhash BLOB)")
    for sql in (BANDS_SQL, BANDS_INDEX_SQL, BANDS_TRIGGER_SQL, PAIRS_SQL, PAIRS_INDEX_SQL,
                RELINK_SQL, PAIRS_TRIGGER_SQL):
        db.execute(sql)
    rng = random.Random(7)

    def values() -> list[int]:
        return [rng.getrandbits(32) for _ in range(BINS)]

    stories = [values() for _ in range(2)]

    def copy_of(story: list[int]) -> bytes:  # 0 to 36 values changed: 1 to 0.44 alike
        copy, other = list(story), values()
        for place in rng.sample(range(BINS), rng.randint(0, 36)):
            copy[place] = other[place]
        return VALUES.pack(*copy)

    pairs = "SELECT * FROM article_duplicates ORDER BY article_id, duplicate_id"
    bands = "SELECT * FROM article_bands ORDER BY 1, 2"
    stored: dict[int, bytes | None] = {}
    deleted = most = 0
    for _ in range(40):
        batch = {}  # id: (MinHash before the batch, after), as write_batch gives link
        for _ in range(rng.randint(1, 10)):
            if len(stored) > 5 and rng.random() < 0.15:  # a delete (its pairs' trigger)
                article_id = rng.choice(sorted(stored))
                db.execute("DELETE FROM articles WHERE id = ?", [article_id])
                del stored[article_id]
                batch.pop(article_id, None)  # write_batch links what is still stored
                deleted += 1
                continue
            if len(stored) > 5 and rng.random() < 0.4:  # an article stored before, rewritten
                article_id = rng.choice(sorted(stored))
                value = (None if rng.random() < 0.2 else
                         copy_of(rng.choice(stories)) if rng.random() < 0.8 else
                         VALUES.pack(*values()))
                db.execute("UPDATE articles SET minhash = ? WHERE id = ?", [value, article_id])
                before = batch.get(article_id, (stored[article_id],))[0]
            else:
                value, before = copy_of(rng.choice(stories)), None
                article_id = db.execute("INSERT INTO articles (minhash) VALUES (?)",
                                        [value]).lastrowid
            batch[article_id] = (before, value)
            stored[article_id] = value
        link(db.conn, [(a, before, now) for a, (before, now) in batch.items() if before != now])
        kept = db.execute(pairs).fetchall(), db.execute(bands).fetchall()
        link_all(db.conn)
        assert kept == (db.execute(pairs).fetchall(), db.execute(bands).fetchall())
        most = max([most, *(n for (n,) in db.execute(
            "SELECT count(*) FROM article_duplicates GROUP BY duplicate_id"))])
    assert most == MAX_PAIRS  # the cap was reached
    assert min(n for (n,) in db.execute("SELECT similarity FROM article_duplicates")) >= SIMILAR
    assert deleted > 10


def test_minhash():
    assert minhash("") is None and minhash("  ...  ") is None
    assert minhash(WIRE) == minhash(WIRE.upper().replace(",", ""))  # words, not punctuation
    assert len(minhash(WIRE)) == 4 * BINS and len(minhash("one word")) == 4 * BINS
    assert similarity(minhash(WIRE), minhash(OTHER)) < 0.1
    words = (WIRE + " " + OTHER).split()
    story = " ".join(words[(n * 7) % len(words)] for n in range(400))  # a 400-word article
    edited = story.replace(words[7], "Monday", 1) + " (Reporting by Wire; editing by Desk)"
    assert similarity(minhash(story), minhash(edited)) >= 0.8
    keys = band_keys(minhash(WIRE))
    assert len(set(keys)) == BANDS and all(-(2**63) <= key < 2**63 for key in keys)


def _minhash_as_documented(text: str) -> bytes | None:
    """The module docstring's MinHash, spelled out slowly: what stored rows hold."""
    words = re.findall(r"\w+", text.lower())
    grams = words if len(words) < 3 else [" ".join(words[i:i + 3])
                                          for i in range(len(words) - 2)]
    if not grams:
        return None
    bins: list[int | None] = [None] * 64
    for gram in set(grams):
        value = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(),
                               "big")
        slot, rest = value % 64, value // 64
        bins[slot] = rest if bins[slot] is None else min(bins[slot], rest)
    filled = [i for i, value in enumerate(bins) if value is not None]
    for i in range(64):
        if bins[i] is None:
            j = next((k for k in filled if k > i), filled[0])
            bins[i] = bins[j] + ((j - i) % 64) * 0x9E3779B97F4A7C15
    return b"".join((value & 0xFFFFFFFF).to_bytes(4, "big") for value in bins)


@pytest.mark.parametrize("text", [WIRE, OTHER, "one", "one word", "Три слова здесь",
                                  "a a a a a b", WIRE * 3])
def test_minhash_values_stay_what_stored_rows_hold(text):
    """A faster MinHash must give the same values: the stored ones are compared with new
    ones, and a changed hash would pair no new article with an old one."""
    assert minhash(text) == _minhash_as_documented(text)


def test_short_wire_copy_pairs_where_simhash_missed_it(tmp_path):
    """A 42-word story and its copy with a new first sentence (SimHash put them 20-odd bits
    apart): a pair, whatever order they are written in."""
    db = storage.open_db(tmp_path / "news.db")
    rewritten = "Officials confirmed the decision late on Tuesday." + WIRE[WIRE.index(" after"):]
    add(db, "https://b.example/wind", "b.example", rewritten, "Wind farm: the decision")
    add(db, "https://a.example/wind", "a.example", WIRE, "Wind farm approved")
    assert [(r["site"], r["duplicate_site"]) for r in db.query("SELECT * FROM near_duplicates")
            ] == [("b.example", "a.example")]


# -- search ----------------------------------------------------------------------------


def test_search_finds_e_and_yo_spellings_of_a_word(news_db):
    add(news_db, "https://b.example/tram", "b.example", "Протяжённость новой линии составит "
        "восемь километров, движение начнётся осенью.", "Трамвай", language="ru")
    add(news_db, "https://b.example/tree", "b.example", "Все ждут, когда на площади поставят "
        "елку.", "Елка", language="ru")
    def found(query: str, **options) -> list[str]:
        return [h["url"] for h in search(news_db, query, SearchOptions(**options))]
    tram, tree = ["https://b.example/tram"], ["https://b.example/tree"]
    assert found("протяженность") == found("протяжённость") == tram
    assert found("начнется", literal=True) == found("движение начнется", literal=True) == tram
    assert found("движение начнется") == found("(восемь OR девять) начнется осенью") == tram
    assert found('"движение начнется"') == tram
    assert found("ёлку") == found("всё") == found("всё NOT трамвай") == tree
    assert found("протяжен* AND осенью") == tram
    assert found("NEAR(движение начнётся)") == tram  # NEAR takes phrases: as typed
    assert found("text:начнётся") == tram and found("text:начнется") == []  # as typed
    assert yo_spellings("её") == ["ее", "ёе", "её", "ёё"]
    assert yo_spellings("ЁЛКА") == ["ЕЛКА", "ЁЛКА"] and yo_spellings("cat") == ["cat"]
    # a run of terms side by side written out as (a AND b): FTS5 takes it between phrases
    # only, and it binds tighter than NOT; a dash or an emoji, no token, is left out of it
    assert fold_yo("ёж кот OR пёс") == "((еж OR ёж) AND кот) OR (пес OR пёс)"
    assert fold_yo("кот NOT пёс — 🎄 лис") == "кот NOT ((пес OR пёс) AND лис)"
    assert found("восемь — начнется") == tram
    assert found("движение NOT осенью зимой") == tram  # NOT (осенью зимой), as FTS5 reads it
    assert found("движение NOT осенью километров") == []
    assert fold_yo("кот пёс)") == "кот пёс)"  # unbalanced: FTS5 says so, as typed
    for typed in ("title:ёж", "ёж + кот", "^ёж", "{title text}:ёж", "NEAR (ёж кот)"):
        assert fold_yo(typed) == typed


def test_a_long_phrase_is_searched_in_every_spelling_of_each_of_its_words(news_db):
    """Six е/ё letters make 64 spellings of the phrase, and a whole sentence 4,096: each
    word is varied on its own, in the spellings the index holds."""
    add(news_db, "https://b.example/tram", "b.example", "Строительство начнётся летом, а "
        "первые вагоны, по планам городских властей, выйдут на маршрут через два года, "
        "сообщает отдел перевозок мэрии.", "Трамвай", language="ru")
    def found(query: str) -> list[str]:
        return [h["url"] for h in search(news_db, query, SearchOptions())]
    tram = ["https://b.example/tram"]
    typed = '"строительство начнется летом а первые вагоны по планам городских властей"'
    assert found(typed) == found(typed.replace("начнется", "начнётся")) == tram
    assert found(typed.replace("летом", "зимой")) == []  # still a phrase
    assert found('"первые вагоны по планам городских властей выйдут"') == tram
    assert found('"первые вагоны по планам городских властей вы"*') == tram
    assert found('"вагоны первые"') == []
    assert found('"строительство начнется летом а первые вагоны по планам городских властей '
                 'выйдут на маршрут через два года сообщает отдел перевозок мэрии"') == tram
    assert fold_yo('"всё ёж"') == '("все еж" OR "все ёж" OR "всё еж" OR "всё ёж")'
    held = {'"все"', '"её"'}  # the index's spellings, when it holds some
    assert fold_yo('"всё её" OR ёж', held.__contains__) == '"все её" OR ёж'
    with pytest.raises(TooManySpellings):
        fold_yo(" ".join(["её"] * 5).join('""'))  # 1024 spellings, none known to be absent
    add(news_db, "https://b.example/her", "b.example", "Ее нет, её нет.", "Она", language="ru")
    with pytest.raises(SearchError, match="512 spellings with е and ё, more than 256"):
        found(" ".join(["её"] * 9).join('""'))  # said, not searched as typed


def test_search_ranked_with_highlights(news_db):
    hits = search(news_db, "wind farm", SearchOptions())
    assert {h["site"] for h in hits} == {"a.example", "b.example"}
    assert "[Wind]" in hits[0]["title"] and "[farm]" in hits[0]["snippet"]
    assert hits[0]["rank"] <= hits[-1]["rank"]
    assert [h["url"] for h in search(news_db, "parnu", SearchOptions())] == [
        "https://b.example/rad"]  # diacritics folded


def test_search_filters(news_db):
    assert [h["site"] for h in search(news_db, "wind", SearchOptions(site="b.example"))] == [
        "b.example"]
    assert search(news_db, "ferry", SearchOptions(since="2026-11-21"))
    assert not search(news_db, "ferry", SearchOptions(since="2026-11-21T08:00:00Z"))  # 07:00Z
    assert len(search(news_db, "wind OR ferry", SearchOptions(limit=2))) == 2


def test_a_folded_query_means_what_the_typed_one_does():
    """Random queries (words with е, phrases, dashes and emoji, brackets, AND / OR / NOT)
    over texts spelled with е only, where the ё spellings fold_yo adds find nothing: every
    query FTS5 reads as typed gives the same rows folded."""
    rng = random.Random(3)
    words = ["лес", "ель", "кот", "пес", "дом", "mir", "все", "—", "🎄", "«нет»"]
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{storage.FTS_TOKENIZE}')")
    db.executemany("INSERT INTO t VALUES (?)", [(" ".join(rng.choices(words[:7], k=4)),)
                                                for _ in range(40)])

    def rows(query: str) -> list[int]:
        return [r[0] for r in db.execute("SELECT rowid FROM t WHERE t MATCH ?", [query])]

    def query(depth: int = 0) -> str:
        parts = []
        for n in range(rng.randint(1, 4)):
            if n and rng.random() < 0.5:
                parts.append(rng.choice(["AND", "OR", "NOT"]))
            if depth < 2 and rng.random() < 0.15:
                parts.append(f"({query(depth + 1)})")
            elif rng.random() < 0.15:
                parts.append(f'"{" ".join(rng.choices(words, k=rng.randint(1, 2)))}"')
            else:
                parts.append(rng.choice(words) + ("*" if rng.random() < 0.1 else ""))
        return " ".join(parts)
    checked = 0
    for _ in range(1500):
        typed = query()
        try:
            expected = rows(typed)
        except sqlite3.OperationalError:
            continue  # FTS5 refuses it as typed
        assert rows(fold_yo(typed)) == expected, (typed, fold_yo(typed))
        checked += 1
    assert checked > 1000


def test_search_says_which_hits_are_gone(news_db):
    news_db.execute("UPDATE articles SET gone_at = '2026-11-25T10:00:00Z' "
                    "WHERE url = 'https://a.example/ferry'")
    [hit] = search(news_db, "ferry", SearchOptions())
    assert hit["gone_at"] == "2026-11-25T10:00:00Z"
    # not why: a 404, a 410 or a permanent redirect (docs/schema.md, gone_at)
    assert list(format_hits([hit]))[1].endswith("(gone since 2026-11-25)")
    assert [h["gone_at"] for h in search(news_db, "wind", SearchOptions())] == [None, None]


def test_search_syntax_errors_and_literal(news_db):
    with pytest.raises(SearchError, match="--literal"):
        search(news_db, "C++", SearchOptions())
    with pytest.raises(SearchError, match=r"no such column: night \(FTS5 reads a word after "):
        search(news_db, "ferry -night", SearchOptions())
    assert search(news_db, '"all-night"', SearchOptions()) == []  # as the message says
    with pytest.raises(SearchError, match="a '\\*' or '\\^' needs a word before it"):
        search(news_db, "*", SearchOptions())
    assert search(news_db, "covid-19", SearchOptions(literal=True)) == []
    assert search(news_db, "wind farm\"", SearchOptions(literal=True))
    for punctuation in ('"', "*", "— …"):  # '*' found nothing, and said so with exit 0
        with pytest.raises(SearchError, match="no words to search for") as raised:
            search(news_db, punctuation, SearchOptions(literal=True))
        assert "--literal" not in str(raised.value)


@pytest.mark.parametrize(("query", "found"), [
    ("Tallinn's", ["https://a.example/ferry"]), ("tallinn's ferry", ["https://a.example/ferry"]),
    ("two-year", ["https://a.example/wind", "https://b.example/wire/wind"]),
    ("Tallinn's*", ["https://a.example/ferry"]), ("(two-year OR Tallinn's) AND ferry",
                                                  ["https://a.example/ferry"]),
    ("covid-19", []), ("U.S.", []),
])
def test_words_with_punctuation_are_searched_as_a_reader_means_them(news_db, query, found):
    """FTS5 refused them ("syntax error near \"'\"", "no such column: year"); a query that
    fails as typed is tried again with each such word as a "phrase" of its tokens."""
    assert sorted(hit["url"] for hit in search(news_db, query, SearchOptions())) == found


@pytest.mark.parametrize("query", ["wind & farm", "wind / farm", "wind farm !", "wind , farm"])
def test_punctuation_standing_alone_between_words_is_passed_over(news_db, query):
    """FTS5 refused "syntax error near \"&\"" (exit 2) where "Q&A" or "farm!" were found:
    punctuation alone between words is no word, as the tokenizer reads it inside one."""
    assert sorted(hit["url"] for hit in search(news_db, query, SearchOptions())) == [
        "https://a.example/wind", "https://b.example/wire/wind"]


def test_a_query_of_punctuation_alone_is_still_an_error(news_db):
    for query in ("&", "& /"):
        with pytest.raises(SearchError, match="syntax error"):
            search(news_db, query, SearchOptions())


def test_a_word_with_punctuation_is_searched_in_both_spellings_of_e_and_yo(news_db):
    """A query FTS5 cannot parse as typed (a hyphenated word) was retried as phrases, but
    unfolded: the spelling with е found nothing where the article has ё."""
    add(news_db, "https://b.example/press", "b.example", "Всё-таки завтра начнётся "
        "пресс-конференция.", "Пресса", language="ru")
    press = ["https://b.example/press"]
    for query in ("начнется пресс-конференция", "все-таки", "всё-таки", "\"все-таки\""):
        assert [h["url"] for h in search(news_db, query, SearchOptions())] == press, query


def test_a_query_nested_past_the_recursion_limit_is_a_search_error(news_db):
    with pytest.raises(SearchError, match="cannot search for"):
        search(news_db, "(" * 1200 + "ёж" + ")" * 1200, SearchOptions())


def run_cli(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_damaged_database_is_one_line_not_a_traceback(news_db, tmp_path):
    db = tmp_path / "news.db"
    storage.start_run(news_db, {})
    pages = dict(news_db.execute("SELECT name, rootpage FROM sqlite_master WHERE name IN "
                                 "('articles', 'runs')"))
    size = news_db.execute("PRAGMA page_size").fetchone()[0]
    news_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    news_db.close()
    with db.open("r+b") as file:  # the two tables' root pages, overwritten
        for page in pages.values():
            file.seek((page - 1) * size)
            file.write(b"\xff" * size)
    for args in (["status"], ["search", "wind"], ["export", "--format", "jsonl", "-o", "-"]):
        result = run_cli(*args, "--db", db)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.strip().splitlines() == [
            f"newscrawl: error: {db}: database disk image is malformed: "
            f"{storage.DAMAGED_ADVICE}"], args


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_behind_stdout_is_one_line(news_db, tmp_path):
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "crawler", "export", "--db",
                              str(tmp_path / "news.db"), "--format", "jsonl", "-o", "-"],
                             stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert run.returncode == 1  # a failure: running again may work once there is room
    assert run.stderr.strip().splitlines() == [
        "newscrawl: error: cannot write to stdout: No space left on device: free some disk "
        "space or check the device, then run again"]


def test_search_command(news_db, tmp_path):
    db = tmp_path / "news.db"
    result = run_cli("search", "wind", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2
    result = run_cli("search", "ferry", "--db", db)
    assert "1. [Ferry] timetable cut" in result.stdout and "a.example/ferry" in result.stdout
    assert run_cli("search", "C++", "--db", db).exit_code == 2
    assert run_cli("search", "x", "--db", db, "--since", "yesterday").exit_code == 2
    result = run_cli("search", "x", "--db", tmp_path / "missing.db")
    assert result.exit_code == 2 and "no such database" in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_search_odd_input_and_output_is_never_a_traceback(news_db, tmp_path):
    """A huge --limit, bytes that are not UTF-8, a terminal that cannot show the text, a
    reader that stops early: a one-line error or a quiet exit, never a traceback."""
    add(news_db, "https://a.example/tram", "a.example", "Движение по новой линии трамвая "
        "начнётся в марте.", "Трамвай", language="ru")
    db = str(tmp_path / "news.db")
    result = run_cli("search", "x", "--db", db, "--limit", "99999999999999999999")
    assert result.exit_code == 2 and "--limit" in result.output

    def newscrawl(*args, env=None):
        return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT,
                              capture_output=True, env={**os.environ, **(env or {})})

    for args in ([b"caf\xe9", "--db", db], ["ferry", "--db", db, "--site", b"\xff"]):
        run = newscrawl("search", *args)
        assert run.returncode == 2 and b"not valid UTF-8" in run.stderr, run.stderr
    latin = {"PYTHONIOENCODING": "latin-1"}
    run = newscrawl("search", "начнётся", "--db", db, env=latin)
    assert run.returncode == 0 and b"1 result(s)" in run.stderr, run.stderr
    run = newscrawl("search", "начнётся", "--db", db, "--json", env=latin)
    assert json.loads(run.stdout.decode("utf-8"))[0]["title"] == "Трамвай"


def test_search_into_a_closed_pipe_exits_quietly(tmp_path):
    db = storage.open_db(tmp_path / "many.db")
    storage.write_batch(db, [], [storage.article_row(
        article(f"{WIRE} {n}", f"Wind story {n}"), page_item(f"https://a.example/{n}",
                                                             "a.example"), 1)
        for n in range(1000)])  # far more hits than a pipe buffer holds
    db.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "search", "wind", "--db", str(tmp_path / "many.db"),
         "--limit", "1000"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == b""


# -- exports ---------------------------------------------------------------------------


def test_export_jsonl_csv(news_db, tmp_path):
    out = tmp_path / "a.jsonl"
    assert export(news_db, out, ExportOptions("jsonl", site="a.example")) == 2
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {r["site"] for r in rows} == {"a.example"}
    assert rows[0]["authors"] == ["A. Writer"] and "minhash" not in rows[0]
    result = run_cli("export", "--db", tmp_path / "news.db", "--format", "csv", "-o", "-",
                     "--since", "2026-11-21")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["title"] for r in table] == ["Ferry timetable cut", "Fahrradstraßen"]
    assert json.loads(table[0]["authors"]) == ["A. Writer"]
    assert set(table[0]) == set(news_db["articles"].columns_dict) - {"minhash"}


def test_export_parquet(news_db, tmp_path, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(export_module, "BATCH_ROWS", 3)
    result = run_cli("export", "--db", tmp_path / "news.db", "-o", tmp_path / "a.parquet")
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == 4
    assert table.column("authors").to_pylist()[0] == ["A. Writer"]
    assert str(table.schema.field("word_count").type) == "int64"
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_export_never_overwrites_its_database(news_db, tmp_path, suffix):
    db = tmp_path / "news.db"
    before = news_db["articles"].count
    result = run_cli("export", "--db", db, "--format", "jsonl", "-o", f"{db}{suffix}")
    assert result.exit_code == 2 and "refusing to write the export over" in result.stderr
    assert sqlite_utils.Database(db)["articles"].count == before


def test_export_errors(news_db, tmp_path):
    db = tmp_path / "news.db"
    assert run_cli("export", "--db", db, "-o", tmp_path / "a.txt").exit_code == 2
    assert run_cli("export", "--db", db, "--format", "parquet", "-o", "-").exit_code == 2
    result = run_cli("export", "--db", db, "-o", tmp_path / "no" / "a.csv")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_export_writes_through_symlinks_and_fifos(news_db, tmp_path):
    """The file behind a symlink is replaced (the link stays); a FIFO is written to, not
    replaced by a file; a folder it may not write in is a one-line error."""
    db = tmp_path / "news.db"
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    assert run_cli("export", "--db", db, "-o", tmp_path / "link.csv").exit_code == 0
    assert (tmp_path / "link.csv").is_symlink() and (tmp_path / "real.csv").is_file()
    assert "Fahrradstraßen" in (tmp_path / "real.csv").read_text("utf-8")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run_cli("export", "--db", db, "-o", fifo).exit_code == 0
    assert len(reader.communicate(timeout=30)[0].splitlines()) == 4
    assert stat.S_ISFIFO(fifo.stat().st_mode) and not list(tmp_path.glob("*.part"))
    os.mkfifo(tmp_path / "pipe.parquet.fifo")
    reader = subprocess.Popen(["cat", str(tmp_path / "pipe.parquet.fifo")],
                              stdout=subprocess.DEVNULL)  # so that a writer would not block
    try:
        result = run_cli("export", "--db", db, "--format", "parquet", "-o",
                         tmp_path / "pipe.parquet.fifo")
    finally:
        reader.kill()
    assert result.exit_code == 2 and "parquet needs a file of its own" in result.stderr


def test_export_os_errors_are_one_line(news_db, tmp_path, monkeypatch):
    """A full disk is a failure (1: running again may work), a permission bad input (2)."""
    for errno, code, says in (
            (28, 1, "No space left on device: free some disk space or check the device, "
                    "then run again"),
            (13, 2, "Permission denied")):
        def failing(*args, errno=errno):
            raise OSError(errno, os.strerror(errno))

        monkeypatch.setitem(export_module.TEXT_WRITERS, "csv", failing)
        result = run_cli("export", "--db", tmp_path / "news.db", "-o", tmp_path / "a.csv")
        assert result.exit_code == code
        assert result.stderr.splitlines() == [f"newscrawl: error: {tmp_path / 'a.csv'}: {says}"]
        assert not list(tmp_path.glob("a.csv*"))  # no .part left behind


def test_export_to_dev_stdout_appends_to_what_the_shell_opened(news_db, tmp_path):
    """`newscrawl export -o /dev/stdout >> log`: the log keeps its lines."""
    log = tmp_path / "export.log"
    log.write_text("an earlier line\n", "utf-8")
    with log.open("a") as out:
        run = subprocess.run([sys.executable, "-m", "crawler", "export", "--db",
                              str(tmp_path / "news.db"), "--format", "jsonl", "-o", "/dev/stdout"],
                             cwd=ROOT, stdout=out, stderr=subprocess.PIPE)
    assert run.returncode == 0, run.stderr
    lines = log.read_text("utf-8").splitlines()
    assert lines[0] == "an earlier line" and len(lines) == 5


def test_export_to_stdout_is_utf8_whatever_the_locale(news_db, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "export", "--db", str(tmp_path / "news.db"),
         "--format", "jsonl", "-o", "-"], cwd=ROOT, capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0, result.stderr
    assert "Fahrradstraßen".encode() in result.stdout


def export_peak(db, path: Path, fmt: str) -> int:
    tracemalloc.start()
    export(db, path, ExportOptions(fmt))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_export_memory_is_flat(tmp_path, monkeypatch):
    """Ten times the rows, about the same peak memory: rows stream, batches are bounded."""
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(export_module, "BATCH_ROWS", 100)
    db = storage.open_db(tmp_path / "big.db")
    peaks = {}
    for total in (300, 3000):
        rows = [storage.article_row(article(f"{WIRE} {n} " * 4, f"t{n}"), page_item(
            f"https://a.example/{n}", "a.example"), 1) for n in range(db["articles"].count, total)]
        storage.write_batch(db, [], rows)
        peaks[total] = {fmt: export_peak(db, tmp_path / f"x.{fmt}", fmt)
                        for fmt in ("jsonl", "csv", "parquet")}
    table_bytes = sum(len(r["text"]) for r in db.query("SELECT text FROM articles"))
    for fmt in ("jsonl", "csv", "parquet"):
        assert peaks[3000][fmt] < 2 * peaks[300][fmt] + 200_000, (fmt, peaks)
        assert peaks[3000][fmt] < table_bytes / 4, (fmt, peaks, table_bytes)


# -- re-extraction ---------------------------------------------------------------------

DEMO_PAGES = ("island-ferry-timetable-cut.html", "russia-refuses-asylum-north-korean.html",
              "harbour-wind-farm-approved.html", "wendstadt-fahrradstrassen.html")


@pytest.fixture
def stored_pages_db(tmp_path):
    """Raw demo-site pages stored as a crawl would, never extracted; plus one other site."""
    db = storage.open_db(tmp_path / "pages.db")
    items = [page_item(f"http://demo.test/articles/{name}", "demo.test",
                       (DEMO_ARTICLES / name).read_bytes()) for name in DEMO_PAGES]
    items.append(page_item("http://demo.test/about/", "demo.test",
                           (DEMO_ARTICLES.parent / "about" / "index.html").read_bytes()))
    items.append(page_item("http://other.test/a", "other.test", b"<html><p>x</p></html>"))
    storage.write_batch(db, [storage.page_row(item, 1) for item in items], [])
    yield db
    db.close()


def test_reextract_called_from_a_thread_runs(stored_pages_db, tmp_path):
    """As a library call from a web app's or a job queue's thread, where signal handlers
    cannot be set (the Ctrl-C hold is the command's, in the main thread)."""
    import threading
    found = {}

    def run() -> None:
        db = storage.open_db(tmp_path / "pages.db")
        found.update(reextract(db, ReextractOptions(site="demo.test", workers=1)))
        db.close()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert found["demo.test"].pages == 5


def test_reextract_goes_on_when_a_worker_is_killed_while_idle(stored_pages_db, monkeypatch):
    """pebble's pool breaks for good when a worker dies waiting for a page (the OOM killer,
    an administrator's kill): a new pool takes over and every page is extracted."""
    import signal
    import time

    started = []

    class Recorded(reextract_module.Workers):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    def killing(db, site):
        for number, page in enumerate(read(db, site)):
            if number == 2:  # one page in flight at a time: the first two are done
                for worker in started[0].pool._pool_manager.worker_manager.workers.values():
                    os.kill(worker.pid, signal.SIGKILL)
                time.sleep(0.5)
            yield page

    read = reextract_module.stored_pages
    monkeypatch.setattr(reextract_module, "WINDOW_PER_WORKER", 1)
    monkeypatch.setattr(reextract_module, "Workers", Recorded)
    monkeypatch.setattr(reextract_module, "stored_pages", killing)
    site = reextract(stored_pages_db, ReextractOptions(site="demo.test", workers=1))["demo.test"]
    assert (site.pages, site.failed, site.gained) == (5, 0, 4)
    assert started[0].restarts == 1


def test_a_page_lost_in_a_broken_pool_runs_again_on_a_new_one():
    """pebble fails the pages a broken pool holds, but not one it takes in just after it
    broke: that page's future never finishes. The wait notices the pool is gone."""
    from concurrent.futures import Future

    workers = reextract_module.Workers(1)
    try:
        broken = workers.pool
        broken.stop()
        broken.join()
        body = zlib.compress((DEMO_ARTICLES / DEMO_PAGES[0]).read_bytes())  # as stored
        args = (reextract_module.stored_job, 30.0, (body, "http://demo.test/a", "text/html",
                                                     (), "2026-11-20T08:00:00Z"))
        never = Future()  # what pebble leaves the lost page
        outcome = reextract_module._outcome(workers, {"url": "http://demo.test/a"},
                                            (broken, never, args, ()))
        assert outcome.error is None and outcome.article["is_article"]
        assert workers.restarts == 1 and workers.pool is not broken
    finally:
        workers.stop()


def test_reextract_gains_loses_and_keeps_first_seen(stored_pages_db):
    db = stored_pages_db
    stale = storage.article_row(article(OTHER, "Not an article any more"),
                                page_item("http://demo.test/about/", "demo.test"), 1)
    storage.write_batch(db, [], [stale])
    report = reextract(db, ReextractOptions(site="demo.test", workers=2))
    assert list(report) == ["demo.test"]
    site = report["demo.test"]
    assert (site.pages, site.failed, site.gained, site.lost) == (5, 0, 4, 1)
    assert db["articles"].count == 4
    verdicts = dict(db.execute("SELECT url, is_article FROM pages WHERE site = 'demo.test'"))
    assert sorted(verdicts.values()) == [0, 1, 1, 1, 1]
    assert db.execute("SELECT is_article FROM pages WHERE site = 'other.test'").fetchone() == (
        None,)  # other site untouched
    again = reextract(db, ReextractOptions(site="demo.test"))["demo.test"]
    assert (again.gained, again.lost, again.changed, again.articles_after) == (0, 0, 0, 4)
    assert set(names(db.execute("SELECT extractor_version FROM articles"))) == {
        EXTRACTOR_VERSION}


def test_reextract_keeps_the_page_the_crawl_took_a_shared_canonical_article_from(
        tmp_path, monkeypatch):
    """Two pages, fetched in the same second, declare one canonical URL: the article stays
    the one read from the page the crawl wrote last, whatever the URLs' order (and however
    the run's own writes interleave with its reads: one page in flight, one per batch)."""
    from crawler.jobs import extract_page

    monkeypatch.setattr(reextract_module, "WINDOW_PER_WORKER", 1)
    db = storage.open_db(tmp_path / "canon.db")
    html = (DEMO_ARTICLES / "harbour-wind-farm-approved.html").read_text("utf-8").replace(
        "__BASE_URL__/articles/harbour-wind-farm-approved.html", "http://demo.test/x/canon")
    pages = {}
    for name in ("aa", "zz"):
        body = html.replace("The decision", f"VERSION{name.upper()}: the decision", 1)
        pages[name] = page_item(f"http://demo.test/x/{name}", "demo.test", body.encode())
    storage.write_batch(db, [storage.page_row(item, 1) for item in pages.values()], [])
    for owner in ("aa", "zz"):  # as if the crawl had written this one last
        item = pages[owner]
        found = extract_page(item["body"], item["url"], item["content_type"], (),
                             item["fetched_at"])
        assert f"VERSION{owner.upper()}" in found["text"]
        storage.write_batch(db, [], [storage.article_row(found, item, 1)])
        with db.conn:  # written long ago: a write now would show
            db.execute("UPDATE articles SET updated_at = '2020-01-01T00:00:00Z', "
                       "extracted_at = '2020-01-02T00:00:00Z'")
        report = reextract(db, ReextractOptions(site="demo.test", workers=1, batch_size=1)
                           )["demo.test"]
        assert (report.pages, report.changed, report.gained, report.lost) == (2, 0, 0, 0), owner
        [(page_url, text)] = db.execute("SELECT page_url, text FROM articles")
        assert page_url == item["url"] and f"VERSION{owner.upper()}" in text
        # the other page's version was not written on the way: the article is as it was
        assert db.execute("SELECT updated_at, extracted_at FROM articles").fetchone() == (
            "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"), owner
    db.close()


def test_the_copies_reextract_held_back_are_looked_up_a_chunk_at_a_time(tmp_path):
    """Every copy held back waits for the end of the run: one IN list of all their URLs
    failed the run's last step past SQLite's limit on a statement's variables."""
    db = storage.open_db(tmp_path / "n.db")
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # SQLite's before 3.32
    held = [storage.article_row(article(f"Story {i} of the ferry timetable.", f"T{i}"),
                                page_item(f"http://demo.test/amp/{i}", "demo.test"), 1)
            for i in range(1200)]
    reextract_module.write_unclaimed(db, {row["url"]: row for row in held})
    assert db["articles"].count == 1200


def test_reextract_keeps_an_article_read_from_an_earlier_body(stored_pages_db):
    """The page now holds a block page (the crawl kept the article): not the body's to judge."""
    db = stored_pages_db
    older = storage.article_row(article(OTHER, "Read before the block page"),
                                page_item("http://demo.test/about/", "demo.test",
                                          fetched_at="2026-01-01T00:00:00Z"), 1)
    storage.write_batch(db, [], [older])
    report = reextract(db, ReextractOptions(site="demo.test", workers=2))["demo.test"]
    assert (report.lost, report.articles_after) == (0, 5)
    assert db.execute("SELECT title FROM articles WHERE page_url = ?",
                      ["http://demo.test/about/"]).fetchone() == ("Read before the block page",)


def test_reextract_reads_an_article_whose_page_now_serves_a_block_page(stored_pages_db,
                                                                      tmp_path):
    db = stored_pages_db
    reextract(db, ReextractOptions(site="demo.test"))
    url = f"http://demo.test/articles/{DEMO_PAGES[0]}"
    title = db.execute("SELECT title FROM articles WHERE page_url = ?", [url]).fetchone()[0]
    block = page_item(url, "demo.test", b"<html><body>Checking your browser</body></html>",
                      fetched_at="2026-11-21T08:00:00Z", is_article=False)
    storage.write_batch(db, [storage.page_row(block, 2)], [])
    assert db["article_sources"].count == 1
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "demo.toml").write_text('domains = ["demo.test"]\n[[layout]]\nname = "v2"\n'
                                     'body = ["article", "main", "div.article-body"]\n'
                                     'drop = ["p:first-of-type"]\n', "utf-8")
    report = reextract(db, ReextractOptions(site="demo.test", rules=(rules,)))["demo.test"]
    row = db.execute("SELECT title, rule, last_seen FROM articles WHERE page_url = ?",
                     [url]).fetchone()
    assert row == (title, "demo:v2", "2026-11-20T08:00:00Z")  # read from the kept body
    assert (report.pages, report.lost) == (6, 0)  # 5 pages and the kept source
    assert db.execute("SELECT is_article FROM pages WHERE url = ?", [url]).fetchone() == (0,)
    reextract(db, ReextractOptions(site="demo.test", rules=(rules,)))
    assert db["article_sources"].count == 1  # re-reading it keeps it
    # a bad rule finds no article in it: the article goes, the kept page stays...
    (rules / "demo.toml").write_text('domains = ["demo.test"]\n[[layout]]\nname = "bad"\n'
                                     'drop = ["body *"]\n', "utf-8")
    reextract(db, ReextractOptions(site="demo.test", rules=(rules,)))
    assert db.execute("SELECT count(*) FROM articles WHERE page_url = ?", [url]).fetchone() == (
        0,)
    assert db["article_sources"].count == 1
    # ...so that the rule fixed, the article comes back
    reextract(db, ReextractOptions(site="demo.test"))
    assert db.execute("SELECT title FROM articles WHERE page_url = ?", [url]).fetchone() == (
        title,)


def test_a_kept_source_never_overwrites_a_newer_fetch_of_its_article(stored_pages_db):
    db = stored_pages_db
    reextract(db, ReextractOptions(site="demo.test"))
    url = f"http://demo.test/articles/{DEMO_PAGES[0]}"
    body = (DEMO_ARTICLES / DEMO_PAGES[0]).read_bytes()
    block = page_item(url, "demo.test", b"<html><body>Checking your browser</body></html>",
                      fetched_at="2026-11-21T08:00:00Z", is_article=False)
    storage.write_batch(db, [storage.page_row(block, 2)], [])
    # another page (an AMP copy) gives the same article, later and with a paragraph more
    amp = page_item(url.replace("/articles/", "/amp/"), "demo.test", body,
                    fetched_at="2026-11-22T08:00:00Z")
    canonical, text = db.execute("SELECT url, text FROM articles WHERE page_url = ?",
                                 [url]).fetchone()
    newer = storage.article_row(article(f"{text}\n\nNewer text of the story.", "Newer",
                                        canonical_url=canonical), amp, 3)
    storage.write_batch(db, [storage.page_row(amp, 3)], [newer])
    reextract(db, ReextractOptions(site="demo.test"))
    rows = db.execute("SELECT page_url, last_seen FROM articles WHERE page_url IN (?, ?)",
                      [url, amp["url"]]).fetchall()
    assert rows == [(amp["url"], "2026-11-22T08:00:00Z")]  # the kept source wrote nothing
    assert db["article_sources"].count == 0  # no article is read from it any more


def test_reextract_stopped_by_ctrl_c_says_how_far_it_got(stored_pages_db, tmp_path,
                                                           monkeypatch):
    import crawler.cli_data

    def stopped(db, options, progress):
        progress(2)  # two pages done, then Ctrl-C
        raise KeyboardInterrupt
    monkeypatch.setattr(crawler.cli_data, "reextract", stopped)
    result = run_cli("reextract", "--db", tmp_path / "pages.db")
    assert result.exit_code == 5
    assert result.stderr.strip().splitlines() == [
        "newscrawl: error: interrupted after 2 of 6 pages: the batches written are whole (one "
        "transaction each), the rest as before; run the same command again to re-extract "
        "them all"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_reextract_stopped_by_ctrl_c_as_its_workers_start_says_one_line(stored_pages_db,
                                                                       tmp_path, how):
    """A terminal's Ctrl-C signals the whole process group: the command, and the forkserver
    its workers fork from, which takes a second or two to import the extractor. Only the
    command's one line shows (no forkserver or worker traceback), and it exits 5. So with
    a SIGTERM to the command (a job runner's stop), held off the same way."""
    import signal
    import time

    command = [sys.executable, "-m", "crawler", "reextract", "--db", str(tmp_path / "pages.db"),
               "--workers", "1"]
    process = subprocess.Popen(  # SIGINT as a shell's foreground job has it (not ignored)
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not any(b"forkserver" in line for line in children(process.pid)):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # the forkserver is importing the extractor now (about a second)
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does
    else:
        os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 5, stderr
    assert stderr.splitlines() == [
        "newscrawl: error: interrupted after 0 of 6 pages: the batches written are whole (one "
        "transaction each), the rest as before; run the same command again to re-extract "
        "them all"]


@pytest.mark.parametrize(("site", "total"), [(None, 7), ("demo.test", 6), ("other.test", 1)])
def test_reextract_stopped_by_ctrl_c_counts_the_kept_pages_in_its_total(
        stored_pages_db, tmp_path, monkeypatch, site, total):
    """Re-extraction reads the pages and the kept earlier fetches (article_sources) that
    articles were read from: the total counts both, as the report does."""
    import crawler.cli_data

    db = stored_pages_db
    item = page_item(f"http://demo.test/articles/{DEMO_PAGES[0]}", "demo.test")
    storage.write_batch(db, [], [storage.article_row(article(OTHER, "Read"), item, 1)])
    block = page_item(item["url"], "demo.test", b"<html><body>Checking your browser</body>"
                      b"</html>", fetched_at="2026-11-21T08:00:00Z", is_article=False)
    storage.write_batch(db, [storage.page_row(block, 2)], [])
    assert db["article_sources"].count == 1

    def stopped(db, options, progress):
        progress(1)
        raise KeyboardInterrupt
    monkeypatch.setattr(crawler.cli_data, "reextract", stopped)
    result = run_cli("reextract", "--db", tmp_path / "pages.db", *(["--site", site] if site
                                                                   else []))
    assert result.exit_code == 5
    assert f"interrupted after 1 of {total} pages:" in result.stderr


def test_reextract_after_a_rule_change(stored_pages_db, tmp_path):
    db = stored_pages_db
    reextract(db, ReextractOptions(site="demo.test"))
    before = dict(db.execute("SELECT url, first_seen FROM articles"))
    db.execute("UPDATE articles SET extracted_at = '2026-01-01T00:00:00Z'")
    db.conn.commit()
    stamps = dict(db.execute("SELECT url, updated_at FROM articles"))
    reextract(db, ReextractOptions(site="demo.test"))  # the same output: no row changes
    assert set(names(db.execute("SELECT extracted_at FROM articles"))) == {
        "2026-01-01T00:00:00Z"}
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "demo.toml").write_text('domains = ["demo.test"]\n[[layout]]\nname = "v2"\n'
                                     'body = ["article", "main", "div.article-body"]\n'
                                     'drop = ["p:first-of-type"]\n', "utf-8")
    result = run_cli("reextract", "--db", tmp_path / "pages.db", "--rules", rules)
    assert result.exit_code == 0, result.output
    total = result.stdout.splitlines()[-1].split()
    assert total[0] == "total" and int(total[-1]) >= 1  # changed
    assert set(names(db.execute("SELECT rule FROM articles"))) >= {"demo:v2"}
    assert dict(db.execute("SELECT url, first_seen FROM articles")) == before
    # no fetch happened: updated_at stays; extracted_at says the rows were written again
    assert dict(db.execute("SELECT url, updated_at FROM articles")) == stamps
    assert min(names(db.execute("SELECT extracted_at FROM articles"))) > "2026-01-01T00:00:00Z"


def test_reextract_names_a_rule_none_of_whose_layouts_matches_any_more(stored_pages_db,
                                                                       tmp_path):
    """A rule whose body selectors no longer fit (a redesign) leaves its site's articles
    read without it: the crawl counts and names it, reextract only said "changed 4"
    (a rule author's walkthrough). Now a warning names the rule file, on stderr."""
    db = stored_pages_db
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = rules / "demo.toml"
    rule.write_text('domains = ["demo.test"]\n[[layout]]\nname = "v1"\n'
                    'body = ["article", "main", "div.article-body"]\n', "utf-8")
    matched = reextract(db, ReextractOptions(site="demo.test", rules=(str(rules),)))
    assert matched["demo.test"].no_layout == 0
    rule.write_text('domains = ["demo.test"]\n[[layout]]\nname = "v2"\n'
                    'body = ["div.story-body-2026"]\n', "utf-8")
    result = run_cli("reextract", "--db", tmp_path / "pages.db", "--rules", rules)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].split()[0] == "total"
    assert result.stderr.splitlines()[-1] == (
        f"warning: demo.test: 4 articles matched none of the layouts of {rule} and were read"
        " without it: do its body selectors still fit the site?")
    assert set(names(db.execute("SELECT rule FROM articles"))) == {None}


def test_reextract_reports_a_renamed_article_as_changed_not_lost_and_gained(stored_pages_db):
    """An article re-keyed by its page's canonical URL keeps its row (its id, first_seen):
    the report said "gained 1, lost 1" for it, where nothing was lost (a data team's
    walkthrough)."""
    db = stored_pages_db
    reextract(db, ReextractOptions(site="demo.test"))
    url, row_id = db.execute("SELECT url, id FROM articles ORDER BY id LIMIT 1").fetchone()
    db.execute("UPDATE articles SET url = 'http://demo.test/an-older-key' WHERE id = ?",
               [row_id])  # as an older extractor keyed it
    db.conn.commit()
    report = reextract(db, ReextractOptions(site="demo.test"))["demo.test"]
    assert db.execute("SELECT url FROM articles WHERE id = ?", [row_id]).fetchone() == (url,)
    assert (report.gained, report.lost, report.changed) == (0, 0, 1)
    assert report.articles_before == report.articles_after


def test_an_article_a_bad_rule_removed_comes_back_as_the_same_row(stored_pages_db, tmp_path):
    """Re-extraction with a rule that finds no article deletes the articles; a later one
    with a good rule brings them back with their ids, first_seen, updated_at and gone_at,
    and no other article has taken an id meanwhile."""
    db = stored_pages_db
    reextract(db, ReextractOptions(site="demo.test"))
    gone = "http://demo.test/articles/harbour-wind-farm-approved.html"
    db.execute("UPDATE articles SET gone_at = '2030-01-01T00:00:00Z' WHERE page_url = ?", [gone])
    db.conn.commit()
    columns = "url, id, first_seen, updated_at, gone_at"
    before = sorted(db.execute(f"SELECT {columns} FROM articles"))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "demo.toml").write_text('domains = ["demo.test"]\n[[layout]]\nname = "oops"\n'
                                     'drop = ["body"]\n', "utf-8")
    lost = reextract(db, ReextractOptions(site="demo.test", rules=(str(rules),)))["demo.test"]
    assert (lost.lost, db["articles"].count) == (4, 0)
    assert sorted(db.execute(f"SELECT {columns} FROM article_tombstones")) == before
    other = storage.article_row(article(OTHER, "Meanwhile"),
                                page_item("http://other.test/a", "other.test"), 1)
    storage.write_batch(db, [], [other])  # a new article takes no deleted article's id
    assert db.execute("SELECT id FROM articles").fetchone()[0] > max(row[1] for row in before)
    back = reextract(db, ReextractOptions(site="demo.test"))["demo.test"]
    assert back.gained == 4
    assert sorted(db.execute(f"SELECT {columns} FROM articles WHERE site = 'demo.test'")
                  ) == before
    assert db["article_tombstones"].count == 0
    assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'"
                      ).fetchone() == (1,)


def test_a_deleted_article_fetched_again_after_it_went_is_live(tmp_path):
    db = storage.open_db(tmp_path / "back.db")
    item = page_item("https://a.example/story", "a.example", fetched_at="2026-01-01T00:00:00Z")
    storage.write_batch(db, [], [storage.article_row(article(WIRE, "Story"), item, 1)])
    db.execute("UPDATE articles SET gone_at = '2026-02-01T00:00:00Z'")
    db.execute("DELETE FROM articles")  # by hand
    db.conn.commit()
    later = page_item("https://a.example/story", "a.example", fetched_at="2026-03-01T00:00:00Z")
    storage.write_batch(db, [], [storage.article_row(article(WIRE + " Updated.", "Story"),
                                                     later, 2)])
    assert list(db.execute("SELECT id, first_seen, updated_at, gone_at FROM articles")) == [
        (1, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", None)]
    db.close()


def test_reextract_with_a_config_applies_each_sites_rules_to_its_pages_only(
        stored_pages_db, tmp_path):
    db = stored_pages_db
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "demo.toml").write_text('domains = ["demo.test"]\n[[layout]]\nname = "v2"\n'
                                     'body = ["article", "main", "div.article-body"]\n', "utf-8")
    config = tmp_path / "sites.toml"

    def rules_used(owner: str) -> set:
        config.write_text("".join(f'[sites."{name}"]\nstart_urls = ["http://{name}/"]\n'
                                  + ('rules = "rules"\n' if name == owner else "")
                                  for name in ("demo.test", "other.test")), "utf-8")
        result = run_cli("reextract", "--db", tmp_path / "pages.db", "--config", config)
        assert result.exit_code == 0, result.output
        return set(names(db.execute("SELECT rule FROM articles")))

    assert rules_used("other.test") == {None}  # the rule names demo.test, but is other's
    assert rules_used("demo.test") == {"demo:v2"}
    # a site the config names otherwise than the pages were stored under (crawled from the
    # command line, by host): its rules apply to its host's pages, as the crawl files them
    config.write_text('[sites.gazette]\nstart_urls = ["http://demo.test/"]\nrules = "rules"\n'
                      '[sites."other.test"]\nstart_urls = ["http://other.test/"]\n', "utf-8")
    reextract(db, ReextractOptions())  # no rule
    assert set(names(db.execute("SELECT rule FROM articles"))) == {None}
    result = run_cli("reextract", "--db", tmp_path / "pages.db", "--config", config)
    assert result.exit_code == 0, result.output
    assert set(names(db.execute("SELECT rule FROM articles"))) == {"demo:v2"}
    config.write_text('[sites."demo.test"]\nstart_urls = ["http://demo.test/"]\n'
                      'rules = "missing"\n', "utf-8")
    result = run_cli("reextract", "--db", tmp_path / "pages.db", "--config", config)
    assert result.exit_code == 2 and "sites.demo.test.rules" in result.stderr


def test_reextract_keeps_articles_when_extraction_fails(stored_pages_db, monkeypatch):
    db = stored_pages_db
    reextract(db, ReextractOptions(site="demo.test"))
    monkeypatch.setattr(reextract_module, "MAX_BYTES", 10)
    report = reextract(db, ReextractOptions(site="demo.test"))["demo.test"]
    assert (report.failed, report.lost, report.articles_after) == (5, 0, 4)
    errors = set(names(db.execute("SELECT extract_error FROM pages WHERE site = 'demo.test'")))
    assert len(errors) == 5 and all(e.startswith("too large") for e in errors)


def test_reextract_command_errors(stored_pages_db, tmp_path):
    db = tmp_path / "pages.db"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.toml").write_text('domains = ["x"]\nnonsense = 1\n', "utf-8")
    result = run_cli("reextract", "--db", db, "--rules", bad)
    assert result.exit_code == 2 and "nonsense" in result.stderr
    result = run_cli("reextract", "--db", db, "--site", "nowhere.test")
    assert result.exit_code == 2 and "no site 'nowhere.test'" in result.stderr


def test_a_site_the_database_never_saw_is_bad_input_naming_its_sites(stored_pages_db):
    """A typo in --site: one line and exit 2, not an empty result that reads as 'nothing
    new'. A site the frontier knows (crawled, nothing stored yet) is a site."""
    path = stored_pages_db.conn.execute("PRAGMA database_list").fetchone()[2]
    stored_pages_db.close()
    for args in (["search", "ferry"], ["export", "--format", "jsonl", "-o", "-"],
                 ["reextract", "--workers", "1"]):
        result = run_cli(*args, "--db", path, "--site", "demo.tset")
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.strip() == (f"newscrawl: error: no site 'demo.tset' in {path} "
                                         "(its sites: demo.test, other.test)")
        result = run_cli(*args, "--db", path, "--site", "demo.test")
        assert result.exit_code == 0, (args, result.output)
    db = sqlite_utils.Database(path)
    db.execute("INSERT INTO frontier (url, site, source, discovered_at) VALUES "
               "('https://new.test/', 'new.test', 'start', '2026-01-01T00:00:00Z')")
    db.conn.commit()
    db.close()
    result = run_cli("export", "--format", "jsonl", "-o", "-", "--db", path, "--site",
                     "new.test")
    assert result.exit_code == 0 and "0 articles written" in result.stderr


def test_a_bad_since_names_the_option_once(tmp_path):
    result = run_cli("search", "ferry", "--db", tmp_path / "news.db", "--since", "garbage")
    assert result.exit_code == 2
    assert "Invalid value for '--since': expected a date such as 2025-01-31, got 'garbage'" in (
        result.stderr)


# -- Datasette ---------------------------------------------------------------------------


def datasette_get(db_path: Path, *paths: str) -> list:
    app = pytest.importorskip("datasette.app")
    yaml = pytest.importorskip("yaml")
    metadata = yaml.safe_load(METADATA.read_text("utf-8"))

    async def fetch():
        ds = app.Datasette([str(db_path)], metadata=metadata)
        await ds.invoke_startup()
        return [await ds.client.get(path) for path in paths]

    return asyncio.run(fetch())


def test_datasette_metadata_loads(news_db, tmp_path):
    facets, search_hits, per_site, view, opened, blank = datasette_get(
        tmp_path / "news.db", "/news/articles.json", "/news/search.json?q=wind&_shape=objects",
        "/news/articles_per_site.json?_shape=objects", "/news/stories.json",
        "/news/search.json?_shape=objects", "/news/search.json?q=+&_shape=objects")
    assert all(r.status_code == 200 for r in (facets, search_hits, per_site, view))
    quotes = datasette_get(tmp_path / "news.db", *(
        f"/news/search.json?q={quote(q)}&_shape=objects" for q in ('"', '""', '" "')))
    for empty in (opened, blank, *quotes):  # the form opened with no words yet, or quotes
        # alone (escape_fts gives "" for them, which FTS5 refused: HTTP 400)
        assert empty.status_code == 200 and empty.json()["rows"] == [], empty.text[:300]
    assert set(facets.json()["facet_results"]) == {"site", "language", "paywall"}
    assert "[Wind]" in search_hits.json()["rows"][0]["title"]
    assert {r["site"]: r["articles"] for r in per_site.json()["rows"]} == {
        "a.example": 2, "b.example": 2}


def test_datasettes_search_reads_words_as_written_and_search_fts_takes_the_syntax(news_db,
                                                                                   tmp_path):
    pages = datasette_get(tmp_path / "news.db", *(
        f"/news/{query}.json?q={quote(q)}&_shape=objects" for query, q in (
            ("search", "two-year"), ("search", "wind-farm"), ("search", '"wind'),
            ("search", "wind OR nothing-like-it"), ("search_fts", "wind OR zzzz"),
            ("search_fts", "win*"))))
    assert [page.status_code for page in pages] == [200] * 6, [p.text[:200] for p in pages]
    assert all(page.json()["rows"] for page in (pages[0], pages[1], pages[2], pages[4], pages[5]))
    assert pages[3].json()["rows"] == []  # every word, "OR" among them


def test_datasette_metadata_describes_every_table_view_and_column(news_db):
    yaml = pytest.importorskip("yaml")
    metadata = yaml.safe_load(METADATA.read_text("utf-8"))
    shadow = {t for t in news_db.table_names() if t.startswith("articles_fts_")}  # FTS5's own
    ours = set(news_db.table_names()) - shadow - {"sqlite_sequence"}
    for name in ("news", "demo"):
        tables = metadata["databases"][name]["tables"]
        assert set(tables) == ours | set(news_db.view_names())
        for table in ours - {"articles_fts"}:
            assert set(tables[table]["columns"]) == set(news_db[table].columns_dict), table
        assert "MATCH" in tables["articles_fts"]["description"]


# -- docs and the demo DB --------------------------------------------------------------


def test_data_commands_have_examples_and_are_in_the_readme():
    readme = README.read_text("utf-8")
    for name in ("search", "reextract", "export"):
        assert "Example: newscrawl " + name in cli.commands[name].help
        assert f"newscrawl {name} " in readme
    assert "datasette demo.db --metadata datasette/metadata.yml" in readme


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The DB that `newscrawl demo` writes (one real crawl of the demo site)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    command = [sys.executable, "-m", "crawler", "demo", "--db", str(path), "--port", "0",
               "--log-level", "WARNING"]
    subprocess.run(command, cwd=ROOT, check=True, timeout=120, capture_output=True)
    return path


def test_commands_on_the_demo_db(demo_db, tmp_path):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    result = run_cli("search", "refugee", "--db", db)
    assert result.exit_code == 0 and "[Refugee]" in result.stdout
    result = run_cli("reextract", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].split()[5:8] == ["0", "0", "0"]  # gained lost changed
    result = run_cli("export", "--db", db, "-o", tmp_path / "demo.jsonl")
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "demo.jsonl").read_text("utf-8").splitlines()) == 16
    (page,) = datasette_get(db, "/demo/site_summary.json?_shape=objects")
    assert page.json()["rows"][0]["articles"] == 16


# -- review fixes: lock, stale writes, batch order, broken pipe, --since -----------------


def test_reextract_refuses_while_a_crawl_holds_the_lock(stored_pages_db, tmp_path):
    from crawler.lock import crawl_lock

    db = tmp_path / "pages.db"
    with crawl_lock(db):
        result = run_cli("reextract", "--db", db)
    assert result.exit_code == 4, result.output
    assert result.stderr.count("\n") == 1 and "another crawl is running" in result.stderr
    assert stored_pages_db.execute("SELECT count(*) FROM pages WHERE is_article IS NOT NULL"
                                   ).fetchone() == (0,)  # nothing was done


def test_reextract_storage_errors_are_one_line(stored_pages_db, tmp_path, monkeypatch):
    import sqlite3

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(reextract_module, "snapshot", locked)
    result = run_cli("reextract", "--db", tmp_path / "pages.db")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == "newscrawl: error: database is locked\n"
    monkeypatch.setattr(reextract_module, "snapshot",
                        lambda *a: (_ for _ in ()).throw(storage.StorageError("batch failed")))
    result = run_cli("reextract", "--db", tmp_path / "pages.db")
    assert result.exit_code == 1 and result.stderr == "newscrawl: error: batch failed\n"


def test_reextract_does_not_overwrite_a_page_refetched_meanwhile(stored_pages_db):
    """A crawl refetching a page while re-extraction runs: the older extraction is dropped."""
    db = stored_pages_db
    url = "http://demo.test/articles/wendstadt-fahrradstrassen.html"  # last in fetch order
    fresh = page_item(url, "demo.test", b"<html>new</html>", fetched_at="2026-11-25T08:00:00Z",
                      is_article=True)

    def crawl_meanwhile(_count):
        if not db["articles"].count_where("url = ?", [url]):
            storage.write_batch(db, [storage.page_row(fresh, 2)], [storage.article_row(
                article(OTHER, "Fresh copy", canonical_url=url), fresh, 2)])

    report = reextract(db, ReextractOptions(site="demo.test", workers=1, batch_size=1),
                       progress=crawl_meanwhile)
    rows = db.execute("SELECT url, title, last_seen FROM articles WHERE page_url = ?",
                      [url]).fetchall()
    assert rows == [(url, "Fresh copy", "2026-11-25T08:00:00Z")]  # the older text not written
    assert db.execute("SELECT is_article FROM pages WHERE url = ?", [url]).fetchone() == (1,)
    assert report["demo.test"].pages == 4  # the stale page is not counted as re-extracted


def test_reextract_batch_never_deletes_an_article_it_upserts(tmp_path):
    """P1 now gives article C; P2, C's page until now, is no longer an article: C keeps its
    id (and FTS rowid) and first_seen instead of being deleted and inserted again."""
    db = storage.open_db(tmp_path / "order.db")
    c_url = "https://a.example/c"
    p1 = page_item("https://a.example/p1", "a.example", fetched_at="2026-11-20T08:00:00Z")
    p2 = page_item("https://a.example/p2", "a.example", fetched_at="2026-11-21T08:00:00Z")
    old = page_item("https://a.example/p2", "a.example", fetched_at="2026-11-01T00:00:00Z")
    storage.write_batch(db, [storage.page_row(p1, 1), storage.page_row(p2, 1)], [
        storage.article_row(article(WIRE, "C", canonical_url=c_url), old, 1),
        storage.article_row(article(OTHER, "D"), page_item("https://a.example/d", "a.example"),
                            1)])  # C is not the highest id: a re-insert would get a new one
    before = db.execute("SELECT id, first_seen FROM articles WHERE url = ?", [c_url]).fetchone()
    pages = {row["url"]: row for row in db.query(
        "SELECT url, site, content_type, fetched_at, run_id, body_size FROM pages")}
    reextract_module.write_outcomes(db, [
        reextract_module.Outcome(pages[p1["url"]], article(WIRE, "C", canonical_url=c_url)),
        reextract_module.Outcome(pages[p2["url"]], {"is_article": False})])
    after = db.execute("SELECT id, first_seen, page_url FROM articles WHERE url = ?",
                       [c_url]).fetchone()
    assert after == (*before, p1["url"])
    assert before == (before[0], "2026-11-01T00:00:00Z")
    assert before[0] in [r["rowid"] for r in db.query("SELECT rowid FROM articles_fts")]
    assert db["articles"].count == 2
    db.close()


def test_reextract_keeps_the_article_of_a_page_whose_canonical_names_another_story(tmp_path):
    """A template's mistake: page T names story S's URL as canonical but shares none of its
    text, so the crawl keys T's article by T's URL (storage.own_keys). Re-extraction gave
    it the same key when writing it, then deleted it as stale: the page's article was not
    the canonical URL T names. Every re-extraction, with any rules, lost it again."""
    db = storage.open_db(tmp_path / "template.db")
    s_url, t_url = "https://a.example/story", "https://a.example/t"
    story = page_item(s_url, "a.example", fetched_at="2026-11-20T08:00:00Z")
    template = page_item(t_url, "a.example", fetched_at="2026-11-21T08:00:00Z")
    storage.write_batch(db, [storage.page_row(story, 1)], [
        storage.article_row(article(WIRE, "S"), story, 1)])
    t_article = article(OTHER, "T", canonical_url=s_url)
    storage.write_batch(db, [storage.page_row(template, 1)], [
        storage.article_row(t_article, template, 1)])
    assert sorted(names(db.execute("SELECT url FROM articles"))) == [s_url, t_url]
    before = db.execute("SELECT id FROM articles WHERE url = ?", [t_url]).fetchone()
    pages = {row["url"]: row for row in db.query(
        "SELECT url, site, content_type, fetched_at, run_id, body_size FROM pages")}
    reextract_module.write_outcomes(db, [
        reextract_module.Outcome(pages[s_url], article(WIRE, "S")),
        reextract_module.Outcome(pages[t_url], t_article)])
    assert db.execute("SELECT id FROM articles WHERE url = ?", [t_url]).fetchone() == before
    assert db["articles"].count == 2 and db["article_tombstones"].count == 0
    db.close()


def test_export_to_a_closed_pipe_exits_quietly(tmp_path):
    db = storage.open_db(tmp_path / "many.db")
    storage.write_batch(db, [], [storage.article_row(
        article(f"{WIRE} {n}", f"t{n}"), page_item(f"https://a.example/{n}", "a.example"), 1)
        for n in range(2000)])  # far more than a pipe buffer
    db.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "export", "--db", str(tmp_path / "many.db"),
         "--format", "csv", "-o", "-"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == b""


def test_status_to_a_closed_pipe_exits_quietly(tmp_path):
    """`newscrawl status --db x | true`: the reader is gone before the first line."""
    db = storage.open_db(tmp_path / "s.db")
    storage.start_run(db, {})
    db.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "status", "--db", str(tmp_path / "s.db")], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the interpreter has started, let alone written
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == b""


def test_status_without_check_exits_0_whatever_it_says(tmp_path):
    """Only --check turns an alert into exit 1 (a failed run's alert did, once)."""
    db = storage.open_db(tmp_path / "s.db")
    storage.finish_run(db, storage.start_run(db, {}), "failed", {})
    db.close()
    shown = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "s.db")])
    assert shown.exit_code == 0 and "ALERT" in shown.output, shown.output
    checked = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "s.db"), "--check"])
    assert checked.exit_code == 1, checked.output


def test_status_says_what_the_last_run_left_unsent_for_a_host_it_gave_up(tmp_path):
    """A host given up for the run (unreachable, or throttling everything): the run's
    `counts` held how many of its requests were not sent, and `status` said nothing, so an
    operator could not see that the run left them, nor that the next one sends them."""
    db = storage.open_db(tmp_path / "s.db")
    storage.finish_run(db, storage.start_run(db, {}), "ok", {
        "newscrawl/dead_host/given_up": 1, "newscrawl/dead_host/unsent": 40,
        "newscrawl/throttled/given_up": 1, "newscrawl/throttled/unsent": 7})
    db.close()
    shown = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "s.db"), "--check"])
    assert shown.exit_code == 0, shown.output  # no flag
    lines = shown.output.splitlines()
    assert lines[0].startswith("last run #1: ok, started ")
    assert lines[1] == ("  not sent, their host given up: dead_host: 40, throttled: 7 (they wait"
                        " for the next run)")
    db = storage.open_db(tmp_path / "s.db")
    storage.finish_run(db, storage.start_run(db, {}), "ok", {"newscrawl/pages": 3})
    db.close()
    later = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "s.db")])
    assert later.output.startswith("last run #2: ok") and "not sent" not in later.output


def test_status_during_a_databases_first_run_says_it_is_not_judged_yet(tmp_path):
    """The first run's per-site counts are there as it goes: "no runs with per-site counts
    yet" said otherwise (a data team's walkthrough)."""
    from crawler.lock import crawl_lock

    path = tmp_path / "s.db"
    db = storage.open_db(path)
    run_id = storage.start_run(db, {})
    db["run_sites"].insert({"run_id": run_id, "site": "n.example", "pages": 7, "articles": 6})
    db.close()
    with crawl_lock(path, "crawl"):
        going = CliRunner().invoke(cli, ["status", "--db", str(path)])
    assert going.exit_code == 0
    assert going.output.splitlines()[-1] == (f"{path}: no finished run to judge yet (run #1 is"
                                             " still going)")
    gone = CliRunner().invoke(cli, ["status", "--db", str(path)])
    assert (f"{path}: no finished run to judge yet (run #1 was left running by a crawl that"
            " is gone)") in gone.output.splitlines()


def test_status_check_to_a_closed_pipe_still_exits_with_its_verdict(tmp_path):
    """`status --check | ...` whose reader is gone: a failed run is still exit 1."""
    db = storage.open_db(tmp_path / "s.db")
    storage.finish_run(db, storage.start_run(db, {}), "failed", {})
    db.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "status", "--db", str(tmp_path / "s.db"), "--check"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 1, stderr
    assert stderr == b""


def test_since_is_parsed_once_and_normalised_to_utc(news_db, tmp_path):
    from crawler import cli_data, config
    from crawler import search as search_module

    assert cli_data.parse_since is config.parse_since
    assert search_module.parse_since is config.parse_since  # one function, not two
    db = tmp_path / "news.db"
    for since, found in (("20261121", True),  # SQLite's datetime() cannot read it raw
                         ("Sat, 21 Nov 2026 08:00:00 +0000", False),  # ferry is 07:00Z
                         ("2026-11-21T08:00:00+01:00", True)):
        result = run_cli("search", "ferry", "--db", db, "--since", since, "--json")
        assert result.exit_code == 0, (since, result.output)
        assert bool(json.loads(result.stdout)) is found, since
        result = run_cli("export", "--db", db, "--format", "jsonl", "-o", "-", "--since", since)
        assert ("Ferry timetable cut" in result.stdout) is found, since
    assert search(news_db, "ferry", SearchOptions(since="20261121"))  # the library too


def test_readme_reextract_example_prints_what_the_readme_shows(demo_db, tmp_path):
    """Section "first five minutes", step 3: the rule, the searches and the table, for real."""
    readme = README.read_text("utf-8")
    rule = readme.split("cat > my-rules/demo.toml <<'TOML'\n", 1)[1].split("\nTOML\n", 1)[0]
    table = readme.split("```\nsite ", 1)[1].split("\n```", 1)[0]
    (tmp_path / "my-rules").mkdir()
    (tmp_path / "my-rules" / "demo.toml").write_text(rule + "\n", "utf-8")
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    before = run_cli("search", "contributed", "--db", db)
    assert "Sarah Lin [contributed] to this report." in before.stdout
    result = run_cli("reextract", "--db", db, "--rules", tmp_path / "my-rules")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ("site " + table).splitlines()
    assert run_cli("search", "contributed", "--db", db).stderr == "0 result(s)\n"
    assert set(names(sqlite_utils.Database(db).execute("SELECT rule FROM articles"))) == {
        "demo:2025"}


def test_the_read_commands_never_migrate_a_database(tmp_path):
    """search, export and status only read: a database at an older schema is refused with one
    line and left as it was (a reader's newer newscrawl must not move a shared database past
    the crawler that writes it); reextract, which writes, upgrades it."""
    path = tmp_path / "old.db"
    db = storage.open_db(path)
    with db.atomic():  # back to schema 6, as a database made before 0007
        db.execute("DROP INDEX idx_article_sources_fetched_at")
        db.execute("ALTER TABLE article_sources DROP COLUMN article_url")
        db.execute("DELETE FROM migrations WHERE name = '0007_source_article'")
    db.close()
    runner = CliRunner()
    for args in (["search", "ferry"], ["export", "--format", "jsonl", "-o", "-"], ["status"]):
        result = runner.invoke(cli, [*args, "--db", str(path)])
        assert result.exit_code == 2, (args, result.output)
        assert "schema is older than this newscrawl" in result.output
        assert "0007_source_article" in result.output and "Traceback" not in result.output
    applied = [r[0] for r in sqlite_utils.Database(path).execute("SELECT name FROM migrations")]
    assert "0007_source_article" not in applied
    result = runner.invoke(cli, ["reextract", "--db", str(path), "--workers", "1"])
    assert "no stored pages" in result.output  # an empty database, but its schema upgraded
    assert result.exit_code == 0  # nothing to do is no failure (it said 1)
    applied = [r[0] for r in sqlite_utils.Database(path).execute("SELECT name FROM migrations")]
    assert "0007_source_article" in applied


@pytest.mark.parametrize("args", [["status"], ["search", "x"], ["export", "-o", "-"],
                                  ["reextract"]])
def test_an_empty_db_path_is_bad_input_naming_the_option(args):
    result = CliRunner().invoke(cli, [*args, "--db", ""])
    assert result.exit_code == 2 and "'--db': an empty path" in result.output, result.output


def test_reextract_workers_are_capped_as_the_crawls_are(stored_pages_db):
    """A typed 100000 would start that many processes (the machine's memory, gone)."""
    result = CliRunner().invoke(cli, ["reextract", "--db", str(stored_pages_db),
                                      "--workers", "100000"])
    assert result.exit_code == 2 and "--workers" in result.output
    assert "100000 is not in the range" in result.output


def test_reextract_on_a_database_sqlite_may_only_read_is_bad_input(stored_pages_db, tmp_path,
                                                                   monkeypatch):
    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    def with_code(*args, **kwargs):
        error = sqlite3.OperationalError("attempt to write a readonly database")
        error.sqlite_errorcode = sqlite3.SQLITE_READONLY
        raise storage.StorageError("re-extraction batch of 4 pages rolled back") from error

    monkeypatch.setattr(reextract_module, "snapshot", with_code)
    result = run_cli("reextract", "--db", tmp_path / "pages.db")
    assert result.exit_code == 2, result.stderr
    monkeypatch.setattr(reextract_module, "snapshot", read_only)  # no code: not told apart
    assert run_cli("reextract", "--db", tmp_path / "pages.db").exit_code == 1
