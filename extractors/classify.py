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
from .text import norm_space

MIN_WORDS = 80
_NON_ARTICLE_PATH = re.compile(
    r"/(tags?|topics?|category|categories|section|sections|authors?|people|search|archive|"
    r"newsletters?|subscribe|login|signin|register|account|about|contact|page/\d+)(/|$)",
    re.IGNORECASE)
# Half the text blocks holding a headline link's text: a listing of teasers.
TEASER_SHARE = 0.5
# Headline links left after chrome removal: an article keeps few, a front page many.
TEASER_LINKS = 6
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


def _linked_share(root: etree._Element, blocks: list[str]) -> float:
    """Share of text blocks that contain the text of a link of 4+ words: teasers of a listing."""
    anchors = {norm_space(a.text_content()) for a in root.iter("a")}
    anchors = {a for a in anchors if len(a.split()) >= 4}
    if not blocks or not anchors:
        return 0.0
    return sum(any(a in block for a in anchors) for block in blocks) / len(blocks)


def _page_score(root: etree._Element, url: str, blocks: list[str]) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    words = sum(len(b.split()) for b in blocks)
    if len(blocks) >= 3 and _linked_share(root, blocks) >= TEASER_SHARE:
        score, reasons = score - 3, [*reasons, "linked-blocks"]
    path = urlsplit(url).path
    if path in ("", "/") or _NON_ARTICLE_PATH.search(path):
        score, reasons = score - 2, [*reasons, "url:listing"]
    if len(_TEASER_LINKS(root)) >= TEASER_LINKS:
        score, reasons = score - 1.5, [*reasons, "teasers"]
    if words < MIN_WORDS:
        score, reasons = score - 2, [*reasons, f"short:{words}"]
    elif words >= 150:
        score, reasons = score + 1, [*reasons, "long"]
    return score, reasons


def classify(root: etree._Element, url: str, ld: list[dict], meta: Metadata,
             blocks: list[str]) -> tuple[bool, list[str]]:
    """(is_article, reasons) for a page whose extracted body is `blocks`."""
    schema, why = _schema_score(ld, meta)
    page, why_page = _page_score(root, url, blocks)
    words = sum(len(b.split()) for b in blocks)
    return schema + page > 0 or (schema >= 2 and words >= MIN_WORDS // 2), why + why_page
