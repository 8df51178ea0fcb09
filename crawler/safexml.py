"""XML from the web, parsed so that no entity of a sitemap or feed is ever expanded.

lxml's ``resolve_entities=False`` keeps entity references in the tree as nodes, but XPath's
``string()`` still reads an internal entity's text through them, so a feed could hide a URL
(or a billion laughs) in an entity. So the DTD is neither loaded nor fetched, entities are
not resolved, and every entity reference left in the tree is removed before anyone reads it.
Sitemaps and feeds need no DTD.
"""

from __future__ import annotations

from lxml import etree

from extractors.chrome import remove


def _parser() -> etree.XMLParser:
    return etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False,
                           load_dtd=False, no_network=True, huge_tree=True)


def parse(body: bytes) -> tuple[etree._Element | None, str | None]:
    """The root of an XML document with every entity reference dropped (None if not XML),
    and the first error the parser recovered from ("line 9: Premature end of data..."), or
    None for a well-formed document: a sitemap cut short still gives the entries before the
    cut, and the crawl says so."""
    root, errors = parse_logged(body)
    return root, described(errors[0]) if errors else None


def described(error) -> str:
    """One of `parse_logged`'s errors as the crawl's log says it ("line 9: Premature...")."""
    return error if isinstance(error, str) else f"line {error.line}: {error.message}"


def parse_logged(body: bytes) -> tuple[etree._Element | None, list]:
    """`parse`, with every error the parser recovered from (lxml's log entries; or one
    message where there is no document)."""
    parser = _parser()
    try:
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        return None, [" ".join(str(error).split()) or "not XML"]
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if root is None:
        return None, errors or ["not XML"]
    for entity in list(root.iter(etree.Entity)):
        remove(entity)  # its text after it stays
    return root, errors
