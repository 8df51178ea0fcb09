"""Bytes to text (BOM first, then the HTTP charset, then <meta> charset, then detection),
and text to tree."""

from __future__ import annotations

import codecs
import re

import cchardet
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
from trafilatura.utils import DOCTYPE_TAG, is_dubious_html, repair_faulty_html
from w3lib.encoding import html_to_unicode, resolve_encoding

from .charset import WIDE_ENCODINGS, header_wide_text
from .text import without_early_end

BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
        codecs.BOM_UTF32_BE)


def _detect(body: bytes) -> str | None:
    """Guess the encoding of a page that declares none: UTF-8 if its bytes are, or if its
    valid multi-byte characters outnumber its invalid bytes UTF8_EVIDENCE to one (a UTF-8
    page with a stray byte: decode_html reads those as windows-1252); else
    uchardet (Mozilla's detector, through cchardet), its name as HTML reads it
    ("ISO-8859-1" is windows-1252: w3lib's `resolve_encoding`), windows-1252 where it
    names a DOS or Mac code page no browser uses (`WEB_ENCODINGS`: on a page of mostly
    ASCII); else charset_normalizer. (charset_normalizer alone read a French page in
    latin-1 as cp1257 or cp1250, "déjŕ", "trčs"; a Turkish one as cp1250.)"""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        invalid, valid = _utf8_counts(body.decode("utf-8", errors="replace"))
        if valid >= UTF8_EVIDENCE * invalid:  # UTF-8 with a stray byte or two (decode_html
            return "utf-8"  # reads them as windows-1252); not Shift_JIS, GBK, EUC-KR...
        sample = body[:200_000]
        found = cchardet.detect(sample)["encoding"]
        encoding = resolve_encoding(found) if found else None
        if encoding and codecs.lookup(encoding).name in WEB_ENCODINGS:
            return encoding
        if encoding and _decodes(sample, "cp1252"):  # a DOS or Mac code page, on a page
            return "cp1252"  # of mostly ASCII: no browser's choice, windows-1252 is
        best = charset_normalizer.from_bytes(sample).best()
        return best.encoding if best else None
    return "utf-8"


def decode_html(html: bytes | str, content_type: str | None = None) -> str:
    """Decode a page the way a browser would, but for one case.

    The order is w3lib's (the HTML5 one): a byte-order mark wins, then the charset of
    the Content-Type header, then `<meta charset>` / `http-equiv`, then detection. UTF-16
    and UTF-32 without a BOM are read where the header names them and the bytes agree
    (`header_wide_text`), never for a `<meta>` (which, ASCII, says the page is not). The
    exception: a page declared UTF-8 whose bytes are not all UTF-8. With many invalid bytes
    and next to no valid multi-byte characters (a windows-1251 page behind a server that
    says utf-8) it is decoded as detected; otherwise (a UTF-8 page with a latin-1 footer, a
    latin-1 page with a few accents) its UTF-8 stays UTF-8 and each invalid byte is read as
    windows-1252, instead of becoming U+FFFD.
    """
    if isinstance(html, str):
        return html
    encoding, text = html_to_unicode(content_type, html, auto_detect_fun=_detect)
    encoding = encoding.replace("_", "-").lower()
    if html.startswith(BOMS):
        return text
    if encoding.startswith(WIDE_ENCODINGS):  # without a BOM: the header's only
        wide = header_wide_text(html, content_type)
        if wide is not None:
            return wide
        return html.decode(_detect(html) or "utf-8", errors="replace")
    invalid = text.count("\ufffd") if encoding in ("utf-8", "utf8") else 0
    if not invalid:
        return text
    if _not_utf8(text):
        detected = _detect(html)
        if detected and codecs.lookup(detected).name != "utf-8":
            return html.decode(detected, errors="replace")
    return html.decode("utf-8", errors=MIXED)


# A page declared UTF-8 is in another encoding when at least this many of its bytes are not
# UTF-8 and its valid multi-byte characters are at most this share of them (a few appear by
# chance in a windows-1251 text; fewer invalid bytes are too few for detection to be sure).
NOT_UTF8_BYTES = 20
NOT_UTF8_SHARE = 0.02
MIXED = "newscrawl-windows-1252"


