"""The jobs extraction workers run: importable without Scrapy.

Workers fork from a server that has imported `crawler.preload`, which imports this module
(and through it `extractors` and `crawler.digests`) and warms it, so each worker carries the
extractor, not the crawler or its database (`crawler.storage`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
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
# The heap is handed back once the resident size has grown this much since (see
# release_memory).
RELEASE_ABOVE = 32 * 1024 * 1024
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_resident_after_trim = 0


def _resident() -> int | None:
    """This process's resident set size in bytes (None where /proc cannot tell)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return None


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


def release_memory() -> bool:
    """Hand the heap a page's parse left free back to the system, once the process has grown
    RELEASE_ABOVE since the last time; True when it did.

    libxml2 builds every tree with malloc, and a page's freed blocks stay in the worker's
    heap for the next page's tree (16 to 32 MB after a corpus article). Trimming after every
    page cost about 3.5 ms a page in one process (0.5 ms to trim, 3 ms more for the next
    page, which faults the memory back in; in a crawl of 5,000 pages the difference was
    within its noise) to keep a worker's RSS about 10 MB lower (793 corpus articles: 210 MB
    on average against 224). So the heap is trimmed after an outsized page, or after pages
    that kept growing it; where /proc cannot tell the size, after every page.
    """
    global _resident_after_trim
    if _LIBC is None:
        return False
    resident = _resident()
    if resident is not None and resident - _resident_after_trim <= RELEASE_ABOVE:
        return False
    _LIBC.malloc_trim(0)
    _resident_after_trim = _resident() or 0
    return True


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
