"""Is this page an article? Evidence for and against, summed into one score.

Listings, section fronts, tag and author pages, newsletter landing pages and service pages
are not articles: they get `is_article = False` and no text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from .jsonld import ARTICLE_TYPES, LISTING_TYPES, types
from .metadata import Metadata

MIN_WORDS = 80
_NON_ARTICLE_PATH = re.compile(
    r"/(tags?|topics?|category|categories|section|sections|authors?|people|search|archive|"
    r"newsletters?|subscribe|login|signin|register|account|about|contact|page/\d+)(/|$)",
    re.IGNORECASE)
_TEASER_LINKS = etree.XPath("//h2//a[@href] | //h3//a[@href] | //article//h4//a[@href]")


def _schema_score(ld: list[dict], meta: Metadata) -> tuple[float, list[str]]:
    kinds = set().union(*(types(o) for o in ld)) if ld else set()
    score, reasons = 0.0, []
    if kinds & ARTICLE_TYPES:
        score, reasons = score + 2, [*reasons, "jsonld:article"]
    elif kinds & LISTING_TYPES:
        score, reasons = score - 2, [*reasons, "jsonld:listing"]
    if meta.og_type == "article":
        score, reasons = score + 1, [*reasons, "og:article"]
    return score, reasons


def _page_score(root: etree._Element, url: str, words: int) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    path = urlsplit(url).path
    if path in ("", "/") or _NON_ARTICLE_PATH.search(path):
        score, reasons = score - 2, [*reasons, "url:listing"]
    if len(_TEASER_LINKS(root)) >= 8:
        score, reasons = score - 1.5, [*reasons, "teasers"]
    if words < MIN_WORDS:
        score, reasons = score - 2, [*reasons, f"short:{words}"]
    elif words >= 250:
        score, reasons = score + 1, [*reasons, "long"]
    return score, reasons


def classify(root: etree._Element, url: str, ld: list[dict], meta: Metadata, words: int):
    """(is_article, reasons) for a page, `words` being the extracted body's word count."""
    schema, why = _schema_score(ld, meta)
    page, why_page = _page_score(root, url, words)
    return schema + page > 0 or (schema >= 2 and words >= MIN_WORDS // 2), why + why_page
