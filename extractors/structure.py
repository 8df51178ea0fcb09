"""A third reading of the body: the page's own paragraphs, headings, list items and rows.

trafilatura and readability judge a page's blocks one by one, by their class names, their
link density and their length, and both drop blocks a story is made of: a gallery's
captions, a list article's items in containers named "slide" or "card", a guide's table
of prices. This reading keeps every paragraph-level element (`BLOCKS`) of the page's main
`<article>` (the largest one, with any others of at least a fifth of its text: a forum's
posts), or of `<body>` where there is none, outside navigation, headers, footers, asides
and forms, each with the share of its text that is link text; a block mostly of links (a
list of other stories, a share bar) is left out. It reads the page as `strip_dom` left it
(the catalogue's chrome removed), so it is cheap: one walk of the tree.

`fallback.prefer_structure` decides from how it compares with the reading chosen so far
whether to take it instead.
"""

from __future__ import annotations

from lxml import etree

from .chrome import item_markers
from .text import CELL_SEPARATOR, Item, norm_space

# The elements read as one block each (a block inside another is part of it).
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
                    "dt", "dd", "tr", "figcaption"})
# Not walked into: what no story is written in.
SKIPPED = frozenset({"nav", "header", "footer", "aside", "form", "button", "select",
                     "textarea", "label"})
# Elements whose text is set apart from what is around it (their neighbours are other
# words, not the same one): block-level elements and line breaks.
_SPACED = BLOCKS | {"div", "section", "br", "ul", "ol", "dl", "table", "td", "th", "figure",
                    "hr", "article", "main"}
# A block with more of its text in links than this is a list of links, not prose.
LINKED_MAX = 0.5
# The other <article>s read besides the largest have at least this share of its text.
ARTICLE_SHARE = 0.2
# An <article> with less text than this is a teaser card, not a body.
ARTICLE_MIN_CHARS = 100
_CELLS = ("td", "th")


def structure_blocks(root: etree._Element) -> tuple[list[str], list[float]]:
    """The blocks of the reading (list items as `Item`s with their markers, table rows as
    tab-separated cells) and the share of each block's text that is link text."""
    body = root.find("body")
    scopes = _articles(root if body is None else body) or [root if body is None else body]
    found: list[tuple[str, float]] = []
    for scope in scopes:
        _walk(scope, found, {})
    kept = [(text, linked) for text, linked in found if linked <= LINKED_MAX]
    return [text for text, _ in kept], [linked for _, linked in kept]


def _articles(body: etree._Element) -> list[etree._Element]:
    """The outermost <article>s with text enough, the largest and those of at least
    ARTICLE_SHARE of its text, in page order."""
    sized = [(article, len(norm_space("".join(article.itertext()))))
             for article in body.iter("article")
             if next(article.iterancestors("article"), None) is None]
    sized = [(article, size) for article, size in sized if size >= ARTICLE_MIN_CHARS]
    if not sized:
        return []
    largest = max(size for _, size in sized)
    return [article for article, size in sized if size >= ARTICLE_SHARE * largest]


def _walk(element: etree._Element, found: list[tuple[str, float]],
          markers: dict[etree._Element, str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == "ol":
            markers = {**markers, **item_markers(child)}
        if tag in BLOCKS:
            text, linked = _block(child, markers)
            if text:
                found.append((text, linked / len(text)))
        else:
            _walk(child, found, markers)


def _block(element: etree._Element, markers: dict[etree._Element, str]) -> tuple[str, int]:
    """A block's text in the Article format and how many of its characters are in links."""
    if element.tag == "tr":
        cells = [_text(cell) for cell in element if cell.tag in _CELLS]
        while cells and not cells[-1][0]:
            cells.pop()
        return CELL_SEPARATOR.join(t for t, _ in cells), sum(n for _, n in cells)
    text, linked = _text(element)
    if element.tag == "li" and text:
        return Item(text, markers.get(element, "-")), linked
    return text, linked


def _text(element: etree._Element) -> tuple[str, int]:
    """The element's text, words in separate block-level elements kept apart, white space
    collapsed; and the length of its link text."""
    if not len(element):  # most blocks hold no markup, or only a few inline elements
        return norm_space(element.text), 0
    parts = [element.text or ""]
    linked = _collect(element, parts, False)
    return norm_space("".join(parts)), linked


def _collect(element: etree._Element, parts: list[str], in_link: bool) -> int:
    """Append the text of the element's descendants and their tails to `parts` (the text
    of a comment left out, as `itertext` does); return how much of it is link text."""
    linked = 0
    for child in element:
        tag = child.tag
        spaced = tag in _SPACED
        if spaced:
            parts.append(" ")
        child_in_link = in_link or tag == "a"
        if child.text and isinstance(tag, str):
            parts.append(child.text)
            if child_in_link:
                linked += len(child.text.strip())
        if len(child):  # a leaf (most children) needs no call
            linked += _collect(child, parts, child_in_link)
        if spaced:
            parts.append(" ")
        if child.tail:
            parts.append(child.tail)
            if in_link:
                linked += len(child.tail.strip())
    return linked
