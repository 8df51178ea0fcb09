"""The CPU-heavy columns of the rows a page makes, computed apart from the database.

Extraction workers compute them beside the extraction (`crawler.jobs.extract_job`), so the
reactor thread never compresses or hashes a body. No database import: a worker carries the
extractor and these, not sqlite-utils (which also loads numpy where it is installed).
"""

from __future__ import annotations

import hashlib
import zlib

from crawler.near_duplicates import minhash


def body_digest(body: bytes) -> dict:
    """The CPU-heavy columns of a page row: zlib-compressed body, size, sha256 of the raw."""
    return {"body": zlib.compress(body), "body_size": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest()}


def text_digest(text: str) -> dict:
    """The CPU-heavy columns of an article row: sha256 of the text, and its MinHash."""
    return {"content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "minhash": minhash(text)}
