"""Near-duplicates: a 64-bit SimHash of an article's text, so wire copies group together.

Syndicated copies of one story (the same agency text on several sites, a headline or a
closing line changed) give SimHashes a few bits apart, while different stories land about
32 bits apart. How few depends on the text's length: on the article texts of the WCXB dev
corpus (80 words or more) a copy with one word changed or a credit line added stays within
MAX_DISTANCE (4 bits) 97 to 99% of the time, one without its last paragraph 73%; on texts of
80 to 350 words only 80, 76 and 33% (measured 2026-11-29). Short copies are often missed:
the pairs found are near-certain, the list is not complete.

`articles.simhash` stores the hash as a signed 64-bit INTEGER; the views
`near_duplicates` (pairs within MAX_DISTANCE bits) and `stories` (one story id per article)
are built on it by migration 0003; since migration 0008 the writer keeps the pairs in the
table `article_duplicates` (`link`), which the view reads (see `crawler/data_views.py` and
docs/schema.md).

    >>> a = simhash("The ferry to Tallinn sailed at dawn with 300 passengers on board.")
    >>> distance(a, a)
    0

No storage import: `crawler.storage` calls `simhash` when it builds an article row.
"""

from __future__ import annotations

import hashlib
import re

from crawler.sql import select_in

BITS = 64
SHINGLE = 3  # words per feature
MAX_DISTANCE = 4  # bits; at most this far apart counts as the same story
# Five bands (13, 13, 13, 13 and 12 bits): two hashes at most 4 bits apart agree exactly on
# at least one band, so an index per band finds every candidate pair (pigeonhole).
BANDS = ((0, 8191), (13, 8191), (26, 8191), (39, 8191), (52, 4095))  # (shift, mask)
WORD = re.compile(r"\w+", re.UNICODE)


