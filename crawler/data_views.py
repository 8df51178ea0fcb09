"""The views data teams query, and near-duplicate detection (migrations 0003, 0008, 0011).

Migration 0003 adds an index on `articles.page_url` (re-extraction finds a page's article
by it) and the views `latest_articles`, `site_daily_counts`, `site_summary`,
`extraction_versions`, `near_duplicates` and `stories`; 0008 keeps the near-duplicate pairs
in a table; 0011 finds them by MinHash instead of SimHash (`crawler.near_duplicates`).
Documented in docs/schema.md.

No storage import (storage imports this module for its MIGRATIONS list).
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from crawler.near_duplicates import (
    BANDS_INDEX_SQL,
    BANDS_SQL,
    BANDS_TRIGGER_SQL,
    BATCH,
    PAIRS_INDEX_SQL,
    PAIRS_SQL,
    PAIRS_TRIGGER_SQL,
    RELINK_SQL,
    link_all,
    minhash,
)
from crawler.sql import id_batches

PAYWALLED = "paywall IN ('metered', 'truncated', 'hard')"
DAY = "coalesce(date(published), date(first_seen))"

VIEWS = {
    "latest_articles": """
SELECT id, last_seen, site, title, published, language, paywall, word_count, url,
       extractor_version, rule
FROM articles ORDER BY last_seen DESC, id DESC""",
    "site_daily_counts": f"""
SELECT site, {DAY} AS day, count(*) AS articles, sum({PAYWALLED}) AS paywalled,
       sum(word_count) AS words
FROM articles GROUP BY site, day ORDER BY day DESC, site""",
    "site_summary": f"""
SELECT site, count(*) AS articles, sum({PAYWALLED}) AS paywalled,
       round(1.0 * sum({PAYWALLED}) / count(*), 3) AS paywalled_share,
       group_concat(DISTINCT language) AS languages,
       min(first_seen) AS first_seen, max(last_seen) AS last_seen
FROM articles GROUP BY site ORDER BY site""",
    "extraction_versions": """
SELECT site, extractor_version, rule, count(*) AS articles,
       min(last_seen) AS first_seen, max(last_seen) AS last_seen
FROM articles GROUP BY site, extractor_version, rule ORDER BY site, extractor_version, rule""",
}


# -- SimHash, migrations 0003 to 0010: the schema only -----------------------------------
# Migration 0011 drops `articles.simhash`, its band indexes and the pairs found by it, and
# finds the pairs again by MinHash; so 0003 and 0008 only create what 0011 then replaces
# (a database made before 0011 keeps its values until 0011 runs; computing them here for
# one that gets 0011 in the same upgrade would be work thrown away).
_SIMHASH_BANDS = ((0, 8191), (13, 8191), (26, 8191), (39, 8191), (52, 4095))  # (shift, mask)
_SIMHASH_MAX_DISTANCE = 4


def _band_sql(shift: int, mask: int, table: str = "") -> str:
    column = f"{table}.simhash" if table else "simhash"
    return f"(({column} >> {shift}) & {mask})"


def _simhash_view_sql() -> str:
    """0003's `near_duplicates`: pairs of articles whose SimHashes were at most 4 bits
    apart, candidates sharing a band (0008 replaced it)."""
    joins = "\n  UNION\n".join(
        f"  SELECT a.id AS a_id, b.id AS b_id FROM articles a JOIN articles b"
        f" ON {_band_sql(shift, mask, 'b')} = {_band_sql(shift, mask, 'a')} AND b.id > a.id"
        for shift, mask in _SIMHASH_BANDS
    )
    xor = "((a.simhash | b.simhash) & ~(a.simhash & b.simhash))"
    return f"""
WITH RECURSIVE bits(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM bits WHERE n < 63),
candidates AS (
{joins}
),
pairs AS (
  SELECT a.id AS article_id, b.id AS duplicate_id,
         (SELECT sum(({xor} >> n) & 1) FROM bits) AS distance,
         a.site AS site, b.site AS duplicate_site, a.title AS title, b.title AS duplicate_title,
         a.url AS url, b.url AS duplicate_url
  FROM candidates c JOIN articles a ON a.id = c.a_id JOIN articles b ON b.id = c.b_id
)
SELECT * FROM pairs WHERE distance <= {_SIMHASH_MAX_DISTANCE}"""


_SIMHASH_PAIRS_SQL = """
CREATE TABLE article_duplicates (
    article_id INTEGER NOT NULL,
    duplicate_id INTEGER NOT NULL,
    distance INTEGER NOT NULL,
    PRIMARY KEY (article_id, duplicate_id)
) WITHOUT ROWID"""
_SIMHASH_PAIRS_TRIGGER_SQL = """
CREATE TRIGGER articles_duplicates_ad AFTER DELETE ON articles BEGIN
  DELETE FROM article_duplicates WHERE article_id = old.id OR duplicate_id = old.id;
