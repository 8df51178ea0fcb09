"""schema.org JSON-LD objects of a page, flattened (`@graph`, lists, nested `mainEntity`)."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from lxml import etree

ARTICLE_TYPES = {
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting",
    "ScholarlyArticle", "TechArticle", "Report", "SatiricalArticle", "AdvertiserContentArticle",
}
LISTING_TYPES = {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage",
                 "AboutPage", "ContactPage", "CheckoutPage", "Product", "QAPage", "FAQPage"}


def _walk(node: object) -> Iterator[dict]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(node.get(key), list | dict):
                yield from _walk(node[key])


def objects(root: etree._Element) -> list[dict]:
    """Every JSON-LD object on the page; scripts that do not parse are skipped."""
    found = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:  # a deeply nested script is skipped, not a crash
            found.extend(_walk(json.loads(script.text or "", strict=False)))
        except (ValueError, RecursionError):
            continue
    return found


def types(obj: dict) -> set[str]:
    """The `@type` of an object as a set of names (`schema:NewsArticle` -> `NewsArticle`)."""
    kind = obj.get("@type", [])
    names = kind if isinstance(kind, list) else [kind]
    return {str(n).rsplit(":", 1)[-1].rsplit("/", 1)[-1] for n in names}


def article_object(found: list[dict], urls: Iterable[str] = ()) -> dict | None:
    """The page's own JSON-LD article, if any: of several objects typed as an article
    (related stories' cards, each with its own script), the first whose `url`, `@id` or
    `mainEntityOfPage` is one of `urls` (the page's address and its canonical one), else the
    first whose address is theirs but for the query (a page fetched with `?utm_source=`), else
    the first that names no other page, else the first."""
    articles = [o for o in found if types(o) & ARTICLE_TYPES]
    if len(articles) < 2:
        return articles[0] if articles else None
    urls = [u for u in urls if u]
    own = {_page_key(u) for u in urls}
    own_paths = {key.partition("?")[0] for key in own}  # fetched with ?utm_source=...

    def rank(article: dict) -> int:
        stated = {_page_key(urljoin(urls[0], u)) if urls else _page_key(u)
                  for u in _stated_urls(article)}
        if stated & own:
            return 0
        if {key.partition("?")[0] for key in stated} & own_paths:
            return 1
        return 2 if not stated else 3

    return min(articles, key=rank)


def _stated_urls(article: dict) -> Iterator[str]:
    """The addresses an article object gives for its page."""
    page = article.get("mainEntityOfPage")
    for value in (article.get("url"), article.get("@id"), page,
                  *((page.get("@id"), page.get("url")) if isinstance(page, dict) else ())):
        if isinstance(value, str) and value.strip():
            yield value.strip()


def _page_key(url: str) -> str:
    """A page's address as compared: no scheme, "www.", fragment or trailing slash."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"


def resolved(value: object, found: list[dict],
             index: dict[object, list[dict]] | None = None) -> object:
    """`value`, or where it is only a reference (`{"@id": ...}`, as Yoast's `@graph` points
    an article at its author's Person node) the object of `found` with that `@id`.

    `index` (`by_id(found)`) finds it without reading `found` whole for each reference: a
    graph of 50,000 objects and 10,000 references to them took 3 s."""
    if isinstance(value, dict) and "@id" in value and not value.keys() - {"@id", "@type"}:
        key = value["@id"]
        if index is not None and isinstance(key, Hashable):
            found = index.get(key, [])
        return next((o for o in found if o.get("@id") == key and o is not value), value)
    return value


def by_id(found: list[dict]) -> dict[object, list[dict]]:
    """The objects of `found` by their `@id` (the first two of each, in order: one of them
    may be the reference itself); an id that is no dict key (a list) is left out, as no
    reference `resolved` looks up by key equals it."""
    index: dict[object, list[dict]] = {}
    for obj in found:
        key = obj.get("@id")
        if key is not None and isinstance(key, Hashable):
            same = index.setdefault(key, [])
            if len(same) < 2:
                same.append(obj)
    return index
