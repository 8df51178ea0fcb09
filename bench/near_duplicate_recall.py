"""Near-duplicate recall: the shipped SimHash beside a one-permutation MinHash candidate.

Makes copies of the corpus's article texts the way wire copy differs (one word changed, a
credit line added, the last paragraph dropped, a new first sentence) and prints, by text
length, the share of copies each method pairs with their original, the closest unrelated
pair, and the time per text:

* SimHash: `crawler.near_duplicates` as shipped, a pair when at most MAX_DISTANCE bits
  apart;
* MinHash: 64 bins of one permutation (the top bits of each word 3-gram's 8-byte blake2b
  choose the bin, the bin keeps the smallest of the rest; an empty bin takes the next
  filled one's value), a pair when at least SIMILAR of the 64 values agree. Not shipped:
  the measurement for replacing SimHash.

    python -m bench.near_duplicate_recall                 # the WCXB dev corpus's texts
    python -m bench.near_duplicate_recall --corpus DIR

Corpus: WCXB dev split (Murrough Foley, 2026), CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import re
import time
from pathlib import Path

from bench.corpus import ATTRIBUTION, DEFAULT_CORPUS, load_pages
from crawler import near_duplicates

BINS = 64
SIMILAR = 0.5  # share of equal values from which MinHash calls two texts copies
_EMPTY = 1 << 64
_SPREAD = 0x9E3779B97F4A7C15  # an empty bin's borrowed value, moved by its distance
LENGTHS = ((80, 350), (351, 1000), (1001, 10**9))  # words
UNRELATED = 300  # texts per length band compared pairwise for the closest unrelated pair


def minhash(text: str) -> list[int] | None:
    """The 64 values of a text's one-permutation MinHash (None: no words)."""
    found = near_duplicates.features(text)
    if not found:
        return None
    bins = [_EMPTY] * BINS
    for feature in set(found):
        value = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest())
        slot, rest = value % BINS, value // BINS
        bins[slot] = min(bins[slot], rest)
    filled = [i for i, v in enumerate(bins) if v != _EMPTY]
    for i in range(BINS):  # densified by rotation: the next filled bin, moved by distance
        if bins[i] == _EMPTY:
            j = next(k for k in filled if k > i) if filled[-1] > i else filled[0]
            bins[i] = (bins[j] + ((j - i) % BINS) * _SPREAD) % (1 << 58)
    return bins


def similarity(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / BINS


def copies(text: str, rng: random.Random) -> dict[str, str]:
    """The text as wire copy may differ from it."""
    words = text.split(" ")
    changed = list(words)
    changed[rng.randrange(len(words))] = "changed"
    paragraphs = text.split("\n\n")
    found = {"one word changed": " ".join(changed),
             "credit line added": f"{text}\n\nReporting by Anna Berg; editing by Tom Hale.",
             "new first sentence": re.sub(r"^[^.]*\.", "The desk wrote a new opening line.",
                                          text, count=1)}
    if len(paragraphs) > 2:
        found["last paragraph dropped"] = "\n\n".join(paragraphs[:-1])
    return found


def measure(texts: list[str]) -> dict:
    rng = random.Random(1)
    started = time.process_time()
    simhashes = [near_duplicates.simhash(t) for t in texts]
    simhash_ms = (time.process_time() - started) / len(texts) * 1000
    started = time.process_time()
    minhashes = [minhash(t) for t in texts]
    minhash_ms = (time.process_time() - started) / len(texts) * 1000
    found: dict[str, list[tuple[bool, bool]]] = {}
    for text, sim, mins in zip(texts, simhashes, minhashes, strict=True):
        for kind, copy in copies(text, rng).items():
            near = near_duplicates.distance(sim, near_duplicates.simhash(copy))
            found.setdefault(kind, []).append((near <= near_duplicates.MAX_DISTANCE,
                                               similarity(mins, minhash(copy)) >= SIMILAR))
    pairs = list(itertools.combinations(range(min(len(texts), UNRELATED)), 2))
    return {"texts": len(texts), "simhash_ms": simhash_ms, "minhash_ms": minhash_ms,
            "recall": {kind: (sum(s for s, _ in hits) / len(hits),
                              sum(m for _, m in hits) / len(hits))
                       for kind, hits in found.items()},
            "closest_bits": min((near_duplicates.distance(simhashes[a], simhashes[b])
                                 for a, b in pairs), default=None),
            "closest_similarity": max((similarity(minhashes[a], minhashes[b])
                                       for a, b in pairs), default=None)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    texts = [page.gold_text for page in load_pages(args.corpus) if page.is_article]
    print(ATTRIBUTION)
    print(f"SimHash: a pair within {near_duplicates.MAX_DISTANCE} bits; MinHash: at least "
          f"{SIMILAR:.0%} of {BINS} values equal")
    for low, high in LENGTHS:
        band = [t for t in texts if low <= len(t.split()) <= high]
        if not band:
            continue
        found = measure(band)
        label = f"{low}-{high}" if high < 10**9 else f"{low}+"
        print(f"\ntexts of {label} words: {found['texts']}; per text SimHash "
              f"{found['simhash_ms']:.2f} ms, MinHash {found['minhash_ms']:.2f} ms")
        print(f"  {'copy':26} {'SimHash':>8} {'MinHash':>8}")
        for kind, (sim, mins) in found["recall"].items():
            print(f"  {kind:26} {sim:8.1%} {mins:8.1%}")
        print(f"  closest unrelated pair: {found['closest_bits']} bits apart (SimHash), "
              f"{found['closest_similarity']:.3f} similar (MinHash)")


if __name__ == "__main__":
    main()
