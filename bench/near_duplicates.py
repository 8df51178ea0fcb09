"""Near-duplicate pairs: reading the `near_duplicates` view, migration 0003's against 0008's.

Builds a database of N articles with random SimHashes (1% of them wire copies a few bits
from another) and prints, side by side: the pairs each view finds, the time a query of
each takes, the one-off fill of migration 0008 and what keeping the pairs costs a write.

    python -m bench.near_duplicates                  # 20,000 and 40,000 articles
    python -m bench.near_duplicates --articles 200000 --no-baseline
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from crawler import data_views, near_duplicates, storage

INSERT = ("INSERT INTO articles (url, page_url, site, title, text, content_hash, first_seen, "
          "last_seen, updated_at, simhash) VALUES (?, ?, 'x.example', ?, '', '', '', '', '', ?)")


def build(path: Path, count: int, seed: int = 1):
    """A database of `count` articles: random SimHashes, every 100th one copied 2 bits off."""
    rng = random.Random(seed)
    hashes = [rng.randint(-(2**63), 2**63 - 1) for _ in range(count)]
    for i in range(0, count - 1, 100):
        hashes[i + 1] = hashes[i] ^ 0b101
    db = storage.open_db(path)
    with db.atomic():
        db.conn.executemany(INSERT, [(f"https://x.example/{i}", f"https://x.example/{i}",
                                      f"t{i}", h) for i, h in enumerate(hashes)])
    return db, hashes


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def measure(count: int, baseline: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db, hashes = build(Path(folder) / "bench.db", count)
        try:
            with db.atomic():
                _, fill = timed(lambda: near_duplicates.link_all(db.conn))
            pairs, read = timed(lambda: db.execute(
                "SELECT count(*) FROM near_duplicates").fetchone()[0])
            sample = [(i + 1, None, hashes[i]) for i in range(0, min(count, 2000), 10)]
            with db.atomic():
                _, write = timed(lambda: near_duplicates.link(db.conn, sample))
            line = (f"{count:>9,} articles | 0008: {pairs} pairs, query {read * 1000:8.1f} ms, "
                    f"fill {fill:6.2f} s, {write * 1000 / len(sample):.2f} ms per article written")
            if baseline:
                old, old_read = timed(lambda: db.execute(
                    f"SELECT count(*) FROM ({data_views.near_duplicates_sql()})").fetchone()[0])
                line += (f" | 0003: {old} pairs, query {old_read * 1000:8.1f} ms "
                         f"({old_read / read:,.0f}x)")
            print(line, flush=True)
        finally:
            db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[20_000, 40_000])
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip migration 0003's view (quadratic: minutes at 200,000)")
    args = parser.parse_args(argv)
    for count in args.articles:
        measure(count, not args.no_baseline)


if __name__ == "__main__":
    main()
