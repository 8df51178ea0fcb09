"""Bytes to text: BOM first, then the HTTP charset, then <meta> charset, then detection."""

from __future__ import annotations

import codecs

import charset_normalizer
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

