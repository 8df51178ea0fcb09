"""Full-text search over stored articles: the library behind `newscrawl search`.

Ranked by FTS5's bm25 (`rank`), best first, with the title and a snippet of the text
highlighted around the hits:

    db = storage.open_db("news.db")
    for hit in search(db, "ferry AND tallinn", SearchOptions(site="news.example.com")):
        print(hit["title"], hit["snippet"])
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlite_utils

from crawler.config import parse_since

HIGHLIGHT = ("[", "]")
SNIPPET_TOKENS = 16
# published as UTC, or first_seen when published is missing or unreadable
SINCE_COLUMN = "coalesce(datetime(articles.published), datetime(articles.first_seen))"


# Russian writes ё mostly as е; the index (unicode61, which folds Latin diacritics only) keeps
# them apart, so a query word with е or ё searches every spelling of it, and a "phrase" every
# spelling of each of its words. Neither may have more than this many spellings to try or to
# search (a phrase's are those of its words the index holds, multiplied): TooManySpellings.
MAX_YO_VARIANTS = 256
# The queries fold_yo rewrites are made of these tokens only: a "phrase" (optionally a
# prefix*), a bareword (FTS5's: ASCII letters, digits and _, anything not ASCII; optionally
# a prefix*), a bracket, AND / OR / NOT. Column filters, NEAR groups, + and ^ stay as typed.
_TOKEN = re.compile(r'(?P<phrase>"(?:[^"]|"")*"\*?)|(?P<bracket>[()])'
                    r'|(?P<word>(?:[A-Za-z0-9_\x1a]|[^\x00-\x7f])+\*?)|(?P<other>\S)')
_OPERATORS = frozenset({"AND", "OR", "NOT"})


class TooManySpellings(Exception):
    """A query term with more е/ё spellings than MAX_YO_VARIANTS: searching it as typed
    would quietly miss the others, so the search says so instead."""

    def __init__(self, term: str, count: int):
        super().__init__(f"{term} has {count:,} spellings with е and ё, more than "
                         f"{MAX_YO_VARIANTS}: split it into shorter phrases")


def yo_spellings(term: str) -> list[str]:
    """Every spelling of `term` with е or ё in each place that has one of them (the term
    alone if it has none); TooManySpellings if there are more than MAX_YO_VARIANTS."""
    places = [i for i, char in enumerate(term) if char in "еёЕЁ"]
    if not places:
        return [term]
    if 2 ** len(places) > MAX_YO_VARIANTS:
        raise TooManySpellings(term, 2 ** len(places))
    spellings = []
    for choice in range(2 ** len(places)):
        chars = list(term)
        for bit, i in enumerate(places):
            yo = choice >> bit & 1
            chars[i] = ("ёе" if chars[i] in "её" else "ЁЕ")[0 if yo else 1]
        spellings.append("".join(chars))
    return spellings


def term_spellings(term: str, present: Callable[[str], bool] | None = None) -> list[str]:
    """The spellings of a query term with е or ё: a word's (``yo_spellings``), or a
    "phrase"'s: every spelling of each of its words, multiplied (FTS5 has no phrase of
    alternatives, so the phrases are written out).

    ``present(fts_term)``: whether the index holds a word's spelling (a quoted term, with
    ``*`` for a prefix). A spelling it does not hold matches nothing, so it is left out
    before multiplying and the search finds the same; a word with none held keeps the
    spelling typed. A long phrase thus comes to the few spellings the texts use."""
    if not any(char in "еёЕЁ" for char in term):
        return [term]
    prefix = "*" if term.endswith("*") else ""
    if not term.startswith('"'):
        return [s + prefix for s in _word_spellings(term.removesuffix("*"), prefix, present)]
    words = term[1:len(term) - 1 - len(prefix)].split()
    choices = [_word_spellings(word, prefix if n == len(words) - 1 else "", present)
               for n, word in enumerate(words)]  # fmt: skip
    count = math.prod(len(spellings) for spellings in choices)
    if count > MAX_YO_VARIANTS:
        raise TooManySpellings(term, count)
    return [f'"{" ".join(chosen)}"{prefix}' for chosen in itertools.product(*choices)]


def _word_spellings(word: str, prefix: str, present: Callable[[str], bool] | None) -> list[str]:
    """A word's spellings but those the index does not hold (if it holds none, the word)."""
    spellings = yo_spellings(word)
    if present is None or len(spellings) == 1:
        return spellings
    return [s for s in spellings if present(f'"{s}"{prefix}')] or [word]


