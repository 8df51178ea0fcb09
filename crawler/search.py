"""Full-text search over stored articles: the library behind `newscrawl search`.

Ranked by FTS5's bm25 (`rank`), best first, with the title and a snippet of the text
highlighted around the hits:

    db = storage.open_db("news.db")
    for hit in search(db, "ferry AND tallinn", SearchOptions(site="news.example.com")):
        print(hit["title"], hit["snippet"])
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

HIGHLIGHT = ("[", "]")
SNIPPET_TOKENS = 16
# published as UTC, or first_seen when published is missing or unreadable
SINCE_COLUMN = "coalesce(datetime(articles.published), datetime(articles.first_seen))"


class SearchError(Exception):
    """A query FTS5 cannot parse, or a bad option; the message is one line."""


@dataclass
class SearchOptions:
    site: str | None = None
    since: str | None = None  # a date or ISO 8601 time, compared with published (or first_seen)
    limit: int = 20
    literal: bool = False  # search the words as typed, not FTS5 query syntax


def parse_since(value: str | None) -> str | None:
    """Check a --since value: a date (`2026-11-01`) or an ISO 8601 time with or without an
    offset (`2026-11-01T06:00:00Z`). Raises ValueError with a one-line message otherwise.
    """
    if not value:
        return None
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since {value!r} is not a date like 2026-11-01 "
                         "or a time like 2026-11-01T06:00:00Z") from None
    return value


def filters(site: str | None, since: str | None) -> tuple[list[str], list]:
    """WHERE clauses and parameters for --site and --since on `articles`."""
    clauses, params = [], []
    if site:
        clauses.append("articles.site = ?")
        params.append(site)
    if since:
        clauses.append(f"{SINCE_COLUMN} >= datetime(?)")
        params.append(since)
    return clauses, params


def search_sql(clauses: list[str]) -> str:
    """The ranked search: articles joined to their FTS rows, with highlight() and snippet()."""
    start, end = HIGHLIGHT
    where = " AND ".join(["articles_fts MATCH ?", *clauses])
    return (
        "SELECT articles.id, articles.url, articles.site, articles.published, "
        f"highlight(articles_fts, 0, '{start}', '{end}') AS title, "
        f"snippet(articles_fts, 1, '{start}', '{end}', '…', {SNIPPET_TOKENS}) AS snippet, "
        "articles_fts.rank AS rank "
        "FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
        f"WHERE {where} ORDER BY articles_fts.rank LIMIT ?"
    )


def search(db: sqlite_utils.Database, query: str, options: SearchOptions) -> list[dict]:
    """The best `options.limit` matches for `query`, best first; SearchError on bad syntax."""
    if not query.strip():
        raise SearchError("empty search query")
    match = db.quote_fts(query) if options.literal else query
    clauses, params = filters(options.site, options.since)
    try:
        return list(db.query(search_sql(clauses), [match, *params, options.limit]))
    except sqlite3.OperationalError as error:
        raise SearchError(f"cannot search for {query!r}: {error} "
                          "(use --literal to search the words as typed)") from None


def format_hits(hits: list[dict]) -> Iterator[str]:
    """Lines for a person: number, title, site and date, URL, snippet."""
    for number, hit in enumerate(hits, 1):
        published = (hit["published"] or "")[:10]
        yield f"{number}. {hit['title'] or '(untitled)'}"
        yield f"   {hit['site']}  {published}  {hit['url']}".rstrip()
        yield f"   {' '.join((hit['snippet'] or '').split())}"
        yield ""
