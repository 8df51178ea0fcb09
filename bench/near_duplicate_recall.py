"""Near-duplicate recall: the shipped MinHash beside the SimHash it replaced (migration 0011).

Makes copies of the corpus's article texts the way wire copy differs (one word changed, a
credit line added, the last paragraph dropped, a new first sentence) and prints, by text
length, the share of copies each method pairs with their original, the closest unrelated
pair, and the time per text:

* MinHash: `crawler.near_duplicates` as shipped, a pair when the two share a band key (the
  candidate lookup) and at least SIMILAR of their 64 values agree;
* SimHash: 64 bits over the same word 3-grams (each bit set where more than half the
  3-grams' 8-byte blake2b have it), a pair when at most 4 bits apart; newscrawl's method
  until migration 0011, kept here as the baseline.

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
from crawler.near_duplicates import band_keys, equal_values, minhash

SIMHASH_MAX_DISTANCE = 4
LENGTHS = ((80, 350), (351, 1000), (1001, 10**9))  # words
UNRELATED = 300  # texts per length band compared pairwise for the closest unrelated pair


# _BIT[k] maps a byte to 1 where its bit k (from the most significant) is set, else to 0.
_BIT = [bytes.maketrans(bytes(range(256)), bytes((b >> (7 - k)) & 1 for b in range(256)))
        for k in range(8)]


def simhash(text: str) -> int:
    """The 64-bit SimHash of the text's word 3-grams (unsigned), as newscrawl computed it
    before migration 0011: bit i set when more than half the 3-grams' hashes have it, the
    counting done in C (each byte position a slice, each bit a `translate`)."""
    found = near_duplicates.features(text)
    hashes = b"".join(hashlib.blake2b(f.encode("utf-8"), digest_size=8).digest()
                      for f in found)
    value = 0
    for position in range(8):
        column = hashes[position::8]
        for bit in _BIT:
            value = (value << 1) | (column.translate(bit).count(1) > len(found) / 2)
    return value


def paired(a: bytes, b: bytes) -> bool:
    """Does the shipped MinHash pair the two: a band key shared, enough values equal?"""
    return (bool(set(band_keys(a)) & set(band_keys(b)))
            and equal_values(a, b) >= near_duplicates.MIN_EQUAL)


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
    simhashes = [simhash(t) for t in texts]
    simhash_ms = (time.process_time() - started) / len(texts) * 1000
    started = time.process_time()
    minhashes = [minhash(t) for t in texts]
    minhash_ms = (time.process_time() - started) / len(texts) * 1000
    found: dict[str, list[tuple[bool, bool]]] = {}
    for text, sim, mins in zip(texts, simhashes, minhashes, strict=True):
        for kind, copy in copies(text, rng).items():
            near = (sim ^ simhash(copy)).bit_count()
            found.setdefault(kind, []).append((near <= SIMHASH_MAX_DISTANCE,
                                               paired(mins, minhash(copy))))
    pairs = list(itertools.combinations(range(min(len(texts), UNRELATED)), 2))
    return {"texts": len(texts), "simhash_ms": simhash_ms, "minhash_ms": minhash_ms,
            "recall": {kind: (sum(s for s, _ in hits) / len(hits),
                              sum(m for _, m in hits) / len(hits))
                       for kind, hits in found.items()},
            "closest_bits": min(((simhashes[a] ^ simhashes[b]).bit_count()
                                 for a, b in pairs), default=None),
            "closest_similarity": max((near_duplicates.similarity(minhashes[a], minhashes[b])
                                       for a, b in pairs), default=None),
            "unrelated_paired": sum(paired(minhashes[a], minhashes[b]) for a, b in pairs),
            "unrelated_pairs": len(pairs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    texts = [page.gold_text for page in load_pages(args.corpus) if page.is_article]
    print(ATTRIBUTION)
    print(f"MinHash (shipped): a band shared and at least {near_duplicates.SIMILAR:.0%} of "
          f"{near_duplicates.BINS} values equal; SimHash (before 0011): a pair within "
          f"{SIMHASH_MAX_DISTANCE} bits")
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
              f"{found['closest_similarity']:.3f} similar (MinHash); MinHash paired "
              f"{found['unrelated_paired']} of {found['unrelated_pairs']} unrelated pairs")


if __name__ == "__main__":
    main()
