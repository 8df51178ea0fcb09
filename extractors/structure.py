"""A third reading of the body: the page's own paragraphs, headings, list items and rows.

trafilatura and readability judge a page's blocks one by one, by their class names, their
link density and their length, and both drop blocks a story is made of: a gallery's
captions, a list article's items in containers named "slide" or "card", a guide's table
of prices. This reading keeps every paragraph-level element (`BLOCKS`) of the page's main
`<article>` (the largest one, with any others of at least a fifth of its text: a forum's
posts), or of `<body>` where there is none, outside navigation, headers, footers, asides
and small forms (not one wrapping the page), each with the share of its text that is link
text; a block mostly of links (a list of other stories, a share bar, a teaser card wrapped
in its link) is left out. It reads the page as `strip_dom` left it (the catalogue's chrome
removed), so it is cheap: one walk of the tree, without recursion (a page may nest deeper
than Python's call stack).

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
# Not walked into: what no story is written in (a form only where it holds at most
# FORM_SHARE of the text: some sites wrap the whole page in one). Hidden elements are read:
# a gallery's other slides and a collapsed section are the story too (skipping them, as
# the other two readings do, lost body F1 in cross-validation).
SKIPPED = frozenset({"nav", "header", "footer", "aside", "form", "button", "select",
                     "textarea", "label"})
FORM_SHARE = 0.5
# Elements whose text is set apart from what is around it (their neighbours are other
# words, not the same one): block-level elements and line breaks.
_SPACED = BLOCKS | {"div", "section", "br", "ul", "ol", "dl", "table", "td", "th", "figure",
                    "hr", "article", "main"}
_SPACE = dict.fromkeys(_SPACED, " ")
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
    top = root if body is None else body
    found: list[tuple[str, float]] = []
    for scope in _articles(top) or [top]:
        found += _blocks(scope)
    kept = [(text, linked) for text, linked in found if linked <= LINKED_MAX]
    return [text for text, _ in kept], [linked for _, linked in kept]


def _articles(body: etree._Element) -> list[etree._Element]:
    """The outermost <article>s with text enough, outside what is skipped (but a form: one
    holding an article wraps the page), the largest and those of at least ARTICLE_SHARE of
    its text, in page order."""
    sized = [(article, _size(article)) for article in body.iter("article")
             if not any(a.tag == "article" or (a.tag in SKIPPED and a.tag != "form")
                        for a in article.iterancestors())]
    sized = [(article, size) for article, size in sized if size >= ARTICLE_MIN_CHARS]
    if not sized:
        return []
    largest = max(size for _, size in sized)
    return [article for article, size in sized if size >= ARTICLE_SHARE * largest]


def _size(element: etree._Element) -> int:
    return len(norm_space("".join(element.itertext())))


def _blocks(scope: etree._Element) -> list[tuple[str, float]]:
    """The blocks under `scope`, in page order, with their shares of link text (a block
    inside a link is all link)."""
    found: list[tuple[str, float]] = []
    markers: dict[etree._Element, str] = {}
    scope_size: int | None = None
    stack = [(iter(scope), False)]  # the children left to read at each level, in a link?
    while stack:
        children, in_link = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in SKIPPED:
            if tag != "form":
                continue
            scope_size = _size(scope) if scope_size is None else scope_size
            if _size(child) <= FORM_SHARE * scope_size:
                continue
        if tag == "ol":
            markers.update(item_markers(child))
        if tag in BLOCKS:
            text, linked = _block(child, markers)
            if text:
                found.append((text, 1.0 if in_link else min(linked / len(text), 1.0)))
        else:
            stack.append((iter(child), in_link or tag == "a"))
    return found


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
    collapsed; and the length of its link text (collapsed too)."""
    if not len(element):  # most blocks hold no markup, or only a few inline elements
        return norm_space(element.text), 0
    parts = [element.text or ""]
    linked = 0
    links = 0  # <a>s open around the place read
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if node is element:
            continue
        if event == "start":
            parts.append(_SPACE.get(node.tag, ""))
            links += node.tag == "a"
            piece = node.text
        else:
            if event == "end":
                parts.append(_SPACE.get(node.tag, ""))
                links -= node.tag == "a"
            piece = node.tail  # a comment's or a processing instruction's tail only
        if piece:
            parts.append(piece)
            linked += len(norm_space(piece)) if links else 0
    return norm_space("".join(parts)), linked
