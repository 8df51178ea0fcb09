"""trafilatura's pruning XPaths, evaluated in Python while our extraction runs.

trafilatura prunes chrome sections with XPaths over every element, and most of their tests
are EXSLT `re:test` calls: lxml runs each of those as a call back into Python, with the
attribute's node-set built for it, for each candidate element. On news pages that was
about 5 ms of each page's extraction, a seventh of it. The same tests in Python, one
pass of `iterdescendants` per expression, select the same elements at a fraction of that.

Each `Translation` names the XPath it replaces by the digest of its source text: where the
installed trafilatura's source differs, the XPath itself runs (the output stays right, only
slower) and `tests/test_prune.py` says which translation is out of date. The switch is
`pruning()`, around our call into trafilatura: plain trafilatura elsewhere in the process
(the benchmark's baseline) keeps its own XPaths.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, wraps

import trafilatura.core
import trafilatura.external
import trafilatura.main_extractor
import trafilatura.xpaths
from lxml import etree
from lxml.html import HtmlElement

from .hooks import wrap_once

# A test of one element's attributes (a dict in the markup's order), or of the element too.
Test = Callable[[HtmlElement, dict[str, str]], bool]

# The modules that call trafilatura's `prune_unwanted_nodes` with these XPaths.
CALLERS = (trafilatura.core, trafilatura.main_extractor, trafilatura.external)
_SECTIONS = ("div", "item", "list", "p", "section", "span")  # trafilatura's markup by then


def _first(attributes: dict[str, str], one: str, other: str) -> str:
    """XPath's string of `@one|@other`: the value of whichever comes first in the element's
    markup, "" where it has neither."""
    for name, value in attributes.items():
        if name in (one, other):
            return value
    return ""


_REMEMBERED: list[Callable] = []  # every searcher: emptied as a page's pruning starts


def _searcher(pattern: str) -> Callable[[str], bool]:
    """`re:test(value, pattern)`, remembered per value while one page is read: a page
    repeats its class names (and the next page's are mostly others: a worker that
    remembered every site's would hold megabytes of them)."""
    search = re.compile(pattern).search

    @lru_cache(maxsize=4096)
    def found(value: str) -> bool:
        return search(value) is not None
    found.pattern = pattern  # type: ignore[attr-defined]  # what tests/test_prune.py checks
    _REMEMBERED.append(found)
    return found


_chrome_id = _searcher(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related"
    "|message-container|premium|^ad-")
_chrome_class = _searcher(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-"
    "|(?:^| )ad-|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer|byline"
    "|Byline|share-|sociable|embedded|embed|tag-list|consent|modal-content|permission|elated"
    "|next-|-stories|most-popular|more-on|meta|rating|attachment|timestamp|user-info"
    "|user-profile|-icon|article-infos|message-container|slide|viewport|overlay|options"
    "|expand|obfuscated|blurred|mol-factbox|yin|zlylin|nfoline")


def _chrome_section(element: HtmlElement, attributes: dict[str, str]) -> bool:
    return ("data-lp-replacement-content" in attributes
            or "nav" in attributes.get("role", "").replace("N", "n")
            or "MostPopularStories" in attributes.get("data-component", "")
            or "cookie" in _first(attributes, "id", "class")
            or _chrome_id(attributes.get("id", ""))
            or _chrome_class(attributes.get("class", "")))


_hidden_id = _searcher("reader-comments|akismet")
_hidden_class = _searcher(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
    "| hidden| hide|noprint|notloaded")


def _hidden(element: HtmlElement, attributes: dict[str, str]) -> bool:
    style = attributes.get("style", "")
    return (attributes.get("class") == "comments-title"
            or _first(attributes, "id", "class").startswith("reply-")
            or "hidden" in _first(attributes, "id", "style")
            or "display:none" in style or "display: none" in style
            or _hidden_id(attributes.get("id", ""))
            or _hidden_class(attributes.get("class", ""))
            or attributes.get("aria-hidden") == "true")


_comments_id = _searcher("^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
_comments_list_id = _searcher("^(?:[Cc]omment(?!ary)|comol)")
_comments_class = _searcher("^[Cc]omment(?!ary)|(?:article|post)-comments")


def _comments(element: HtmlElement, attributes: dict[str, str]) -> bool:
    ident, by_class = attributes.get("id", ""), _comments_class(attributes.get("class", ""))
    if not (by_class or _comments_id(ident)):
        return False
    return element.tag not in ("ol", "ul") or by_class or _comments_list_id(ident)


_appended = _searcher("mvp-post-add-(?:box|wrap)|infinite-?scroll")
_appended_post = _searcher("mvp-post-add-(?:box|wrap)")


def _appended_story(element: HtmlElement, attributes: dict[str, str]) -> bool:
    ident, kind = attributes.get("id", ""), attributes.get("class", "")
    if not (_appended(ident) or _appended(kind)):
        return False
    return element.find(".//h1") is None or _appended_post(ident) or _appended_post(kind)


def _share_buttons(element: HtmlElement, attributes: dict[str, str]) -> bool:
    return "elementor-share-buttons" in attributes.get("class", "")


def _teaser(element: HtmlElement, attributes: dict[str, str]) -> bool:
    return ("teaser" in attributes.get("id", "").replace("T", "t")
            or "teaser" in attributes.get("class", "").replace("T", "t"))


def _caption(element: HtmlElement, attributes: dict[str, str]) -> bool:
    return "caption" in attributes.get("id", "") or "caption" in attributes.get("class", "")


@dataclass(frozen=True)
class Translation:
    """An XPath `.//*[self::tag or ...][test]` of trafilatura's as a Python test. Each of
    these tests an element's attributes, and an element with none is never selected."""
    xpaths: str  # the list in trafilatura.xpaths
    index: int
    digest: str  # sha256 of the XPath's source text, first 16 hex digits
    tags: tuple[str, ...]  # () for any element
    test: Test

    def source(self) -> etree.XPath | None:
        """The installed trafilatura's XPath, if it is the one translated."""
        expressions = getattr(trafilatura.xpaths, self.xpaths, [])
        if self.index >= len(expressions):
            return None
        xpath = expressions[self.index]
        return xpath if _digest(xpath.path) == self.digest else None

    def __call__(self, tree: HtmlElement) -> list[HtmlElement]:
        """The elements the XPath selects, in document order."""
        found = tree.iterdescendants(*self.tags) if self.tags else tree.iterdescendants(
            etree.Element)
        return [element for element in found
                if (items := element.items()) and self.test(element, dict(items))]


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]


TRANSLATIONS = (
    Translation("OVERALL_DISCARD_XPATH", 0, "a837e58a1b1ea116", _SECTIONS, _chrome_section),
    Translation("OVERALL_DISCARD_XPATH", 1, "c1d5b70b8cd03783", (), _hidden),
    Translation("REMOVE_COMMENTS_AND_LISTS_XPATH", 0, "9cc18d34e6e2d258",
                ("div", "list", "section", "details", "ol", "ul"), _comments),
    Translation("RAW_TREE_PRUNE_XPATH", 0, "01e7c660fd6406f2", ("div", "section", "aside"),
                _appended_story),
    Translation("RAW_TREE_PRUNE_XPATH", 1, "3c7afe92279543d5", ("div", "section", "aside"),
                _share_buttons),
    Translation("TEASER_DISCARD_XPATH", 0, "ebb02f066626551d", _SECTIONS,
                _teaser),
    Translation("DISCARD_IMAGE_ELEMENTS", 0, "cb1ab981e44913f7", _SECTIONS,
                _caption),
)


def _current() -> dict[etree.XPath, Translation]:
    return {xpath: translation for translation in TRANSLATIONS
            if (xpath := translation.source()) is not None}


FAST = _current()  # the installed trafilatura's XPaths that have a current translation
_active = threading.local()


def fast(expression: etree.XPath) -> etree.XPath | Translation:
    """The translation of one of trafilatura's XPaths where there is a current one."""
    return FAST.get(expression, expression)


def _translated(prune_unwanted_nodes):
    """trafilatura's `prune_unwanted_nodes`, with the translated XPaths while `pruning` is
    on."""
    @wraps(prune_unwanted_nodes)
    def translated(tree, nodelist, *args, **kwargs):
        if getattr(_active, "on", False):
            nodelist = [fast(expression) for expression in nodelist]
        return prune_unwanted_nodes(tree, nodelist, *args, **kwargs)
    return translated


@contextmanager
def pruning() -> Iterator[None]:
    """trafilatura prunes with the translations inside the block (the XPaths outside).
    A new block is a new page: what the searchers remember of the last one is dropped."""
    for module in CALLERS:
        wrap_once(module, "prune_unwanted_nodes", _translated)
    for remembered in _REMEMBERED:
        remembered.cache_clear()
    was, _active.on = getattr(_active, "on", False), True
    try:
        yield
    finally:
        _active.on = was
