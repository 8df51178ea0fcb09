"""Migration 0003_data_views: the views data teams query, and near-duplicate detection.

Adds `articles.simhash` (backfilled for rows already there), one expression index per
SimHash band, an index on `articles.page_url` (re-extraction finds a page's article by it),
and the views `latest_articles`, `site_daily_counts`, `site_summary`,
`extraction_versions`, `near_duplicates` and `stories`. Documented in docs/schema.md.

No storage import (storage imports this module for its MIGRATIONS list).
"""

from __future__ import annotations

import sqlite_utils

from crawler.near_duplicates import (
    BANDS,
    MAX_DISTANCE,
    PAIRS_INDEX_SQL,
    PAIRS_SQL,
    PAIRS_TRIGGER_SQL,
    band_sql,
    distance_sql,
    link_all,
    simhash,
)

PAYWALLED = "paywall IN ('metered', 'truncated', 'hard')"
DAY = "coalesce(date(published), date(first_seen))"
BACKFILL_BATCH = 500

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


def near_duplicates_sql() -> str:
    """Pairs of articles whose SimHashes are at most MAX_DISTANCE bits apart (lower id first),
    the view of migration 0003 (0008 replaces it: `NEAR_DUPLICATES_SQL`).

    Candidates share at least one band exactly (each band join uses its index).
    """
    joins = "\n  UNION\n".join(
        f"  SELECT a.id AS a_id, b.id AS b_id FROM articles a JOIN articles b"
        f" ON {band_sql(shift, mask, 'b')} = {band_sql(shift, mask, 'a')} AND b.id > a.id"
        for shift, mask in BANDS
    )
    return f"""
WITH RECURSIVE bits(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM bits WHERE n < 63),
candidates AS (
{joins}
),
pairs AS (
  SELECT a.id AS article_id, b.id AS duplicate_id, {distance_sql('a', 'b')} AS distance,
         a.site AS site, b.site AS duplicate_site, a.title AS title, b.title AS duplicate_title,
         a.url AS url, b.url AS duplicate_url
  FROM candidates c JOIN articles a ON a.id = c.a_id JOIN articles b ON b.id = c.b_id
)
SELECT * FROM pairs WHERE distance <= {MAX_DISTANCE}"""


# Migration 0008: the pairs the writer keeps in `article_duplicates` (0003's view compared
# every pair of articles sharing a band on each query: quadratic, 10 s at 40,000 articles).
NEAR_DUPLICATES_SQL = """
SELECT d.article_id, d.duplicate_id, d.distance, a.site, b.site AS duplicate_site,
       a.title, b.title AS duplicate_title, a.url, b.url AS duplicate_url
FROM article_duplicates d JOIN articles a ON a.id = d.article_id
JOIN articles b ON b.id = d.duplicate_id"""


STORIES_SQL = """
SELECT a.id AS article_id, coalesce(d.story_id, a.id) AS story_id, a.site, a.title,
       a.published, a.url
FROM articles a LEFT JOIN (
  SELECT duplicate_id, min(article_id) AS story_id FROM near_duplicates GROUP BY duplicate_id
) d ON d.duplicate_id = a.id"""


def _backfill_simhash(db: sqlite_utils.Database) -> None:
    """Compute `simhash` for the articles already stored, a batch at a time by id."""
    last = 0
    while True:
        rows = list(db.query("SELECT id, text FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                             [last, BACKFILL_BATCH]))
        if not rows:
            return
        db.conn.executemany("UPDATE articles SET simhash = ? WHERE id = ?",
                            [(simhash(row["text"]), row["id"]) for row in rows])
        last = rows[-1]["id"]


def migrate(db: sqlite_utils.Database) -> None:
    """Migration 0003: `articles.simhash` + band indexes, the page_url index, the views."""
    db.execute("ALTER TABLE articles ADD COLUMN simhash INTEGER")
    _backfill_simhash(db)
    db.execute("CREATE INDEX idx_articles_page_url ON articles(page_url)")  # reextract
    for number, (shift, mask) in enumerate(BANDS):
        db.execute(f"CREATE INDEX idx_articles_simhash_{number} "
                   f"ON articles({band_sql(shift, mask)})")
    for name, sql in VIEWS.items():
        db.execute(f"CREATE VIEW {name} AS {sql.strip()}")
    db.execute(f"CREATE VIEW near_duplicates AS {near_duplicates_sql().strip()}")
    db.execute(f"CREATE VIEW stories AS {STORIES_SQL.strip()}")


def migrate_0008(db: sqlite_utils.Database) -> None:
    """Migration 0008: near-duplicate pairs kept in `article_duplicates` as articles are
    written (`storage.write_batch`; an article deleted takes its pairs along, by trigger),
    filled here from the articles stored; `near_duplicates` reads them."""
    db.execute(PAIRS_SQL)
    db.execute(PAIRS_INDEX_SQL)
    db.execute(PAIRS_TRIGGER_SQL)
    link_all(db.conn)
    db.execute("DROP VIEW near_duplicates")
    db.execute(f"CREATE VIEW near_duplicates AS {NEAR_DUPLICATES_SQL.strip()}")