def _not_utf8(text: str) -> bool:
    """Whether bytes that are not all UTF-8 (`text`: decoded as UTF-8 with U+FFFD for each
    invalid byte) are in another encoding: at least NOT_UTF8_BYTES invalid bytes, and valid
    multi-byte characters at most NOT_UTF8_SHARE of them (a windows-1251 or latin-1 page
    makes next to none by chance). Otherwise UTF-8 with stray bytes of another encoding."""
    invalid, valid = _utf8_counts(text)
    return invalid >= NOT_UTF8_BYTES and valid <= NOT_UTF8_SHARE * invalid


# An undeclared page is UTF-8 with stray bytes when it has this many valid multi-byte
# characters for each invalid byte: a double-byte encoding (Shift_JIS, GBK, EUC-KR) makes
# some by chance, but fewer than its invalid ones.
UTF8_EVIDENCE = 2


def _utf8_counts(text: str) -> tuple[int, int]:
    """(invalid bytes, valid non-ASCII characters) of bytes decoded as UTF-8 with U+FFFD
    for each invalid byte."""
    invalid = text.count("\ufffd")
    return invalid, len(text) - len(text.encode("ascii", "ignore")) - invalid


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# The legacy encodings a browser may decode a page in (WHATWG's list, Python's names).
WEB_ENCODINGS = frozenset({
    "big5", "big5hkscs", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256",
    "cp1257", "cp1258", "cp866", "cp874", "cp932", "cp949", "euc_jp", "euc_kr", "gb18030",
    "gbk", "iso2022_jp", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
    "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
    "iso8859-16", "koi8-r", "koi8-u", "mac-cyrillic", "mac-roman", "shift_jis",
    "utf-16-be", "utf-16-le"})


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: the bytes that are not UTF-8, read as windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(MIXED, _windows_1252)


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
    repairs, its parser settings, its not-HTML test) but with `PARSER`. None: no HTML.

    libxml2 reads the page as UTF-8 bytes, a quarter faster than a Python string (which
    it would read as UTF-8 too); a string is tried when the bytes give no tree."""
    if text[:1].isspace() and not text[:1].isascii():
        # libxml2 reading bytes knows only ASCII white space: a page opening with a
        # no-break space would be read as a fragment
        text = text.lstrip()
    beginning = text[:50].lower()
    text = _CONTROL_REFERENCE.sub(" ", without_early_end(text))
    data = text.encode("utf-8", "surrogatepass")
    if _needs_repair(text, data, beginning):
        text = repair_faulty_html(text, beginning)
        data = text.encode("utf-8", "surrogatepass")
    tree = _parsed(data)
    if _too_deep():  # read again with its deep boxes flat (a page deep by <b>s: as it goes)
        flat = _parsed(_flatten(data))
        tree = tree if flat is None else flat
    if tree is None or len(tree) < 1:
        second = _parsed(text)
        tree = second if second is not None and len(second) else tree
    if tree is None:
        return None
    if is_dubious_html(beginning) and len(tree) < 2:
        return None  # no "html" near the start and a single block: not a page
    _into_body(tree)
    return tree


# The deepest libxml2 nests elements, `huge_tree` or not (libxml2 2.14): what is deeper is
# dropped, with one error in the parser's log, and with it the story, under a page's 3,000
# unclosed <div>s. A browser nests no deeper either (Blink: 512), but keeps the text.
DEPTH_LIMIT = 2048
# A page too deep is read again with its layout boxes past this depth flat (`_flatten`):
# the boxes above it, a story's and its chrome's, keep their place and their names.
FLAT_FROM = 512
# The tokens `_flatten` reads, in one pass: comments, scripts and styles (left as they are;
# one left open runs to the end of the page), and the tags of layout boxes, whose quoted
# attribute values may hold a ">" (or a "<", which outside quotes ends the tag). A quoted
# value is bounded (2,000 characters) and nothing is tried twice (possessive): no token is
# looked for to the page's end from each of thousands of tags (a page of `<div ` without
# `>` took minutes).
_BOXES = re.compile(
    rb"<!--(?:-?>|.*?(?:--!?>|\Z))|<(script|style)(?=[\s/>]).*?(?:</\1\s*>|\Z)"
    rb"|<(/?)(div|section|center|span|font)(?=[\s/>])"
    rb"((?:[^<>\"']++|\"[^\"]{0,2000}+\"|'[^']{0,2000}+')*+)>",
    re.IGNORECASE | re.DOTALL)


def _too_deep() -> bool:
    """Whether the last parse dropped what was nested past `DEPTH_LIMIT`."""
    return any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT
               and "depth" in error.message for error in PARSER.error_log)


def _flatten(data: bytes) -> bytes:
    """The page with the layout boxes opened past `FLAT_FROM` open boxes of their tag flat:
    a <div>, <section> or <center> start tag there becomes a <p> start tag (with its
    attributes), which the next one closes; their end tags there, and span and font tags,
    go. Open boxes are counted by tag (a stray </span> closes no <div>); a box its parent's
    end tag closes (`<section><div></section>`) still counts, so on a page too deep, 512
    of those before the story flatten its boxes too."""
    depths: dict[bytes, int] = {}  # open boxes by tag: a stray </span> closes no <div>

    def flat(match: re.Match) -> bytes:
        closing, tag, attributes = match.group(2, 3, 4)
        if tag is None:  # a comment, a script or a style
            return match.group(0)
        tag = tag.lower()
        depth = depths.get(tag, 0)
        if closing:
            depths[tag] = max(depth - 1, 0)
            return b"" if depth > FLAT_FROM else match.group(0)
        depths[tag] = depth = depth + 1
        if depth <= FLAT_FROM:
            return match.group(0)
        return b"" if tag in (b"span", b"font") else b"<p" + attributes + b">"

    return _BOXES.sub(flat, data)


def _into_body(tree: HtmlElement) -> None:
    """Put what libxml2 left after <body> into it, as a browser's parser does: a stray
    `</body>` (in an ad's or a widget's markup) ends the body there, and the rest of the
    page (the story, often) becomes the body's siblings, or a second <body>."""
    body = tree.find("body") if tree.tag == "html" else None
    if body is None or (body.getnext() is None and not (body.tail or "").strip()):
        return  # (most pages)
    _add_text(body, body.tail)
    body.tail = None
    for sibling in list(body.itersiblings()):
        if sibling.tag == "body":  # its content, not the element
            _add_text(body, sibling.text)
            body.extend(list(sibling))
            _add_text(body, sibling.tail)
            tree.remove(sibling)
        else:
            body.append(sibling)  # with its tail


