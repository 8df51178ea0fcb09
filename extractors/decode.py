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
    """Decode a page the way a browser would.

    The order is w3lib's (the HTML5 one): a byte-order mark wins, then the charset of
    the Content-Type header, then `<meta charset>` / `http-equiv`, then detection.
    """
    if isinstance(html, str):
        return html
    encoding, text = html_to_unicode(content_type, html, auto_detect_fun=_detect)
    if encoding.replace("_", "-").startswith(("utf-16", "utf-32")) and not html.startswith(
            BOMS):  # HTML: only a BOM selects UTF-16/32; a declared one means UTF-8
        return html.decode(_detect(html) or "utf-8", errors="replace")
    return text


# trafilatura's parser settings, with lxml's element class lookup done in C: every element
# is an `HtmlElement`. lxml.html's default lookup (a form, an input, a label get classes of
# their own, which nothing here uses) is a Python call for every element proxy created,
# by us and by trafilatura on our tree: about 5% of extraction time.
PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                    remove_comments=True, remove_pis=True)
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
