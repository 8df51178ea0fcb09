"""The jobs extraction workers run: importable without Scrapy.

Workers fork from a server that has imported only this module (and through it `extractors`
and `crawler.storage`), so each worker carries the extractor, not the crawler.
"""

from __future__ import annotations

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


def extract_job(body: bytes, url: str, content_type: str, rules: tuple[str, ...],
                fetched_at: str) -> dict:
    """`extract_page` plus the storage digests, all in the worker: the reactor only writes.

    Returns {"article", "body_digest", "text_digest"} (see storage.body_digest/text_digest).
    """
    article = extract_page(body, url, content_type, rules, fetched_at)
    text = article.get("text") or ""
    return {"article": article, "body_digest": storage.body_digest(body),
            "text_digest": storage.text_digest(text) if article.get("is_article") else None}
