"""Near-duplicate pairs: what keeping them costs (migration 0011, MinHash).

Builds a database of N articles with random MinHashes (1% of them wire copies, 4 of the 64
values changed) and prints the pairs found, the one-off fill of migration 0011
(`link_all`: the band keys and the pairs), a query of the `near_duplicates` view, and the
work each new article adds (`link`; copies of stored ones, so each finds its pairs) beside
the same write without it.

    python -m bench.near_duplicates                  # 20,000 and 40,000 articles
    python -m bench.near_duplicates --articles 200000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from crawler import near_duplicates, storage
from crawler.near_duplicates import BINS, VALUES

INSERT = ("INSERT INTO articles (url, page_url, site, title, text, content_hash, first_seen, "
          "last_seen, updated_at, minhash) VALUES (?, ?, 'x.example', ?, '', '', '', '', '', ?)")
CHANGED = 4  # values a copy has changed: 60 of 64 alike
SAMPLE = 200  # articles written again, one by one, for the per-write cost


def build(path: Path, count: int, seed: int = 1):
    """A database of `count` articles: random MinHashes, every 100th one copied."""
    rng = random.Random(seed)
    hashes = [[rng.getrandbits(32) for _ in range(BINS)] for _ in range(count)]
    for i in range(0, count - 1, 100):
        hashes[i + 1] = list(hashes[i])
        for place in rng.sample(range(BINS), CHANGED):
            hashes[i + 1][place] = rng.getrandbits(32)
    packed = [VALUES.pack(*values) for values in hashes]
    db = storage.open_db(path)
    with db.atomic():
        db.conn.executemany(INSERT, [(f"https://x.example/{i}", f"https://x.example/{i}",
                                      f"t{i}", h) for i, h in enumerate(packed)])
    return db, packed


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def per_write(db, values: list[bytes], with_link: bool) -> float:
    """Seconds per article to store new articles with these MinHashes, one transaction
    each, as a crawl's batch of one would (with or without keeping the pairs)."""
    started = time.perf_counter()
    for value in values:
        with db.atomic():
            url = f"https://y.example/{time.perf_counter_ns()}"
            article_id = db.execute(INSERT, [url, url, "new", value]).lastrowid
            if with_link:
                near_duplicates.link(db.conn, [(article_id, None, value)])
    return (time.perf_counter() - started) / len(values)


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db, hashes = build(Path(folder) / "bench.db", count)
        try:
            with db.atomic():
                _, fill = timed(lambda: near_duplicates.link_all(db.conn))
            pairs, read = timed(lambda: db.execute(
                "SELECT count(*) FROM near_duplicates").fetchone()[0])
            sample = [hashes[i] for i in range(0, count, max(count // SAMPLE, 1))]
            plain = per_write(db, sample, with_link=False)
            linked = per_write(db, sample, with_link=True)
            print(f"{count:>9,} articles | {pairs} pairs | fill {fill:6.2f} s | query "
                  f"{read * 1000:6.1f} ms | write {linked * 1000:.2f} ms per article, "
                  f"{plain * 1000:.2f} ms without the pairs ({linked / plain:.1f}x)",
                  flush=True)
        finally:
            db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[20_000, 40_000])
    args = parser.parse_args(argv)
    for count in args.articles:
        measure(count)


if __name__ == "__main__":
    main()