def features(text: str) -> list[str]:
    """Overlapping word 3-grams of the lower-cased text (the words themselves if fewer)."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return words
    return [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


def _digest(feature: str) -> bytes:
    return hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()


# _BIT[k] maps a byte to 1 where its bit k (from the most significant) is set, else to 0.
_BIT = [bytes.maketrans(bytes(range(256)), bytes((b >> (7 - k)) & 1 for b in range(256)))
        for k in range(8)]


def simhash(text: str | None) -> int | None:
    """The SimHash of `text` as a signed 64-bit integer (SQLite's INTEGER), None if no words.

    Bit i is set when more than half the features have bit i set. Counting runs in C: the
    8-byte hashes are joined into one bytes object, each byte position is a slice of it,
    and each bit of that byte is counted by translating the slice to 0s and 1s.
    """
    found = features(text or "")
    if not found:
        return None
    hashes = b"".join(map(_digest, found))
    half = len(found) / 2
    value = 0
    for position in range(BITS // 8):
        column = hashes[position::8]
        for bit in _BIT:
            value = (value << 1) | (column.translate(bit).count(1) > half)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def distance(a: int, b: int) -> int:
    """Hamming distance between two SimHashes (signed or unsigned)."""
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()


def band_sql(shift: int, mask: int, table: str = "") -> str:
    """The SQL expression of one band, e.g. `((a.simhash >> 13) & 8191)`.

    Indexes and the view must spell it identically for SQLite to use the index.
    """
    column = f"{table}.simhash" if table else "simhash"
    return f"(({column} >> {shift}) & {mask})"


def distance_sql(a: str, b: str) -> str:
    """SQL for the Hamming distance of `a.simhash` and `b.simhash`, over a CTE `bits(n)`.

    XOR is spelled `(x | y) & ~(x & y)`: bitwise only, so no 64-bit overflow to REAL.
    """
    xor = f"(({a}.simhash | {b}.simhash) & ~({a}.simhash & {b}.simhash))"
    return f"(SELECT sum(({xor} >> n) & 1) FROM bits)"


# -- the pairs, kept in `article_duplicates` by the writer (migration 0008) --------------

PAIRS_SQL = """
CREATE TABLE article_duplicates (
    article_id INTEGER NOT NULL,
    duplicate_id INTEGER NOT NULL,
    distance INTEGER NOT NULL,
    PRIMARY KEY (article_id, duplicate_id)
) WITHOUT ROWID"""
# An article deleted (re-extraction found no article, a page's canonical URL moved) takes
# its pairs with it: SQLite may give its id to the next article.
PAIRS_INDEX_SQL = ("CREATE INDEX idx_article_duplicates_duplicate "
                   "ON article_duplicates(duplicate_id)")
PAIRS_TRIGGER_SQL = """
CREATE TRIGGER articles_duplicates_ad AFTER DELETE ON articles BEGIN
  DELETE FROM article_duplicates WHERE article_id = old.id OR duplicate_id = old.id;
END"""
# An article is paired with at most this many near-duplicates, the first stored before it
# (lowest ids): a template sent thousands of times (a weather bulletin, a results table)
# would otherwise make pairs by the million. The story's first copy, which `stories` names
# it by, is always among them.
MAX_PAIRS = 20


def _candidates(side: str) -> str:
    """The articles sharing a band with a SimHash, stored before (`side` "<") or after
    (">") an id, by id: five index lookups."""
    return " UNION ".join(f"SELECT id, simhash FROM articles WHERE {band_sql(shift, mask)} = ?"
                          f" AND id {side} ?" for shift, mask in BANDS) + " ORDER BY id"


_EARLIER, _LATER = _candidates("<"), _candidates(">")


def bands(value: int) -> list[int]:
    """The band values of a SimHash, as SQLite computes them (`band_sql`) from the signed
    integer it stores (its >> keeps the sign; the masks drop the copies)."""
    return [(value >> shift) & mask for shift, mask in BANDS]


def _nearest(article_id: int, value: int, candidates) -> list[tuple[int, int, int]]:
    """The pairs of the article with the first MAX_PAIRS of `candidates` ((id, simhash) by
    id) at most MAX_DISTANCE bits from it."""
    pairs = []
    for other, other_value in candidates:
        if other != article_id and (apart := distance(value, other_value)) <= MAX_DISTANCE:
            pairs.append((min(article_id, other), max(article_id, other), apart))
            if len(pairs) == MAX_PAIRS:
                break
    return pairs


def _args(value: int, article_id: int) -> list[int]:
    return [arg for band in bands(value) for arg in (band, article_id)]


def _pair_earlier(conn, article_id: int, value: int | None) -> None:
    """Pair the article with its first MAX_PAIRS near-duplicates stored before it (none
    without a SimHash: no text)."""
    conn.execute("DELETE FROM article_duplicates WHERE duplicate_id = ?", (article_id,))
    if value is None:
        return
    conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)", _nearest(
        article_id, value, conn.execute(_EARLIER, _args(value, article_id))))


def _later_near(conn, article_id: int, value: int | None) -> dict[int, int]:
    """The articles stored after this one at most MAX_DISTANCE bits from `value`, with the
    distance."""
    if value is None:
        return {}
    return {other: apart for other, other_value in conn.execute(_LATER, _args(value, article_id))
            if (apart := distance(value, other_value)) <= MAX_DISTANCE}


def link(conn, articles: list[tuple[int, int | None, int | None]]) -> None:
    """Keep `article_duplicates` right for these (id, SimHash before, SimHash now) articles,
    written or changed just now (before: None for a new one): each article is paired with
    its first MAX_PAIRS near-duplicates stored before it (the candidates share a band with
    it: index lookups), and one changed in place joins or leaves the pairs of those stored
    after it. An article's place among the first MAX_PAIRS of a later one goes by ids, so
    only a later one it was not near before can take it in, and only one it is not near any
    more moves the next up. Inside the caller's transaction."""
    for article_id, before, now in sorted({a[0]: a for a in articles}.values()):
        paired = {other for (other,) in conn.execute(
            "SELECT duplicate_id FROM article_duplicates WHERE article_id = ?", (article_id,))}
        _pair_earlier(conn, article_id, now)
        near, was_near = _later_near(conn, article_id, now), _later_near(conn, article_id, before)
        conn.executemany(
            "UPDATE article_duplicates SET distance = ? WHERE article_id = ? AND duplicate_id = ?",
            [(apart, article_id, other) for other, apart in near.items() if other in paired])
        _join_later(conn, article_id, {other: apart for other, apart in near.items()
                                       if other not in paired and other not in was_near})
        for other in paired - near.keys():  # it left their pairs: the next one moves up
            (other_value,) = conn.execute("SELECT simhash FROM articles WHERE id = ?",
                                          (other,)).fetchone()
            _pair_earlier(conn, other, other_value)


def _join_later(conn, article_id: int, near: dict[int, int]) -> None:
    """Pair the article with the later ones it is newly near whose first MAX_PAIRS earlier
    near-duplicates it is now one of (the last of a full set drops out)."""
    kept = {other: (count, last) for other, count, last in select_in(
        conn, "SELECT duplicate_id, count(*), max(article_id) FROM article_duplicates "
        "WHERE duplicate_id IN ({}) GROUP BY duplicate_id", list(near))}
    for other, apart in near.items():
        count, last = kept.get(other, (0, None))
        if count < MAX_PAIRS or article_id < last:
            conn.execute("INSERT INTO article_duplicates VALUES (?, ?, ?)",
                         (article_id, other, apart))
            if count >= MAX_PAIRS:
                conn.execute("DELETE FROM article_duplicates WHERE article_id = ? AND "
                             "duplicate_id = ?", (last, other))


def link_all(conn) -> None:
    """Fill `article_duplicates` from every stored article (migration 0008): each paired
    with its first MAX_PAIRS near-duplicates stored before it, as `link` keeps them. A band
    at a time, its rows streamed in buckets of one band value (the pairs found are held until
    the end, at most MAX_PAIRS an article). The first MAX_PAIRS of an article over all bands
    are among the first MAX_PAIRS of each band."""
    earlier: dict[int, set[tuple[int, int]]] = {}  # id: (earlier id, distance)
    for shift, mask in BANDS:
        rows = conn.execute(f"SELECT {band_sql(shift, mask)} AS band, id, simhash FROM articles"
                            " WHERE simhash IS NOT NULL ORDER BY band, id")
        bucket: list[tuple[int, int]] = []
        last = None
        for band, article_id, value in rows:
            if band != last:
                bucket, last = [], band
            found = _nearest(article_id, value, bucket)
            if found:
                kept = earlier.setdefault(article_id, set())
                kept.update((a, apart) for a, _, apart in found)
                if len(kept) > MAX_PAIRS:  # the first MAX_PAIRS over the bands so far
                    earlier[article_id] = set(sorted(kept)[:MAX_PAIRS])
            bucket.append((article_id, value))
    conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)",
                     [(a, b, apart) for b, found in earlier.items()
                      for a, apart in sorted(found)[:MAX_PAIRS]])
