"""Title, authors, dates, language and canonical URL of a page.

trafilatura's metadata extractor does the generic work; the published date is taken at full
precision from `article:published_time`, JSON-LD or `<time datetime>` when the page gives one,
since htmldate returns the day only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree
from trafilatura.metadata import extract_metadata

from .text import norm_space

_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]|$)")
_DATE_XPATHS = (
    "//meta[@property='article:published_time' or @name='article:published_time' "
    "or @itemprop='datePublished' or @name='pubdate' or @name='publish-date']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//time[@datetime][1]/@datetime",
)


@dataclass
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    description: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    og_type: str | None = None


def iso_datetime(value: object) -> str | None:
    """An ISO 8601 string for a date or datetime value, or None when it does not parse."""
    text = norm_space(str(value or ""))
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(text) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat(timespec="seconds").replace("+00:00", "Z")


def published_date(root: etree._Element, ld_article: dict | None, fallback: str | None):
    """Full-precision publication time from the page, else trafilatura's day."""
    candidates = [ld_article.get("datePublished")] if ld_article else []
    for xpath in _DATE_XPATHS:
        candidates.extend(root.xpath(xpath))
    for candidate in candidates:
        found = iso_datetime(candidate)
        if found:
            return found
    return fallback


def language(root: etree._Element, content_language: str | None = None) -> str | None:
    """ISO 639-1 code from `<html lang>`, Content-Language or og:locale."""
    values = root.xpath("/html/@lang | /html/@xml:lang | //meta[@property='og:locale']/@content"
                        " | //meta[@http-equiv='content-language']/@content")
    for value in [*values, content_language or ""]:
        match = _LANG.match(value.strip())
        if match and len(match.group(1)) == 2:
            return match.group(1).lower()
    return None


_BYLINE = re.compile(r"^(by|von|par|por|автор[ыа]?|текст|text|texto|reporting by)[:\s]+(?=\w)",
                     re.IGNORECASE)


def split_authors(value: str | None) -> list[str]:
    """Author names from a byline; trafilatura joins several with '; '."""
    names = [norm_space(n) for n in re.split(r";|\band\b|\s&\s", value or "")]
    names = [_BYLINE.sub("", n) if len(n.split()) > 1 else n for n in names]
    return list(dict.fromkeys(n for n in names if n))


def canonical(root: etree._Element, url: str) -> str | None:
    hrefs = root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    href = next((h.strip() for h in hrefs if h.strip()), None)
    return urljoin(url, href) if href else None


def page_metadata(root: etree._Element, url: str, ld_article: dict | None) -> Metadata:
    """Everything but the body, read from the untouched page tree."""
    found = extract_metadata(root, default_url=url, extensive=False)
    og_type = root.xpath("string(//meta[@property='og:type']/@content)").strip().lower()
    return Metadata(
        title=norm_space(found.title) or None,
        authors=split_authors(found.author),
        published=published_date(root, ld_article, found.date),
        language=language(root),
        description=norm_space(found.description) or None,
        site_name=norm_space(found.sitename) or None,
        canonical_url=canonical(root, url),
        og_type=og_type or None,
    )
