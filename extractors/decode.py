"""Bytes to text (BOM first, then the HTTP charset, then <meta> charset, then detection),
and text to tree."""

from __future__ import annotations

import codecs

import charset_normalizer
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html
from w3lib.encoding import html_to_unicode

BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
        codecs.BOM_UTF32_BE)


def _detect(body: bytes) -> str | None:
    """Guess the encoding of a page that declares none: strict UTF-8, else statistics."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(body[:200_000]).best()
        return best.encoding if best else None
    return "utf-8"


def decode_html(html: bytes | str, content_type: str | None = None) -> str:
    """Decode a page the way a browser would, but for one case.

    The order is w3lib's (the HTML5 one): a byte-order mark wins, then the charset of
    the Content-Type header, then `<meta charset>` / `http-equiv`, then detection. The
    exception: a page declared UTF-8 whose bytes are mostly not (a windows-1251 page behind
    a server that says utf-8) is decoded as detected, instead of as a page of U+FFFD.
    """
    if isinstance(html, str):
        return html
    encoding, text = html_to_unicode(content_type, html, auto_detect_fun=_detect)
    encoding = encoding.replace("_", "-").lower()
    if html.startswith(BOMS):
        return text
    if encoding.startswith(("utf-16", "utf-32")):  # HTML: only a BOM selects UTF-16/32
        return html.decode(_detect(html) or "utf-8", errors="replace")
    if encoding in ("utf-8", "utf8") and _not_utf8(text):
        detected = _detect(html)
        if detected and codecs.lookup(detected).name != "utf-8":
            return html.decode(detected, errors="replace")
    return text


def _not_utf8(text: str) -> bool:
    """More invalid byte sequences (U+FFFD once decoded) than valid non-ASCII characters:
    the bytes are in another encoding. (A UTF-8 page with a few stray bytes of another
    encoding, a common mix, stays UTF-8: its valid characters outnumber them.)"""
    invalid = text.count("\ufffd")
    if not invalid:
        return False
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return invalid > non_ascii - invalid


# trafilatura's parser settings, with lxml's element class lookup done in C: every element
# is an `HtmlElement`. lxml.html's default lookup (a form, an input, a label get classes of
# their own, which nothing here uses) is a Python call for every element proxy created,
# by us and by trafilatura on our tree: about 5% of extraction time. `huge_tree`: libxml2
# otherwise drops, silently, whatever is nested deeper than 256 elements (a page of
# unclosed <div>s); the 5 MB input cap bounds what it lets through.
PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                    huge_tree=True, remove_comments=True, remove_pis=True)
PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
    entity=HtmlEntity))


def parse_html(text: str) -> HtmlElement | None:
    """The tree of a decoded page, built as trafilatura's `load_html` builds it (its
    repairs, its parser settings, its not-HTML test) but with `PARSER`. None: no HTML."""
    beginning = text[:50].lower()
    text = repair_faulty_html(text, beginning)
    try:
        tree = fromstring(text, parser=PARSER)
    except (etree.ParserError, ValueError):  # empty, or a string declaring its encoding
        tree = None
    if tree is None or len(tree) < 1:  # libxml2 reads some pages only as UTF-8 bytes
        try:
            tree = fromstring(text.encode("utf-8", "surrogatepass"), parser=PARSER)
        except (etree.ParserError, ValueError):
            return None
    if is_dubious_html(beginning) and len(tree) < 2:
        return None  # no "html" near the start and a single block: not a page
    return tree
