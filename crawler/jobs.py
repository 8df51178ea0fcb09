"""The jobs extraction workers run: importable without Scrapy.

Workers fork from a server that has imported `crawler.preload`, which imports this module
(and through it `extractors` and `crawler.digests`) and warms it, so each worker carries the
extractor, not the crawler or its database (`crawler.storage`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from datetime import datetime
from pathlib import Path

from crawler.digests import body_digest, text_digest


def extract_page(body: bytes, url: str, content_type: str, rules: tuple[str, ...],
                 fetched_at: str) -> dict:
    """The job a worker runs: one page in, a JSON-ready Article dict out.

    The extractor is imported here, not with the module: the crawl's Scrapy process imports
    this module for the job's name only, and never extracts (workers have the extractor
    loaded by `crawler.preload` before they fork)."""
    from extractors import extract

    fetched = datetime.fromisoformat(fetched_at.replace("Z", "+00:00")) if fetched_at else None
    article = extract(body, url, content_type=content_type or None,
                      rules=tuple(Path(r) for r in rules), fetched=fetched)
    return article.to_dict()


def _libc():
    """glibc, or None where the C library is another (musl, macOS): no tuning there."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


_LIBC = _libc()
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's mallopt parameters
MMAP_THRESHOLD = 128 * 1024  # glibc's starting value, kept fixed
ARENA_MAX = 2


def tune_malloc() -> bool:
    """Keep glibc's heap from holding on to freed page bodies; False where not applied.

    glibc raises its mmap threshold to the largest block freed (up to 32 MB): after the first
    large body, every body is carved from the heap, which then stays as large as the most
    bodies ever in flight (in the Scrapy process: 93 MB of heap, 71 MB of it free, after
    2,000 pages). A fixed threshold gives each block of 128 KB or more a mapping of its own,
    returned on free. Also caps the malloc arenas of threads created afterwards at two.
    Call it early in each process (a forked worker inherits it).
    """
    if _LIBC is None:
        return False
    return bool(_LIBC.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                & _LIBC.mallopt(M_ARENA_MAX, ARENA_MAX))  # both run; 1 = applied


def release_memory() -> None:
    """Hand the heap a page's parse left free back to the system.

    libxml2 builds every tree with malloc; after a large page the freed blocks stay in the
    worker's heap. Trimming after each page costs about 0.4 ms and keeps a worker's RSS
    about a fifth lower after a few hundred pages (176 -> 139 MB at 600 corpus pages).
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def extract_job(body: bytes, url: str, content_type: str, rules: tuple[str, ...],
                fetched_at: str) -> dict:
    """`extract_page` plus the storage digests, all in the worker: the reactor only writes.

    Returns {"article", "body_digest", "text_digest"} (see crawler.digests).
    """
    return with_digests(extract_page(body, url, content_type, rules, fetched_at), body)


def with_digests(article: dict, body: bytes) -> dict:
    """A job's result: the Article dict of `body` and the digests the writer stores with it
    (the text's only for an article); the page's memory handed back after."""
    text = article.get("text") or ""
    result = {"article": article, "body_digest": body_digest(body),
              "text_digest": text_digest(text) if article.get("is_article") else None}
    release_memory()
    return result