def fold_yo(match: str, present: Callable[[str], bool] | None = None) -> str:
    """The FTS5 query with each term (a word or a "phrase") that has е or ё replaced by
    (its spellings OR'ed): ``term_spellings``, which ``present`` narrows to those the
    index holds. FTS5 takes two terms side by side (an implicit AND, which binds
    tighter than NOT) between phrases only, not next to a bracket: each run of them is
    written out as (a AND b), without the terms FTS5 reads as no token at all (a dash, an
    emoji), which it skips there. A query without е or ё, or with anything but terms,
    brackets, AND, OR and NOT (a column filter, NEAR, + or ^), is returned as it is.
    TooManySpellings for a term with too many spellings."""
    tokens = [(found.lastgroup, found.group()) for found in _TOKEN.finditer(match)]
    if (not any(char in "еёЕЁ" for _, text in tokens for char in text)
            or any(kind == "other" or text == "NEAR" for kind, text in tokens)):
        return match
    try:
        written, end = _sequence(tokens, 0, present)
    except ValueError:  # unbalanced brackets: FTS5 says so, as typed
        return match
    return written if end == len(tokens) else match


def _sequence(tokens: list[tuple[str, str]], at: int,
              present: Callable[[str], bool] | None) -> tuple[str, int]:
    """The sequence of terms, groups and operators from `at` to its closing bracket (or the
    end), written out; and where it stopped."""
    parts: list[str] = []
    run: list[tuple[str, bool]] = []  # adjacent operands: (written, has a token)

    def close_run() -> None:
        if run:
            kept = [written for written, has_token in run if has_token] or [w for w, _ in run]
            parts.append(kept[0] if len(kept) == 1 else f"({' AND '.join(kept)})")
            run.clear()
    while at < len(tokens):
        _, text = tokens[at]
        if text == ")":
            break
        if text in _OPERATORS:
            close_run()
            parts.append(text)
            at += 1
        elif text == "(":
            inner, at = _sequence(tokens, at + 1, present)
            if at >= len(tokens):
                raise ValueError("unclosed bracket")
            run.append((f"({inner})", True))
            at += 1
        else:
            spellings = term_spellings(text, present)
            run.append((f"({' OR '.join(spellings)})" if len(spellings) > 1 else spellings[0],
                        _has_token(text)))
            at += 1
    close_run()
    return " ".join(parts), at


def _has_token(term: str) -> bool:
    """Whether FTS5's unicode61 tokenizer finds a token in the term (a letter, a digit or a
    private-use character): a dash, a quotation mark or an emoji alone it skips."""
    return any(unicodedata.category(char)[0] in "LN" or unicodedata.category(char) == "Co"
               for char in term)


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
        "SELECT articles.id, articles.url, articles.site, articles.published, articles.gone_at, "
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
    # only punctuation: the index holds no such token (as syntax, FTS5 says what is wrong)
    if not match.strip() or (options.literal and not _has_token(query)):
        raise SearchError(f"no words to search for in {query!r}")
    try:
        clauses, params = filters(options.site, options.since)
    except ValueError as error:
        raise SearchError(str(error)) from None
    # should that not parse, the query as typed; then with its words that hold punctuation
    # as phrases (it's, U.S., all-night), folded too; a failure is told as the query typed
    # met it
    punctuated = quote_punctuated(match)
    attempts = [_folded(db, match, query), match, _folded(db, punctuated, query), punctuated]
    failures: dict[str, sqlite3.OperationalError] = {}
    for attempt in dict.fromkeys(attempts):
        try:
            return list(db.query(search_sql(clauses), [attempt, *params, options.limit]))
        except sqlite3.OperationalError as error:
            failures[attempt] = error
    raise SearchError(f"cannot search for {query!r}: {_explained(str(failures[match]))}"
                      + ("" if options.literal else " (use --literal to search the words"
                         " as typed)"))