END"""
_SIMHASH_NEAR_DUPLICATES_SQL = """
SELECT d.article_id, d.duplicate_id, d.distance, a.site, b.site AS duplicate_site,
       a.title, b.title AS duplicate_title, a.url, b.url AS duplicate_url
FROM article_duplicates d JOIN articles a ON a.id = d.article_id
JOIN articles b ON b.id = d.duplicate_id"""


# Migration 0011: the pairs the writer keeps in `article_duplicates`, found by MinHash.
NEAR_DUPLICATES_SQL = """
SELECT d.article_id, d.duplicate_id, d.similarity, a.site, b.site AS duplicate_site,
       a.title, b.title AS duplicate_title, a.url, b.url AS duplicate_url
FROM article_duplicates d JOIN articles a ON a.id = d.article_id
JOIN articles b ON b.id = d.duplicate_id"""


STORIES_SQL = """
SELECT a.id AS article_id, coalesce(d.story_id, a.id) AS story_id, a.site, a.title,
       a.published, a.url
FROM articles a LEFT JOIN (
  SELECT duplicate_id, min(article_id) AS story_id FROM near_duplicates GROUP BY duplicate_id
) d ON d.duplicate_id = a.id"""


def migrate(db: sqlite_utils.Database) -> None:
    """Migration 0003: `articles.simhash` + band indexes, the page_url index, the views."""
    db.execute("ALTER TABLE articles ADD COLUMN simhash INTEGER")
    db.execute("CREATE INDEX idx_articles_page_url ON articles(page_url)")  # reextract
    for number, (shift, mask) in enumerate(_SIMHASH_BANDS):
        db.execute(f"CREATE INDEX idx_articles_simhash_{number} "
                   f"ON articles({_band_sql(shift, mask)})")
    for name, sql in VIEWS.items():
        db.execute(f"CREATE VIEW {name} AS {sql.strip()}")
    db.execute(f"CREATE VIEW near_duplicates AS {_simhash_view_sql().strip()}")
    db.execute(f"CREATE VIEW stories AS {STORIES_SQL.strip()}")


def migrate_0008(db: sqlite_utils.Database) -> None:
    """Migration 0008: near-duplicate pairs kept in `article_duplicates` as articles are
    written, an article deleted taking its pairs along (by trigger); `near_duplicates`
    reads them."""
    db.execute(_SIMHASH_PAIRS_SQL)
    db.execute(PAIRS_INDEX_SQL)
    db.execute(_SIMHASH_PAIRS_TRIGGER_SQL)
    db.execute("DROP VIEW near_duplicates")
    db.execute(f"CREATE VIEW near_duplicates AS {_SIMHASH_NEAR_DUPLICATES_SQL.strip()}")


def migrate_0011(db: sqlite_utils.Database) -> None:
    """Migration 0011: near-duplicates by MinHash. `articles.minhash` computed for the
    articles stored (a batch at a time), `article_bands` for the candidate lookups, and
    `article_duplicates` made again with `similarity` (0.5 to 1) for SimHash's `distance`
    (bits) and filled; `articles.simhash` and its indexes dropped.

    The column goes first, while every view still reads (SQLite checks the whole schema
    when a column is dropped: a view of the user's over `stories` would fail it once
    `stories` is gone). Where it cannot be dropped (SQLite before 3.35, or a view or
    trigger of the user's that reads it) it stays, emptied: nothing reads or writes it.
    """
    db.execute("ALTER TABLE articles ADD COLUMN minhash BLOB")
    for number in range(len(_SIMHASH_BANDS)):
        db.execute(f"DROP INDEX idx_articles_simhash_{number}")
    db.execute("SAVEPOINT drop_simhash")
    try:
        db.execute("ALTER TABLE articles DROP COLUMN simhash")
    except sqlite3.OperationalError:
        db.execute("ROLLBACK TO drop_simhash")
        db.execute("UPDATE articles SET simhash = NULL")
    db.execute("RELEASE drop_simhash")
    for rows in id_batches(db.conn, "articles", "text", size=BATCH):
        db.conn.executemany("UPDATE articles SET minhash = ? WHERE id = ?",
                            [(minhash(text), article_id) for article_id, text in rows])
    for view in ("stories", "near_duplicates"):
        db.execute(f"DROP VIEW {view}")
    db.execute("DROP TRIGGER articles_duplicates_ad")
    db.execute("DROP TABLE article_duplicates")
    for sql in (BANDS_SQL, BANDS_INDEX_SQL, BANDS_TRIGGER_SQL,
                PAIRS_SQL, PAIRS_INDEX_SQL, RELINK_SQL, PAIRS_TRIGGER_SQL):
        db.execute(sql)
    link_all(db.conn)
    db.execute(f"CREATE VIEW near_duplicates AS {NEAR_DUPLICATES_SQL.strip()}")
    db.execute(f"CREATE VIEW stories AS {STORIES_SQL.strip()}")
