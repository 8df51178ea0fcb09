"""Near-duplicates: a MinHash of an article's text, so wire copies group together.

An article's text is reduced to 64 numbers, a one-permutation MinHash of its word 3-grams
(each 3-gram's 8-byte blake2b picks one of 64 bins by its low bits, and the bin keeps the
smallest of the rest; an empty bin takes the next filled one's value, moved by how far it
is). The share of equal numbers between two texts estimates the Jaccard similarity of
their 3-gram sets; at SIMILAR (0.5) or more they are paired. Measured on the article texts
of the WCXB dev corpus (`python -m bench.near_duplicate_recall`, 2026-11-29), as written
and paired here: a copy with one word changed, a credit line added or a new first sentence
is paired 100% of the time at every length, one without its last paragraph 93% on texts of
80 to 350 words and 99.8 to 100% on longer ones; of 62,860 pairs of different corpus texts one was
paired, two pages sharing most of their text (0.53 alike), and no other came above 0.05.

Candidates come from banding: the first 63 values in 21 bands of 3, each band hashed to a
key kept in `article_bands` (indexed), so finding the articles that share a band with a
new one is 21 index lookups. Two texts 0.5 alike share a band with probability
1 - (1 - 0.5**3)**21 = 0.94, 0.6 alike 0.99, and two unrelated ones (0.02) almost never.

`articles.minhash` stores the 64 values as a 256-byte BLOB (big-endian 32-bit); the
writer keeps `article_bands` and the pairs in `article_duplicates` (`link`), which the
views `near_duplicates` and `stories` read; an article deleted leaves the later copies it
was paired with in `article_relink`, for the next write to pair again (`relink`). Migration
0011; see `crawler/data_views.py` and docs/schema.md.

    >>> a = minhash("The ferry to Tallinn sailed at dawn with 300 passengers on board.")
    >>> similarity(a, a)
    1.0

No storage import: `crawler.digests` calls `minhash` for an article row, in the extraction
workers.
"""

from __future__ import annotations

import hashlib
import heapq
import operator
import re
import struct
from collections.abc import Iterator

from crawler.sql import id_batches, select_in

BINS = 64
VALUES = struct.Struct(f">{BINS}I")  # how the values are stored
SHINGLE = 3  # words per feature
SIMILAR = 0.5  # paired from this share of equal values up
MIN_EQUAL = round(SIMILAR * BINS)
ROWS = 3  # values per band
BANDS = BINS // ROWS  # 21: the first 63 values
WORD = re.compile(r"\w+", re.UNICODE)
_EMPTY = 1 << 64
# An empty bin borrows the next filled bin's value plus this much per bin of distance, so
# that two texts' borrowed values agree only where their filled values do.
_SPREAD = 0x9E3779B97F4A7C15
_MASK = (1 << 32) - 1
_LOW_BITS = BINS.bit_length() - 1  # BINS is a power of two: a value's bin is its low bits
_LOW = BINS - 1


def features(text: str) -> list[str]:
    """Overlapping word 3-grams of the lower-cased text (the words themselves if fewer)."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return words
    return list(map(" ".join, zip(*(words[i:] for i in range(SHINGLE)), strict=False)))


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def minhash(text: str | None) -> bytes | None:
    """The 64 values of `text`'s MinHash as stored (`VALUES`), None if it has no words.

    A value keeps the low 32 bits of its bin's smallest hash: the low bits of a minimum are
    as random as any (its high bits are mostly zeros).
    """
    found = features(text or "")
    if not found:
        return None
    bins = [_EMPTY] * BINS
    from_bytes = int.from_bytes
    for feature in set(found):  # `_digest` inlined: it runs for every 3-gram of every text
        value = from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
        slot, rest = value & _LOW, value >> _LOW_BITS  # value % BINS, value // BINS
        if rest < bins[slot]:
            bins[slot] = rest
    filled = [i for i, value in enumerate(bins) if value != _EMPTY]
    for i in range(BINS):  # densified by rotation: the next filled bin, moved by distance
        if bins[i] == _EMPTY:
            j = next((k for k in filled if k > i), filled[0])
            bins[i] = bins[j] + ((j - i) % BINS) * _SPREAD
    return VALUES.pack(*(value & _MASK for value in bins))


def equal_values(a: bytes, b: bytes) -> int:
    """How many of the 64 values two MinHashes share, place by place."""
    return sum(map(operator.eq, VALUES.unpack(a), VALUES.unpack(b)))


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two texts' 3-grams, from their MinHashes."""
    return equal_values(a, b) / BINS


def band_keys(value: bytes) -> list[int]:
    """The 21 band keys of a MinHash, signed 64-bit (SQLite's INTEGER): each band's 12
    bytes hashed with its number, so equal values in different bands give different keys."""
    width = ROWS * 4
    return [_digest(bytes([band]) + value[band * width:(band + 1) * width]) - (1 << 63)
            for band in range(BANDS)]


# -- the tables the writer keeps (migration 0011) ---------------------------------------

BANDS_SQL = """
CREATE TABLE article_bands (
    band_key INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID"""
