"""A stand-in for `extractors.extract` built on trafilatura, for developing the benchmark.

It is only used with `--standin`; results from it can neither be gated nor written as
a baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura


@dataclass
class StandInArticle:
    """The `Article` fields the benchmark reads."""

    is_article: bool = False
    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None


def extract(html: bytes | str, url: str, content_type: str | None = None) -> StandInArticle:
    """trafilatura's text and metadata in the shape of an `Article`."""
    doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True)
    if doc is None:
        return StandInArticle()
    text = doc.text or ""
    return StandInArticle(
        is_article=bool(text.strip()),
        text=text,
        title=doc.title,
        authors=[a for a in (doc.author or "").split("; ") if a],
        published=doc.date,
        language=doc.language,
    )
