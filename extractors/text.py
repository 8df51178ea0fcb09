"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

from lxml import etree


def norm_space(text: str | None) -> str:
    """Collapse runs of white space to one space and strip the ends.

    `str.split()` splits at exactly the characters `re`'s `\\s` matches, and is faster.
    """
    return " ".join((text or "").split())


def block_text(element: etree._Element) -> str:
    """The visible text of an element, white space collapsed (comments and scripts skipped)."""
    parts = element.xpath(".//text()[not(ancestor::script or ancestor::style)]")
    return norm_space(" ".join(parts))


def body_blocks(body: etree._Element) -> list[str]:
    """Paragraphs, headings, list items and table rows of a trafilatura body, in order."""
    blocks: list[str] = []
    for child in body:
        if child.tag == "list":
            blocks.extend(_list_items(child))
        elif child.tag == "table":
            blocks.extend(_table_rows(child))
        else:
            blocks.append(norm_space("".join(child.itertext())))
    return [b for b in blocks if b]


def _list_items(element: etree._Element) -> list[str]:
    return [norm_space("".join(item.itertext())) for item in element.iter("item")]


def _table_rows(element: etree._Element) -> list[str]:
    rows = []
    for row in element.iter("row"):
        cells = [norm_space("".join(cell.itertext())) for cell in row.iter("cell")]
        rows.append(" | ".join(c for c in cells if c))
    return rows


def join_blocks(blocks: list[str]) -> str:
    """The Article text format: one block per paragraph, separated by a blank line."""
    return "\n\n".join(blocks)