BANDS_INDEX_SQL = "CREATE INDEX idx_article_bands_article ON article_bands(article_id)"
BANDS_TRIGGER_SQL = """
CREATE TRIGGER articles_bands_ad AFTER DELETE ON articles BEGIN
  DELETE FROM article_bands WHERE article_id = old.id;
END"""
PAIRS_SQL = """
CREATE TABLE article_duplicates (
    article_id INTEGER NOT NULL,
    duplicate_id INTEGER NOT NULL,
    similarity REAL NOT NULL,
    PRIMARY KEY (article_id, duplicate_id)
) WITHOUT ROWID"""
PAIRS_INDEX_SQL = ("CREATE INDEX idx_article_duplicates_duplicate "
                   "ON article_duplicates(duplicate_id)")
# An article deleted (re-extraction found no article, a page's canonical URL moved, a
# DELETE by hand) takes its pairs with it (SQLite may give its id to the next article), and
# leaves the later articles it was paired with in `article_relink`: each may now have room
# for another earlier copy, which the next write (`link`, `relink`) pairs it with.
RELINK_SQL = "CREATE TABLE article_relink (article_id INTEGER PRIMARY KEY)"
PAIRS_TRIGGER_SQL = """
CREATE TRIGGER articles_duplicates_ad AFTER DELETE ON articles BEGIN
  INSERT OR IGNORE INTO article_relink
    SELECT duplicate_id FROM article_duplicates WHERE article_id = old.id;
  DELETE FROM article_duplicates WHERE article_id = old.id OR duplicate_id = old.id;
END"""
# An article is paired with at most this many near-duplicates, the first stored before it
# (lowest ids): a template sent thousands of times (a weather bulletin, a results table)
# would otherwise make pairs by the million. The story's first copy, which `stories` names
# it by, is always among them.
MAX_PAIRS = 20
BATCH = 500  # articles read at a time when everything is computed again (migration 0011)


_LATER = ("SELECT DISTINCT a.id, a.minhash FROM article_bands b JOIN articles a"
          f" ON a.id = b.article_id WHERE b.band_key IN ({', '.join('?' * BANDS)})"
          " AND b.article_id > ? ORDER BY a.id")
_BAND_EARLIER = ("SELECT article_id FROM article_bands WHERE band_key = ? AND article_id < ?"
                 " ORDER BY article_id")


def _earlier(conn, value: bytes, article_id: int) -> Iterator[tuple[int, bytes]]:
    """The articles sharing a band with `value` stored before `article_id`, by id, each
    once, with their MinHash: the 21 bands' index ranges, merged as they are read, so that
    a template stored thousands of times is read no further than its first copies."""
    ranges = [conn.execute(_BAND_EARLIER, (key, article_id)) for key in band_keys(value)]
    try:
        last = None
        for (other,) in heapq.merge(*ranges):
            if other != last:
                last = other
                yield other, conn.execute("SELECT minhash FROM articles WHERE id = ?",
                                          (other,)).fetchone()[0]
    finally:
        for cursor in ranges:
            cursor.close()


def _nearest(article_id: int, value: bytes, candidates) -> list[tuple[int, int, float]]:
    """The pairs of the article with the first MAX_PAIRS of `candidates` ((id, minhash) by
    id) at least SIMILAR to it."""
    pairs = []
    for other, other_value in candidates:
        if other != article_id and (equal := equal_values(value, other_value)) >= MIN_EQUAL:
            pairs.append((min(article_id, other), max(article_id, other), equal / BINS))
            if len(pairs) == MAX_PAIRS:
                break
    return pairs


def _set_bands(conn, article_id: int, value: bytes | None) -> None:
    """The article's rows of `article_bands`, for its MinHash now (none without text)."""
    conn.execute("DELETE FROM article_bands WHERE article_id = ?", (article_id,))
    if value is not None:
        conn.executemany("INSERT OR IGNORE INTO article_bands VALUES (?, ?)",
                         [(key, article_id) for key in band_keys(value)])


def _pair_earlier(conn, article_id: int, value: bytes | None) -> None:
    """Pair the article with its first MAX_PAIRS near-duplicates stored before it (none
    without a MinHash: no text)."""
    conn.execute("DELETE FROM article_duplicates WHERE duplicate_id = ?", (article_id,))
    if value is None:
        return
    conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)",
                     _nearest(article_id, value, _earlier(conn, value, article_id)))


def _later_near(conn, article_id: int, value: bytes | None,
                batch: set[int]) -> dict[int, float]:
    """The articles stored after this one, outside the batch, at least SIMILAR to `value`,
    with the similarity."""
    if value is None:
        return {}
    return {other: equal / BINS
            for other, other_value in conn.execute(_LATER, [*band_keys(value), article_id])
            if other not in batch and (equal := equal_values(value, other_value)) >= MIN_EQUAL}