def _folded(db: sqlite_utils.Database, match: str, query: str) -> str:
    """`match` with every spelling of its words with е and ё (`fold_yo`); as it is where it
    does not parse (FTS5 says so when it is run) or nests past Python's recursion limit."""
    try:
        return fold_yo(match, _in_index(db))
    except TooManySpellings as error:
        raise SearchError(f"cannot search for {query!r}: {error}") from None
    except (sqlite3.OperationalError, RecursionError):
        return match


# A query's runs: a "phrase" (maybe a prefix*), a bracket, or what white space, quotes and
# brackets delimit; a bareword is what FTS5 takes unquoted (see _TOKEN).
_RUN = re.compile(r'"(?:[^"]|"")*"\*?|[()]|[^\s"()]+')
_BAREWORD = re.compile(r"(?:[A-Za-z0-9_\x1a]|[^\x00-\x7f])+\*?")
_SYNTAX = frozenset(":^+*{}")  # a column filter, an initial token, a prefix, a NEAR group


def quote_punctuated(query: str) -> str:
    """The query with each word that holds punctuation FTS5 takes for syntax or refuses
    (``it's``, ``U.S.``, ``all-night``) written as a "phrase" of its tokens, as a reader
    means it; phrases, brackets, operators, and runs with FTS5's own syntax in them or a
    leading ``-`` (an intended but unsupported NOT) stay as typed. Punctuation standing
    alone between words (``Johnson & Johnson``, ``rock / pop``, ``brain !``) is quoted
    too: a phrase with no token, which FTS5 passes over beside other terms, as the
    tokenizer does with it inside a word (``Q&A``); a query with no word at all keeps it
    as typed, so that FTS5 says what is wrong rather than find nothing."""
    words = _has_token(query)

    def written(run: str) -> str:
        word = run.removesuffix("*")  # O'Brien*: a prefix phrase, "O'Brien"*
        if (run.startswith('"') or run in "()" or run in _OPERATORS or run == "NEAR"
                or _BAREWORD.fullmatch(run) or run.startswith("-")
                or not _SYNTAX.isdisjoint(word) or not words):
            return run
        if not _has_token(word):
            return f'"{word}"'
        return f'"{word}"{run[len(word):]}'
    return _RUN.sub(lambda found: written(found.group()), query)


def _in_index(db: sqlite_utils.Database) -> Callable[[str], bool]:
    """Whether the index holds an FTS5 term (a quoted word, maybe a prefix): one lookup."""
    def present(term: str) -> bool:
        return db.execute("SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1",
                          [term]).fetchone() is not None
    return present


def _explained(error: str) -> str:
    """FTS5's error, with what it means for a query typed as news words."""
    if error.startswith("no such column: "):  # all-night, ferry -strike, 10:30
        return (f"{error} (FTS5 reads a word after '-' or before ':' as a column name; put words "
                "with a hyphen or a colon in \"quotes\")")
    if error.startswith("unknown special query"):  # a lone * or ^
        return "a '*' or '^' needs a word before it"
    return error


def format_hits(hits: list[dict]) -> Iterator[str]:
    """Lines for a person: number, title, site and date, URL, snippet."""
    for number, hit in enumerate(hits, 1):
        published = (hit["published"] or "")[:10]
        gone = f"  (gone since {hit['gone_at'][:10]})" if hit.get("gone_at") else ""
        yield f"{number}. {hit['title'] or '(untitled)'}"
        yield f"   {hit['site']}  {published}  {hit['url']}{gone}".rstrip()
        yield f"   {' '.join((hit['snippet'] or '').split())}"
        yield ""
