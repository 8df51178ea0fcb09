"""The charset a page's HTTP header declares, where the crawler needs it too (sniffing a
body for binary data) and must not load the extractor for it: w3lib only."""

from __future__ import annotations

from w3lib.encoding import http_content_type_encoding

WIDE_ENCODINGS = ("utf-16", "utf-32")
# The share of a page's characters its declared charset may fail to decode (each one read
# as U+FFFD) and still be its charset.
MAX_REPLACED = 0.01


def header_wide_text(body: bytes, content_type: str | None) -> str | None:
    """The page as the UTF-16 or UTF-32 its Content-Type charset names, where its bytes
    decode to markup (a "<") in it; else None. A browser reads a page so declared without a
    byte-order mark too. A bare "utf-16" or "utf-32" takes its byte order from the page's
    first character (markup: ASCII, its zero bytes after it in little-endian). The markup
    test tells a UTF-8 page mislabelled "utf-16" (an even number of ASCII bytes decodes as
    UTF-16LE too, into CJK characters, none of them a "<")."""
    declared = http_content_type_encoding(content_type)
    if not declared or not declared.startswith(WIDE_ENCODINGS):
        return None
    if declared in WIDE_ENCODINGS:
        declared += "-be" if body[:1] == b"\x00" else "-le"
    text = body.decode(declared, errors="replace")  # a stray byte or lone surrogate: U+FFFD,
    bad = text.count("\ufffd")                      # as a browser shows it
    return text if "<" in text and bad <= MAX_REPLACED * len(text) else None
