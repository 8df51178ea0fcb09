"""The CPU-heavy columns of the rows a page makes, computed apart from the database.

Extraction workers compute them beside the extraction (`crawler.jobs.extract_job`), so the
reactor thread never compresses or hashes a body. No database import: a worker carries the
extractor and these, not sqlite-utils (which also loads numpy where it is installed).
"""

from __future__ import annotations

import hashlib
import zlib

from crawler.near_duplicates import minhash

# zlib's level for stored bodies. On the WCXB dev article pages (~180 kB each): level 2
# takes 1.1 ms a page and keeps 21.9% of the bytes, zlib's default (6) 2.8 ms and 19.0%;
# in a crawl that is CPU-bound on extraction, 4% of the CPU a page costs, for 15% more disk.
# Any level reads back with `zlib.decompress`.
BODY_LEVEL = 2


def body_digest(body: bytes) -> dict:
    """The CPU-heavy columns of a page row: zlib-compressed body, size, sha256 of the raw."""
    return {"body": zlib.compress(body, BODY_LEVEL), "body_size": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest()}


def text_digest(text: str) -> dict:
    """The CPU-heavy columns of an article row: sha256 of the text, and its MinHash."""
    return {"content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "minhash": minhash(text)}
