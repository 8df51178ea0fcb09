"""The jobs extraction workers run: importable without Scrapy.

Workers fork from a server that has imported `crawler.preload`, which imports this module
(and through it `extractors` and `crawler.storage`) and warms it, so each worker carries the
extractor, not the crawler.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from datetime import datetime
from pathlib import Path

from crawler import storage
from extractors import extract


def extract_page(body: bytes, url: str, content_type: str, rules: tuple[str, ...],
                 fetched_at: str) -> dict:
    """The job a worker runs: one page in, a JSON-ready Article dict out."""
    fetched = datetime.fromisoformat(fetched_at.replace("Z", "+00:00")) if fetched_at else None
    article = extract(body, url, content_type=content_type or None,
                      rules=tuple(Path(r) for r in rules), fetched=fetched)
    return article.to_dict()


def _malloc_trim():
    """glibc's `malloc_trim`, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()


def release_memory() -> None:
    """Hand the heap a page's parse left free back to the system.

    libxml2 builds every tree with malloc; after a large page the freed blocks stay in the
    worker's heap. Trimming after each page costs about 0.4 ms and keeps a worker's RSS
    about a fifth lower after a few hundred pages (176 -> 139 MB at 600 corpus pages).
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def extract_job(body: bytes, url: str, content_type: str, rules: tuple[str, ...],
                fetched_at: str) -> dict:
    """`extract_page` plus the storage digests, all in the worker: the reactor only writes.

    Returns {"article", "body_digest", "text_digest"} (see storage.body_digest/text_digest).
    """
    article = extract_page(body, url, content_type, rules, fetched_at)
    text = article.get("text") or ""
    result = {"article": article, "body_digest": storage.body_digest(body),
              "text_digest": storage.text_digest(text) if article.get("is_article") else None}
    release_memory()
    return result
