"""XML from the web without its DOCTYPE: no entity of a sitemap or feed is ever expanded.

lxml's ``resolve_entities=False`` keeps entity references in the tree, but XPath's
``string()`` still reads an internal entity's text through them, so a feed could hide a URL
(or a billion laughs) in an entity. Sitemaps and feeds need no DTD: the DOCTYPE, with its
internal subset, is cut before parsing, and an entity reference left behind is an error the
recovering parser drops.
"""

from __future__ import annotations

import re

ROOT_START = re.compile(rb"<[A-Za-z_:]")


def without_doctype(body: bytes) -> bytes:
    """``body`` without the DOCTYPE (and its internal subset) of its prolog, if it has one."""
    start = body.find(b"<!DOCTYPE")
    if start < 0:
        return body
    first = ROOT_START.search(body)
    if first is not None and first.start() < start:  # "<!DOCTYPE" in the content: not ours
        return body
    root = ROOT_START.search(body, start)
    return body[:start] + (body[root.start():] if root else b"")
