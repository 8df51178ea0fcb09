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

import sqlite_utils

from crawler.config import parse_since

HIGHLIGHT = ("[", "]")
SNIPPET_TOKENS = 16
# published as UTC, or first_seen when published is missing or unreadable
SINCE_COLUMN = "coalesce(datetime(articles.published), datetime(articles.first_seen))"


class SearchError(Exception):
    """A query FTS5 cannot parse, or a bad option; the message is one line."""


@dataclass
class SearchOptions:
    site: str | None = None
    since: str | None = None  # a date or time (config.parse_since), vs published or first_seen
    limit: int = 20
    literal: bool = False  # search the words as typed, not FTS5 query syntax


def filters(site: str | None, since: str | None) -> tuple[list[str], list]:
    """WHERE clauses and parameters for --site and --since on `articles`.

    `since` goes through config.parse_since (ISO 8601 UTC, as the crawl's --since), so any
    form it reads compares right; ValueError (one line) if it reads none.
    """
    clauses, params = [], []
    if site:
        clauses.append("articles.site = ?")
        params.append(site)
    if since:
        clauses.append(f"{SINCE_COLUMN} >= datetime(?)")
        params.append(parse_since(since))
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
    if not match.strip():  # only punctuation: the index holds no such token
        raise SearchError(f"no words to search for in {query!r}")
    try:
        clauses, params = filters(options.site, options.since)
    except ValueError as error:
        raise SearchError(str(error)) from None
    try:
        return list(db.query(search_sql(clauses), [match, *params, options.limit]))
    except sqlite3.OperationalError as error:
        hint = "" if options.literal else " (use --literal to search the words as typed)"
        raise SearchError(f"cannot search for {query!r}: {error}{hint}") from None


def format_hits(hits: list[dict]) -> Iterator[str]:
    """Lines for a person: number, title, site and date, URL, snippet."""
    for number, hit in enumerate(hits, 1):
        published = (hit["published"] or "")[:10]
        yield f"{number}. {hit['title'] or '(untitled)'}"
        yield f"   {hit['site']}  {published}  {hit['url']}".rstrip()
        yield f"   {' '.join((hit['snippet'] or '').split())}"
        yield ""
