"""The `Article`: what extraction returns for one page."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .text import word_count

EXTRACTOR_VERSION = "0.9.67"

PAYWALL_STATES = ("none", "metered", "truncated", "hard")


@dataclass
class Article:
    """One page as the extractor sees it.

    `text` holds paragraphs, headings, list items and table rows, each on its own,
    separated by a blank line: a list item starts with "- " (in a numbered list, with its
    number as the page shows it: "3. "), a table row is its cells separated by tabs. It is
    empty when `is_article` is false; `word_count` does not count the list markers.
    `removed` lists the ids of the chrome patterns and site-rule selectors that removed
    something, so an over-broad pattern shows up in the data.
    """

    url: str
    is_article: bool = False
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    text: str = ""
    paywall: str | None = None
    rule: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    site_name: str | None = None
    text_source: str | None = None
    removed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    extractor_version: str = EXTRACTOR_VERSION

    @property
    def word_count(self) -> int:
        return word_count(self.text)

    def to_dict(self) -> dict:
        """A JSON-ready dict of every field plus `word_count`."""
        data = asdict(self)
        data["word_count"] = self.word_count
        return data