def link(conn, articles: list[tuple[int, bytes | None, bytes | None]]) -> None:
    """Keep `article_bands` and `article_duplicates` right for these (id, MinHash before,
    MinHash now) articles, written or changed just now (before: None for a new one).

    Each article's bands are written first, so that each finds the others of the batch;
    then each is paired with its first MAX_PAIRS near-duplicates stored before it (the
    candidates share a band with it: index lookups). Then one that has articles stored
    after it outside the batch (it changed in place) joins or leaves their pairs: an
    article's place among the first MAX_PAIRS of a later one goes by ids, so only a later
    one it was not near before can take it in, and only one it is not near any more moves
    the next up. A new article has none: the articles after it are the batch's, paired
    already. Inside the caller's transaction."""
    changed = sorted({a[0]: a for a in articles}.values())
    batch = {article_id for article_id, _, _ in changed}
    for article_id, _, now in changed:
        _set_bands(conn, article_id, now)
    for article_id, _, now in changed:
        _pair_earlier(conn, article_id, now)
    last_outside = next((article_id for (article_id,) in conn.execute(
        "SELECT id FROM articles ORDER BY id DESC") if article_id not in batch), 0)
    for article_id, before, now in changed:
        if article_id > last_outside:
            break
        paired = {other for (other,) in conn.execute(
            "SELECT duplicate_id FROM article_duplicates WHERE article_id = ?", (article_id,))
            if other not in batch}
        near = _later_near(conn, article_id, now, batch)
        was_near = _later_near(conn, article_id, before, batch)
        conn.executemany(
            "UPDATE article_duplicates SET similarity = ? WHERE article_id = ? "
            "AND duplicate_id = ?",
            [(alike, article_id, other) for other, alike in near.items() if other in paired])
        _join_later(conn, article_id, {other: alike for other, alike in near.items()
                                       if other not in paired and other not in was_near})
        for other in paired - near.keys():  # it left their pairs: the next one moves up
            (other_value,) = conn.execute("SELECT minhash FROM articles WHERE id = ?",
                                          (other,)).fetchone()
            _pair_earlier(conn, other, other_value)
    relink(conn)


def relink(conn) -> None:
    """Pair again, each with its first MAX_PAIRS earlier near-duplicates, the articles that
    lost one of their pairs to a delete since (`article_relink`, filled by the delete
    trigger). Inside the caller's transaction."""
    waiting = [article_id for (article_id,) in conn.execute(
        "SELECT article_id FROM article_relink ORDER BY article_id")]
    if not waiting:
        return
    conn.execute("DELETE FROM article_relink")
    for article_id, value in select_in(
            conn, "SELECT id, minhash FROM articles WHERE id IN ({}) ORDER BY id", waiting):
        _pair_earlier(conn, article_id, value)


def _join_later(conn, article_id: int, near: dict[int, float]) -> None:
    """Pair the article with the later ones it is newly near whose first MAX_PAIRS earlier
    near-duplicates it is now one of (the last of a full set drops out)."""
    kept = {other: (count, last) for other, count, last in select_in(
        conn, "SELECT duplicate_id, count(*), max(article_id) FROM article_duplicates "
        "WHERE duplicate_id IN ({}) GROUP BY duplicate_id", list(near))}
    for other, alike in near.items():
        count, last = kept.get(other, (0, None))
        if count < MAX_PAIRS or article_id < last:
            conn.execute("INSERT INTO article_duplicates VALUES (?, ?, ?)",
                         (article_id, other, alike))
            if count >= MAX_PAIRS:
                conn.execute("DELETE FROM article_duplicates WHERE article_id = ? AND "
                             "duplicate_id = ?", (last, other))


def link_all(conn) -> None:
    """Fill `article_bands` and `article_duplicates` from scratch from the articles'
    MinHashes (migration 0011), with the pairs `link` keeps: each article paired with its
    first MAX_PAIRS near-duplicates stored before it. The bands are read in key order, a
    bucket of one key at a time (the pairs found are held until the end, at most MAX_PAIRS
    an article); the first MAX_PAIRS of an article over all buckets are among the first
    MAX_PAIRS of each."""
    conn.execute("DELETE FROM article_bands")
    conn.execute("DELETE FROM article_duplicates")
    conn.execute("DELETE FROM article_relink")
    for rows in id_batches(conn, "articles", "minhash", "minhash IS NOT NULL", BATCH):
        conn.executemany("INSERT OR IGNORE INTO article_bands VALUES (?, ?)",
                         [(key, article_id) for article_id, value in rows
                          for key in band_keys(value)])
    earlier: dict[int, set[tuple[int, float]]] = {}  # id: (earlier id, similarity)
    bucket: list[tuple[int, bytes]] = []
    current = None
    for key, article_id, value in conn.execute(
            "SELECT b.band_key, b.article_id, a.minhash FROM article_bands b"
            " JOIN articles a ON a.id = b.article_id ORDER BY b.band_key, b.article_id"):
        if key != current:
            bucket, current = [], key
        found = _nearest(article_id, value, bucket)
        if found:
            kept = earlier.setdefault(article_id, set())
            kept.update((a, alike) for a, _, alike in found)
            if len(kept) > MAX_PAIRS:  # the first MAX_PAIRS over the buckets so far
                earlier[article_id] = set(sorted(kept)[:MAX_PAIRS])
        bucket.append((article_id, value))
    conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)",
                     [(a, b, alike) for b, found in earlier.items()
                      for a, alike in sorted(found)[:MAX_PAIRS]])