def _add_text(element: HtmlElement, text: str | None) -> None:
    """Append text at the end of `element`'s content."""
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _parsed(markup: bytes | str) -> HtmlElement | None:
    try:
        return fromstring(markup, parser=PARSER)
    except (etree.ParserError, ValueError):  # empty, or a string declaring its encoding
        return None


# What `repair_faulty_html` removes: the characters XML does not allow (C0 controls but
# tab and line ends, U+FFFE and U+FFFF), as UTF-8.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")


# A character reference to one of those controls ("&#11;", a vertical tab pasted from a
# word processor): libxml2 puts the character in the tree, and trafilatura then discards
# the whole body it is in (its XML cannot hold it). Read as a space.
_CONTROL_REFERENCE = re.compile(r"&#(?:0*(?:[1-8]|1[124-9]|2\d|3[01])(?!\d)"
                                r"|[xX]0*(?:[1-8bBcCeEfF]|1[0-9a-fA-F])(?![0-9a-fA-F]));?")


def _needs_repair(text: str, data: bytes, beginning: str) -> bool:
    """Whether trafilatura's `repair_faulty_html` would change the page: most pages need
    none, and it copies the page twice and scans it with a regex (about 1.3 ms a page).
    The test is on the UTF-8 bytes (a C0 control is a byte of its own there), and errs
    on the side of repairing."""
    return (len(data.translate(None, _CONTROL_BYTES)) != len(data)
            or any(noncharacter in data for noncharacter in _NONCHARACTERS)
            or ("doctype" in beginning and DOCTYPE_TAG.match(text) is not None)
            or any("<html" in line and line.endswith("/>")
                   for line in text[:4096].splitlines()[:4]))
